/**
 * @module
 * Sendinblue, now Brevo: the adapter (also reachable as "brevo"). Spec: esps/sendinblue.txt,
 * plus what Brevo's API gained since (scheduledAt, messageVersions, inbound parsing: #17).
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

const API_URL = "https://api.brevo.com/v3/";

export const SEND_SETTINGS = {
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  apiUrl: setting.string({ default: API_URL }),
} as const;
/** The inbound route downloads attachments through Brevo's API, so it needs the API key too. */
export const WEBHOOK_SETTINGS = {
  apiKey: setting.string({ espKey: true, secret: true }),
  apiUrl: setting.string({ default: API_URL }),
} as const;
export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "sendinblue",
  displayName: "Sendinblue",
  aliases: ["brevo"],
  envPrefixes: ["SENDINBLUE", "BREVO"],
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  features: {
    metadata: true,
    mergeMetadata: true,
    tags: true,
    sendAt: true,
    templateId: true,
    // messageVersions[].params fill {{params.x}} in a template or in htmlContent alike
    mergeData: true,
    mergeGlobalData: true,
    mergeHeaders: true,
    attachments: true,
    alternatives: ["text/html"],
    replyTo: "single",
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
});
