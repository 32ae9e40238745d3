/**
 * @module
 * Postmark: sending through its Email API, tracking and inbound webhooks (JSON).
 * Spec: esps/postmark.txt; docs/esps/postmark.md.
 */
import { setting } from "../../settings.js";
import { defineEsp } from "../types.js";
import { DEFAULT_API_URL, sendPostmark } from "./send.js";
import { inboundHandler } from "./inbound.js";
import { trackingHandler } from "./tracking.js";

export type { PostmarkOptions } from "./send.js";

export const adapter = defineEsp({
  name: "postmark",
  displayName: "Postmark",
  settings: {
    serverToken: setting.string({ required: true, espKey: true, secret: true }),
    apiUrl: setting.string({ default: DEFAULT_API_URL }),
  },
  features: {
    // no envelopeSender, sendAt, multipleFrom or spoofedTo (esps/postmark.txt "Limitations")
    metadata: true,
    mergeMetadata: true,
    tags: "single",
    trackOpens: true,
    trackClicks: true,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true,
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    replyTo: true,
  },
  send: sendPostmark,
  tracking: trackingHandler,
  inbound: inboundHandler,
});
