/**
 * @module
 * SendGrid: Web API v3 Mail Send, the (optionally signed) Event Webhook and Inbound Parse.
 * Docs: docs/esps/sendgrid.md; spec: esps/sendgrid.txt.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const SEND_SETTINGS = {
  /** An API key with "Mail Send" permission. Env: ANYMAIL_SENDGRID_API_KEY, SENDGRID_API_KEY. */
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  apiUrl: setting.string({ default: "https://api.sendgrid.com/v3/" }),
  /** Attach a UUID custom arg `anymail_id` to each message and report it as the message id. */
  generateMessageId: setting.boolean({ default: true }),
  /** How legacy-template merge fields are delimited, Python str.format style ("-{}-"). */
  mergeFieldFormat: setting.string(),
} as const;
export const WEBHOOK_SETTINGS = {
  /** SendGrid's Signed Event Webhook public key(s): when set, unsigned events are refused. */
  webhookVerificationKey: setting.stringList(),
} as const;
export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "sendgrid",
  displayName: "SendGrid",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  // SendGrid: at most 1000 personalizations per request
  maxBatchSize: 1000,
  features: {
    // no envelopeSender: SendGrid cannot override it per message (SG-16)
    metadata: true,
    mergeMetadata: true,
    tags: true,
    trackOpens: true,
    trackClicks: true,
    sendAt: true,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true,
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    alternatives: true, // the v3 `content` list takes any MIME type after text/plain and text/html
    replyTo: true, // one as reply_to, several as reply_to_list (issue #17 item 16)
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
});
