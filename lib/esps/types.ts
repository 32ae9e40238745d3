/**
 * @module
 * The contract between the ESP-neutral core and one ESP's folder.
 * An ESP is one object that `satisfies EspAdapter`, registered in `registry.ts`.
 */
import type { SettingSpecs } from "../settings.js";
import type { AnymailMessage, NormalizedMessage } from "../sender/message.js";
import type { RecipientStatus } from "../sender/status.js";
import type { HttpClient } from "../sender/http.js";
import type { AnymailTrackingEvent } from "../events/tracking.js";
import type { AnymailInboundEvent } from "../events/inbound.js";

/**
 * Which of the spec's optional features an ESP can express. A missing or false entry is
 * unsupported: the core raises AnymailUnsupportedFeature (or drops the feature when
 * `ignoreUnsupportedFeatures` is set) before the adapter is called.
 */
export interface FeatureSupport {
  /** true, or "domain" when the ESP uses only the envelope sender's domain. */
  envelopeSender?: boolean | "domain";
  metadata?: boolean;
  mergeMetadata?: boolean;
  /** true, or "single" when the ESP takes one tag only (extra tags are unsupported). */
  tags?: boolean | "single";
  trackOpens?: boolean;
  trackClicks?: boolean;
  sendAt?: boolean;
  templateId?: boolean;
  /** Batch sending with per-recipient merge data. */
  mergeData?: boolean;
  mergeGlobalData?: boolean;
  mergeHeaders?: boolean;
  attachments?: boolean;
  /** Inline images (attachments with a Content-ID); unsupported ones become plain attachments when ignored. */
  inlineImages?: boolean;
  /** Alternative parts beyond text/html: true for any, or the accepted content types. */
  alternatives?: boolean | readonly string[];
  /** true, or "single" when only one Reply-To address is allowed. */
  replyTo?: boolean | "single";
  /** Several From addresses. */
  multipleFrom?: boolean;
  /** A `To` header different from the envelope recipients. */
  spoofedTo?: boolean;
}

/** What the adapter returns from a send. */
export interface SendResult {
  /** Per recipient addr-spec (as given in the message): status and message id. */
  recipients: Record<string, RecipientStatus>;
  /** The ESP's raw answer (for HTTP ESPs, `response.toEspResponse()`). */
  espResponse: unknown;
}

/** What the core gives an adapter's `send`. */
export interface SendContext {
  /** The ESP's display name ("Mailgun"). */
  espName: string;
  /** The adapter's settings, resolved once in createSender (option → env). */
  settings: Record<string, unknown>;
  /** The shared HTTP client of this sender (keep-alive pool, timeouts, debug output). */
  http: HttpClient;
  /** The caller's own message object (the test ESP records it). */
  original: AnymailMessage;
  /** The sender's outbox; only the test ESP fills it. */
  outbox: AnymailMessage[];
  ignoreUnsupportedFeatures: boolean;
  /**
   * A data-dependent limit: throws AnymailUnsupportedFeature naming the feature, unless
   * `ignoreUnsupportedFeatures` is set, in which case it returns and the adapter degrades.
   */
  unsupported(feature: string): void;
  /** JSON.stringify that throws AnymailSerializationError naming the offending key. */
  serializeJson(value: unknown, what: string): string;
  /** Per-sender memo for clients that should be created once (e.g. an SDK client). */
  memo<T>(key: string, create: () => T): T;
}

/** One uploaded file of a multipart webhook body. */
export interface WebhookFile {
  fieldName: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** An incoming webhook call, already read and parsed by the router. No Express types. */
export interface WebhookRequest {
  method: string;
  /** The public URL the ESP called (proxy headers honoured as Express's `trust proxy` says). */
  url: URL;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes exactly as received (empty for GET/HEAD). */
  rawBody: Buffer;
  /** The media type of the body, lower-cased, without parameters ("application/json"). */
  contentType: string;
  /** The parsed JSON body, when the body is JSON (also JSON sent as text/plain). */
  json?: unknown;
  /** Form fields (urlencoded or multipart); repeated fields keep every value, in order. */
  form?: Record<string, string[]>;
  /** Multipart files. */
  files?: WebhookFile[];
  /** True when the request carried a configured basic-auth webhook secret. */
  basicAuthPassed: boolean;
}

export interface Logger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  info?(message: string): void;
}

/** What the router gives a webhook handler. */
export interface WebhookContext {
  espName: string;
  /** The adapter's webhook settings, resolved once (option → env). */
  settings: Record<string, unknown>;
  logger: Logger;
  /** `fetch` for handlers that call out (e.g. confirming an SNS subscription). */
  fetch: typeof globalThis.fetch;
}

export type AnymailEvent = AnymailTrackingEvent | AnymailInboundEvent;

/**
 * A pure function from a webhook request to events. It throws
 * AnymailWebhookValidationFailure for bad signatures and AnymailError for bad input;
 * the router maps both to 400.
 */
export interface WebhookHandler {
  /** Which emitter channel(s) the events go to. */
  kind: "tracking" | "inbound" | "mixed";
  /** Verify the ESP's own signature (runs after basic auth, before `handle`). */
  verify?(request: WebhookRequest, context: WebhookContext): void | Promise<void>;
  /** Turn the request into events (dispatched in order by the router). */
  handle(
    request: WebhookRequest,
    context: WebhookContext,
  ): AnymailEvent[] | Promise<AnymailEvent[]>;
  /** Methods besides POST that answer 200 without events (Mandrill probes with HEAD). */
  probeMethods?: readonly string[];
  /**
   * Optional plain response body/status for handlers that must answer something other than
   * an empty 200 (none do today; reserved).
   */
}

/** One ESP. */
export interface EspAdapter {
  /** URL segment and settings key, as in the spec: "mailgun", "amazon_ses". */
  name: string;
  /** The spec's display name: "Mailgun", "Amazon SES". */
  displayName: string;
  /** Other names accepted by createSender and the router ("brevo"). */
  aliases?: readonly string[];
  /** Env prefixes for settings; default: the name upper-cased ("AMAZON_SES"). */
  envPrefixes?: readonly string[];
  /** Sending settings (options of createSender). */
  settings?: SettingSpecs;
  features: FeatureSupport;
  /**
   * Throws AnymailImproperlyInstalled when an optional package this ESP needs for sending
   * is missing; createSender calls it once, so the error comes before the first send.
   */
  checkInstalled?(settings: Record<string, unknown>): void;
  send?(message: NormalizedMessage, context: SendContext): Promise<SendResult>;
  /** Webhook settings (options of anymailRouter, per ESP). */
  webhookSettings?: SettingSpecs;
  /**
   * True when this ESP's own signature check is active with these settings, so the
   * missing-basic-auth warning is not logged (design.md).
   */
  signatureChecked?(settings: Record<string, unknown>): boolean;
  /** Answer 401 with `WWW-Authenticate: Basic` when credentials are missing (Amazon SNS). */
  basicAuthChallenge?: boolean;
  /** `/<esp>/tracking/` */
  tracking?: WebhookHandler;
  /** `/<esp>/inbound/` */
  inbound?: WebhookHandler;
  /** Other routes under `/<esp>/`, e.g. `{ inbound_mime: … }` or `{ "": … }` for Mandrill's single URL. */
  extraRoutes?: Record<string, WebhookHandler>;
  /** A message for `/<esp>/inbound/` when the ESP has no inbound (answers 404 with it). */
  noInboundMessage?: string;
}

/** The env prefixes of an adapter. */
export function envPrefixesOf(adapter: EspAdapter): string[] {
  return adapter.envPrefixes ? [...adapter.envPrefixes] : [adapter.name.toUpperCase()];
}
