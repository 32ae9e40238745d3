/**
 * @module
 * Resend: sending through `/emails` and `/emails/batch`, Svix-signed tracking webhooks and
 * inbound (`email.received`, the message fetched through Resend's API). Follows
 * django-anymail 15.1 and Resend's current API; docs/esps/resend.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const DEFAULT_API_URL = "https://api.resend.com/";

export const SEND_SETTINGS = {
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  apiUrl: setting.string({ default: DEFAULT_API_URL }),
  /** Refuse attachments whose filename extension contradicts their type (Resend drops them). */
  verifyAttachmentExtensions: setting.boolean({ default: true }),
} as const;

export const WEBHOOK_SETTINGS = {
  /** The tracking webhook's Svix signing secret(s), `whsec_…` (several while rotating). */
  signingSecret: setting.stringList({ secret: true }),
  /** The inbound webhook's Svix signing secret(s). */
  inboundSecret: setting.stringList({ secret: true }),
  /** For inbound: fetching the received message through Resend's API. */
  apiKey: setting.string({ espKey: true, secret: true }),
  apiUrl: setting.string({ default: DEFAULT_API_URL }),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "resend",
  displayName: "Resend",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  // Resend /emails/batch: at most 100 emails per call
  maxBatchSize: 100,
  features: {
    // no trackOpens/trackClicks (per domain), templateId or mergeGlobalData (no server-side
    // templates), envelopeSender, alternatives or multiple From
    metadata: true, // as an X-Metadata header
    mergeMetadata: true,
    tags: true, // as an X-Tags header
    sendAt: true,
    mergeData: true, // only empty per-recipient data: a batch send (send.ts)
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    replyTo: true,
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
});
