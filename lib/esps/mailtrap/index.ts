/**
 * @module
 * Mailtrap: sending through its Email Sending API (`/api/send`, `/api/batch`) or a testing
 * sandbox inbox (`sandboxId`), and its tracking webhooks (basic auth). Follows
 * django-anymail 15.1 and Mailtrap's current API; docs/esps/mailtrap.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const DEFAULT_API_URL = "https://send.api.mailtrap.io/api/";
export const DEFAULT_SANDBOX_API_URL = "https://sandbox.api.mailtrap.io/api/";

export const SEND_SETTINGS = {
  apiToken: setting.string({ required: true, espKey: true, secret: true }),
  /** Default: the sending API, or the sandbox API when `sandboxId` is set. */
  apiUrl: setting.string(),
  /** A testing inbox's id: send into that sandbox instead of delivering. */
  sandboxId: setting.string(),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;

export const adapter = defineEsp({
  name: "mailtrap",
  displayName: "Mailtrap",
  settings: SEND_SETTINGS,
  // Mailtrap /batch: at most 500 messages per call
  maxBatchSize: 500,
  features: {
    // no trackOpens/trackClicks (per domain), sendAt, envelopeSender, alternatives or
    // multiple From
    metadata: true, // custom_variables (strings)
    mergeMetadata: true,
    tags: "single", // category
    templateId: true,
    mergeData: "withTemplate", // template_variables apply to templates only
    mergeGlobalData: "withTemplate",
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    replyTo: true,
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true }),
  noInboundMessage: "Mailtrap has no inbound webhook.",
});
