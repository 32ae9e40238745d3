/**
 * @module
 * Mailgun: sending through the REST API, tracking webhooks (JSON and legacy), inbound routes
 * (fully parsed and raw MIME). Spec: esps/mailgun.txt.
 */
import { defineEsp } from "../types.js";
import { SEND_SETTINGS, sendMailgun } from "./send.js";
import { WEBHOOK_SETTINGS } from "./signature.js";
import { mailgunTracking } from "./tracking.js";
import { mailgunInbound } from "./inbound.js";

export type { MailgunOptions } from "./send.js";
export type { MailgunWebhookOptions } from "./signature.js";

export const adapter = defineEsp({
  name: "mailgun",
  displayName: "Mailgun",
  settings: SEND_SETTINGS,
  features: {
    envelopeSender: "domain", // selects the sender domain only (spec)
    metadata: true,
    mergeMetadata: true,
    tags: true,
    trackOpens: true,
    trackClicks: true,
    sendAt: true,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true, // emulated per recipient (spec)
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    alternatives: ["text/x-amp-html"], // Mailgun's amp-html field (oracle 9.0)
    replyTo: true,
    multipleFrom: true, // changelog v0.10
  },
  send: sendMailgun,
  webhookSettings: WEBHOOK_SETTINGS,
  tracking: mailgunTracking,
  inbound: mailgunInbound,
  // the same handler: the URL only tells Mailgun to post the raw MIME (spec "inbound_mime")
  extraRoutes: { inbound_mime: mailgunInbound },
});
