/**
 * @module
 * MailerSend: sending through `/email` (and `/bulk-email` for batches), HMAC-signed activity
 * webhooks and inbound routes (raw MIME). Follows django-anymail 15.1 and MailerSend's
 * current API; docs/esps/mailersend.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const DEFAULT_API_URL = "https://api.mailersend.com/v1/";

/** How a batch send (mergeData) with several `to` reaches MailerSend (see send.ts). */
export const BATCH_SEND_MODES = ["use-bulk-email", "expose-to-list"] as const;
export type BatchSendMode = (typeof BATCH_SEND_MODES)[number];

function parseBatchSendMode(value: unknown): BatchSendMode {
  const mode = BATCH_SEND_MODES.find((known) => known === value);
  if (mode === undefined) {
    throw new TypeError(`must be one of ${BATCH_SEND_MODES.map((m) => `"${m}"`).join(", ")}`);
  }
  return mode;
}

export const SEND_SETTINGS = {
  apiToken: setting.string({ required: true, espKey: true, secret: true }),
  apiUrl: setting.string({ default: DEFAULT_API_URL }),
  batchSendMode: setting.custom(parseBatchSendMode, { optionOnly: false }),
} as const;

export const WEBHOOK_SETTINGS = {
  /** The activity webhook's signing secret(s) (several while rotating). */
  signingSecret: setting.stringList({ secret: true }),
  /** The inbound route's secret(s). */
  inboundSecret: setting.stringList({ secret: true }),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "mailersend",
  displayName: "MailerSend",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  // MailerSend /bulk-email: at most 500 emails per request
  maxBatchSize: 500,
  features: {
    // no metadata or mergeMetadata (MailerSend has none), mergeHeaders, envelopeSender,
    // alternatives or multiple From
    tags: true,
    trackOpens: true,
    trackClicks: true,
    sendAt: true,
    templateId: true,
    mergeData: true, // personalization, in templates and in the message's own content
    mergeGlobalData: true,
    attachments: true,
    inlineImages: true,
    replyTo: "single",
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
});
