/**
 * @module
 * Postmark: sending through its Email API, tracking and inbound webhooks (JSON).
 * Spec: esps/postmark.txt; docs/esps/postmark.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const SEND_SETTINGS = {
  /** A Postmark server token (POSTMARK_SERVER_TOKEN). */
  serverToken: setting.string({ required: true, espKey: true, secret: true }),
  apiUrl: setting.string({ default: "https://api.postmarkapp.com/" }),
} as const;
/** Postmark does not sign its webhooks: protect them with basic auth (webhookSecret). */
export const WEBHOOK_SETTINGS = {} as const;
export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "postmark",
  displayName: "Postmark",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  // Postmark's batch endpoint takes at most 500 messages
  maxBatchSize: 500,
  features: {
    // no envelopeSender, sendAt, multipleFrom or spoofedTo (esps/postmark.txt "Limitations")
    metadata: true,
    mergeMetadata: true,
    tags: "single",
    trackOpens: true,
    trackClicks: true,
    templateId: true,
    // merge data needs a template, but one named only in espExtra (TemplateAlias) counts:
    // buildRequest refuses merge data without any template (so not "withTemplate" here)
    mergeData: true,
    mergeGlobalData: true,
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    replyTo: true,
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
});
