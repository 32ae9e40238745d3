/**
 * @module
 * Mailgun: sending through the REST API, tracking webhooks (JSON and legacy), inbound routes
 * (fully parsed and raw MIME). Spec: esps/mailgun.txt; see docs/esps/mailgun.md.
 */
import { setting, type SettingsOf } from "../../settings.js";
import type { ReplayStore } from "../../util/replay-store.js";
import { defineEsp, lazyCode } from "../types.js";

export const SEND_SETTINGS = {
  /** Your Mailgun private API key. Env: ANYMAIL_MAILGUN_API_KEY or MAILGUN_API_KEY. */
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  /** The Mailgun sending domain, when it differs from your From addresses' domain. */
  senderDomain: setting.string({ espKey: true }),
  /** The API base URL, without the sender domain: `https://api.eu.mailgun.net/v3` for the EU. */
  apiUrl: setting.string({ default: "https://api.mailgun.net/v3" }),
} as const;

function parseReplayStore(value: unknown): ReplayStore {
  const store = value as Partial<ReplayStore> | null;
  if (typeof store?.has === "function" && typeof store.add === "function") {
    return store as ReplayStore;
  }
  throw new TypeError("must be a ReplayStore (an object with async has and add methods)");
}

export const WEBHOOK_SETTINGS = {
  /**
   * Your Mailgun "HTTP webhook signing key". Env: ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY.
   * Without it, apiKey is the signing key (the two are equal until either is rotated).
   */
  webhookSigningKey: setting.string({ secret: true }),
  /** Used as the signing key when webhookSigningKey is not set. */
  apiKey: setting.string({ espKey: true, secret: true }),
  /** Refuse signatures whose timestamp is more than this many seconds from now. @default off */
  webhookMaxSignatureAge: setting.number(),
  /**
   * Refuse a signature already accepted (replay protection). Mailgun resends a refused call
   * with the same token, so enable this only where listeners do not fail. @default false
   */
  webhookRejectReplayedTokens: setting.boolean(),
  /**
   * Where accepted signatures are remembered: share one store between processes (e.g. Redis).
   * @default a MemoryReplayStore per router (this process only)
   */
  replayStore: setting.custom(parseReplayStore),
} as const;

export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "mailgun",
  displayName: "Mailgun",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  // Mailgun: at most 1000 recipients per batch message
  maxBatchSize: 1000,
  features: {
    envelopeSender: "domain", // selects the sender domain only (spec)
    metadata: true,
    mergeMetadata: true,
    tags: true,
    trackOpens: true,
    trackClicks: true,
    sendAt: true,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true, // emulated per recipient (spec)
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    alternatives: ["text/x-amp-html"], // Mailgun's amp-html field (oracle 9.0)
    replyTo: true,
    multipleFrom: true, // changelog v0.10
  },
  ...lazyCode(() => import("./code.js"), {
    send: true,
    tracking: true,
    inbound: true,
    extraRoutes: { inbound_mime: true },
  }),
});
