/**
 * @module
 * Mailjet: Send API v3.1, event webhooks (tracking) and the Parse API (inbound).
 * See docs/esps/mailjet.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const SEND_SETTINGS = {
  /** MAILJET_API_KEY: the API key (public part). */
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  /** MAILJET_SECRET_KEY: the API secret key ("API private key"). */
  secretKey: setting.string({ required: true, espKey: true, secret: true }),
  apiUrl: setting.string({ default: "https://api.mailjet.com/v3.1/" }),
} as const;
/** Mailjet does not sign its webhooks: protect them with basic auth (webhookSecret). */
export const WEBHOOK_SETTINGS = {} as const;
export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "mailjet",
  displayName: "Mailjet",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  // Mailjet Send API v3.1: at most 50 messages per call
  maxBatchSize: 50,
  features: {
    envelopeSender: true, // may need Mailjet's approval for custom senders
    metadata: true,
    mergeMetadata: true,
    tags: "single", // one CustomCampaign per message
    trackOpens: true,
    trackClicks: true,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true,
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    replyTo: "single", // v3.1 takes one ReplyTo
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
});
