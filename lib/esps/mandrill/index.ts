/**
 * @module
 * Mandrill (MailChimp's transactional email): the adapter. Spec: esps/mandrill.txt.
 * Tracking and inbound events share one webhook URL, `/mandrill/`.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const SEND_SETTINGS = {
  /** Your Mandrill API key. Env: ANYMAIL_MANDRILL_API_KEY, then MANDRILL_API_KEY. */
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  /** Base URL of Mandrill's API. */
  apiUrl: setting.string({ default: "https://mandrillapp.com/api/1.0" }),
} as const;

export const WEBHOOK_SETTINGS = {
  /**
   * The "webhook authentication key" Mandrill shows once it has checked the URL.
   * Env: ANYMAIL_MANDRILL_WEBHOOK_KEY, then MANDRILL_WEBHOOK_KEY.
   */
  webhookKey: setting.string({ espKey: true, secret: true }),
  /**
   * The exact public URL entered in Mandrill (recommended behind a proxy): the signature
   * covers it. Env: ANYMAIL_MANDRILL_WEBHOOK_URL, then MANDRILL_WEBHOOK_URL.
   */
  webhookUrl: setting.string({ espKey: true }),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "mandrill",
  displayName: "Mandrill",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  features: {
    envelopeSender: "domain",
    metadata: true,
    mergeMetadata: true,
    tags: true,
    trackOpens: true,
    trackClicks: true,
    sendAt: true,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true,
    attachments: true,
    inlineImages: true,
    alternatives: ["text/html"],
    replyTo: true,
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, extraRoutes: { "": true } }),
  noInboundMessage:
    "Mandrill posts tracking and inbound events to the same URL: use /mandrill/ (not /mandrill/inbound/).",
});
