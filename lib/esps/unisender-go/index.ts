/**
 * @module
 * Unisender Go: sending through its Web API (`email/send.json`, batch with per-recipient
 * substitutions), and its tracking webhooks, signed with the API key (an MD5 `auth` field).
 * Follows django-anymail 15.1 and Unisender Go's current API; docs/esps/unisender-go.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const SEND_SETTINGS = {
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  /** Your account's data center, e.g. `https://go1.unisender.ru/ru/transactional/api/v1/`. */
  apiUrl: setting.string({ required: true }),
  /** Give each recipient a UUID (`anymail_id` metadata) as its message id. */
  generateMessageId: setting.boolean({ default: true }),
} as const;

export const WEBHOOK_SETTINGS = {
  /** The API key(s) Unisender Go signs webhooks with (several while rotating). */
  apiKey: setting.stringList({ espKey: true, secret: true }),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "unisender_go",
  displayName: "Unisender Go",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  features: {
    // no envelopeSender or multiple From
    metadata: true,
    mergeMetadata: true,
    tags: true,
    trackOpens: true,
    trackClicks: true,
    sendAt: true,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true,
    mergeHeaders: true, // List-Unsubscribe only (send.ts)
    attachments: true,
    inlineImages: true,
    alternatives: ["text/x-amp-html"],
    replyTo: "single",
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true }),
  noInboundMessage: "Unisender Go has no inbound webhook.",
});
