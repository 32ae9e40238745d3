/**
 * @module
 * SparkPost: sending through the Transmissions API, event webhooks, and relay (inbound)
 * webhooks. Spec: esps/sparkpost.txt; see docs/esps/sparkpost.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

/** SparkPost's numeric subaccount ids: the header takes their text. */
function parseSubaccount(value: unknown): string | number {
  if (typeof value === "number" || typeof value === "string") return value;
  throw new TypeError("must be a subaccount id (a number or string)");
}

export const SEND_SETTINGS = {
  /** An API key with at least "Transmissions: Read/Write". Env: ANYMAIL_SPARKPOST_API_KEY, SPARKPOST_API_KEY. */
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  /**
   * A subaccount's numeric id, to send on its behalf with the master account's key (the
   * X-MSYS-SUBACCOUNT header). Not needed with a subaccount's own key.
   */
  subaccount: setting.custom(parseSubaccount, { optionOnly: false }),
  /** The full, versioned endpoint: "https://api.eu.sparkpost.com/api/v1" for SparkPost EU. */
  apiUrl: setting.string({ default: "https://api.sparkpost.com/api/v1" }),
} as const;

export const WEBHOOK_SETTINGS = {
  /**
   * Report "Initial Open" and "AMP Initial Open" as "opened" (otherwise "unknown", so an
   * "Open" and an "Initial Open" of the same open are not both "opened").
   */
  trackInitialOpenAsOpened: setting.boolean({ default: false }),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "sparkpost",
  displayName: "SparkPost",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
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
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
});
