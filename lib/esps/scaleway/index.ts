/**
 * @module
 * Scaleway Transactional Email (TEM): sending through its v1alpha1 API. Scaleway delivers
 * TEM events only through its Topics and Events service, which django-anymail 15.1 does not
 * receive either: no webhook routes. docs/esps/scaleway.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { defineEsp, lazyCode } from "../types.js";

export const DEFAULT_API_URL =
  "https://api.scaleway.com/transactional-email/v1alpha1/regions/{region}/";

export const SEND_SETTINGS = {
  secretKey: setting.string({ required: true, espKey: true, secret: true }),
  projectId: setting.string({ required: true }),
  region: setting.string({ default: "fr-par" }),
  /** A template: `{region}` is replaced by the region. */
  apiUrl: setting.string({ default: DEFAULT_API_URL }),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;

export const adapter = defineEsp({
  name: "scaleway",
  displayName: "Scaleway TEM",
  settings: SEND_SETTINGS,
  features: {
    // no tracking options, sendAt, templates, merge data, envelopeSender, inline images,
    // alternatives or multiple From
    metadata: true, // as an X-Metadata header
    tags: true, // as an X-Tags header
    attachments: true,
    replyTo: true, // as a Reply-To header
  },
  ...lazyCode(() => import("./code.js"), { send: true }),
  noInboundMessage: "Scaleway TEM has no inbound webhook.",
});
