/**
 * @module
 * Mailjet: Send API v3.1, event webhooks (tracking) and the Parse API (inbound).
 * See docs/esps/mailjet.md.
 */
import { defineEsp } from "../types.js";
import { SETTINGS, send } from "./send.js";
import { tracking } from "./tracking.js";
import { inbound } from "./inbound.js";

export const adapter = defineEsp({
  name: "mailjet",
  displayName: "Mailjet",
  settings: SETTINGS,
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
  send,
  tracking,
  inbound,
});
