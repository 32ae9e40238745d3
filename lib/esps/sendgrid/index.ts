/**
 * @module
 * SendGrid: Web API v3 Mail Send, the (optionally signed) Event Webhook and Inbound Parse.
 * Docs: docs/esps/sendgrid.md; spec: esps/sendgrid.txt.
 */
import { setting } from "../../settings.js";
import { defineEsp } from "../types.js";
import { SENDGRID_SETTINGS, send } from "./send.js";
import { trackingHandler } from "./tracking.js";
import { inboundHandler } from "./inbound.js";

export const adapter = defineEsp({
  name: "sendgrid",
  displayName: "SendGrid",
  settings: SENDGRID_SETTINGS,
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
    replyTo: "single",
  },
  send,
  webhookSettings: {
    /** SendGrid's Signed Event Webhook public key(s): when set, unsigned events are refused. */
    webhookVerificationKey: setting.stringList(),
  },
  tracking: trackingHandler,
  inbound: inboundHandler,
});
