/**
 * @module
 * Mandrill (MailChimp's transactional email): the adapter. Spec: esps/mandrill.txt.
 * Tracking and inbound events share one webhook URL, `/mandrill/`.
 */
import { setting } from "../../settings.js";
import { defineEsp } from "../types.js";
import { MANDRILL_SEND_SETTINGS, sendMandrill } from "./send.js";
import { MANDRILL_WEBHOOK } from "./webhook.js";

export type { MandrillOptions } from "./send.js";
export type { MandrillWebhookOptions } from "./signature.js";

export const adapter = defineEsp({
  name: "mandrill",
  displayName: "Mandrill",
  settings: MANDRILL_SEND_SETTINGS,
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
  send: sendMandrill,
  webhookSettings: {
    webhookKey: setting.string({ espKey: true, secret: true }),
    webhookUrl: setting.string({ espKey: true }),
  },
  // every post is checked against Mandrill's signature, so no basic-auth warning
  tracking: MANDRILL_WEBHOOK,
  extraRoutes: { "": MANDRILL_WEBHOOK },
  noInboundMessage:
    "Mandrill posts tracking and inbound events to the same URL: use /mandrill/ (not /mandrill/inbound/).",
});
