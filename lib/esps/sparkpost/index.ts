/**
 * @module
 * SparkPost: sending through the Transmissions API, event webhooks, and relay (inbound)
 * webhooks. See docs/esps/sparkpost.md.
 */
import { defineEsp } from "../types.js";
import { inbound } from "./inbound.js";
import { SEND_SETTINGS, send } from "./send.js";
import { WEBHOOK_SETTINGS, tracking } from "./tracking.js";

export type { SparkPostOptions } from "./send.js";
export type { SparkPostWebhookOptions } from "./tracking.js";

export const adapter = defineEsp({
  name: "sparkpost",
  displayName: "SparkPost",
  settings: SEND_SETTINGS,
  features: {
    envelopeSender: true, // sent in full; SparkPost may keep only the domain
    metadata: true,
    mergeMetadata: true,
    tags: "single", // campaign_id
    trackOpens: true,
    trackClicks: true,
    sendAt: true,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true,
    attachments: true,
    inlineImages: true,
    alternatives: ["text/x-amp-html", "text/html"],
    replyTo: true,
    multipleFrom: true, // changelog v0.10
  },
  send,
  webhookSettings: WEBHOOK_SETTINGS,
  tracking,
  inbound,
});
