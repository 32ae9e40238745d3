/**
 * @module
 * Postal (self-hosted): sending through its HTTP API (`/api/v1/send/message`), webhooks
 * signed with the server's RSA key (tracking), and inbound HTTP endpoints (raw message).
 * Follows django-anymail 15.1 and Postal's current API; docs/esps/postal.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const SEND_SETTINGS = {
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  /** Your Postal server's URL: there is no hosted Postal, so no default. */
  apiUrl: setting.string({ required: true }),
} as const;

export const WEBHOOK_SETTINGS = {
  /**
   * The server's webhook public key (base64 DER, as Postal shows it, or PEM); several
   * (a list, or comma-separated) while you rotate.
   */
  webhookKey: setting.stringList({ espKey: true }),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "postal",
  displayName: "Postal",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  features: {
    // no metadata, tracking options, sendAt, templates or merge data, inline images
    // (Postal's attachments have no Content-ID), alternatives or multiple From
    envelopeSender: true, // sender
    tags: "single", // tag
    attachments: true,
    replyTo: "single",
  },
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
});
