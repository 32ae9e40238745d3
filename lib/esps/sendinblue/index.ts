/**
 * @module
 * Sendinblue, now Brevo: the adapter (also reachable as "brevo"). Spec: esps/sendinblue.txt.
 * Sending and tracking only: Brevo's transactional API has no inbound webhook.
 */
import { defineEsp } from "../types.js";
import { SENDINBLUE_SEND_SETTINGS, sendSendinblue } from "./send.js";
import { SENDINBLUE_TRACKING } from "./tracking.js";

export type { SendinblueOptions } from "./send.js";

export const adapter = defineEsp({
  name: "sendinblue",
  displayName: "Sendinblue",
  aliases: ["brevo"],
  envPrefixes: ["SENDINBLUE", "BREVO"],
  settings: SENDINBLUE_SEND_SETTINGS,
  features: {
    metadata: true,
    tags: true,
    templateId: true,
    mergeGlobalData: true,
    attachments: true,
    alternatives: ["text/html"],
    replyTo: "single",
  },
  send: sendSendinblue,
  tracking: SENDINBLUE_TRACKING,
  noInboundMessage:
    "Sendinblue (Brevo) does not support inbound email: there is no /sendinblue/inbound/ webhook.",
});
