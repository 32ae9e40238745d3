/**
 * @module
 * The contract between the ESP-neutral core and one ESP's folder.
 * An ESP is one object that `satisfies EspAdapter`, registered in `registry.ts`.
 */
import type { SettingSpecs, SettingsOf } from "../settings.js";
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
  /**
   * Batch sending with per-recipient merge data; "withTemplate" when the ESP substitutes
   * merge data only into a stored template (then mergeData without templateId is unsupported).
   */
  mergeData?: boolean | "withTemplate";
  /** Global merge data; "withTemplate" as for mergeData. */
  mergeGlobalData?: boolean | "withTemplate";
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

/** What the core gives an adapter's `send`. `Settings` are the adapter's resolved settings. */
export interface SendContext<Settings = Readonly<Record<string, unknown>>> {
  /** The ESP's display name ("Mailgun"): use it in every error message. */
  espName: string;
  /** The adapter's settings, resolved and type-checked once in createSender (option → env). */
  settings: Settings;
  /**
   * The shared HTTP client of this sender (keep-alive pool, timeouts, User-Agent, debug
   * output, errors wrapped): `ctx.http.postJson(url, body, headers)` for a JSON API.
   */
  http: HttpClient;
  /** The caller's message as given, before defaults and normalization. */
  original: AnymailMessage;
  /**
   * A data-dependent limit: throws AnymailUnsupportedFeature naming the feature, unless
   * `ignoreUnsupportedFeatures` is set, in which case it returns and the adapter degrades.
   */
  unsupported(feature: string): void;
  /** JSON.stringify that throws AnymailSerializationError naming the offending key. */
  serializeJson(value: unknown, what: string): string;
  /** Per-sender memo for things created once per sender (an SDK client, the test outbox). */
  memo<T>(key: string, create: () => T): T;
}

/** One uploaded file of a multipart webhook body. */
export interface WebhookFile {
  fieldName: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * How a route wants its body. The router always keeps the raw bytes (`rawBody`) and parses
 * only what the route declares:
 * - "json": `json` is set (any content type; a body that is not JSON answers 400);
 * - "form": `form` (and `files` for multipart) are set (urlencoded or multipart/form-data);
 * - "auto" (default): parsed by its Content-Type, when it is one of the above;
 * - "raw": nothing is parsed (raw MIME, or a handler that parses for itself).
 */
export type WebhookBody = "json" | "form" | "auto" | "raw";

/** An incoming webhook call, already read and parsed by the router. No Express types. */
export interface WebhookRequest {
  method: string;
  /**
   * The public URL the ESP called: the Host header, or the proxy's X-Forwarded-* headers
   * only where the app trusts its proxy (Express `trust proxy`).
   */
  url: URL;
  /** Lower-cased header names. Read one with `webhookHeader(request, name)`. */
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes exactly as received (decoded from Content-Encoding; empty for GET/HEAD). */
  rawBody: Buffer;
  /** The media type of the body, lower-cased, without parameters ("application/json"). */
  contentType: string;
  /** The parsed JSON body, when the route's `body` is "json" (or "auto" and the body is JSON). */
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
export interface WebhookContext<Settings = Readonly<Record<string, unknown>>> {
  espName: string;
  /** The adapter's webhook settings, resolved and type-checked once (option → env). */
  settings: Settings;
  logger: Logger;
  /** `fetch` for handlers that call out (e.g. confirming an SNS subscription). */
  fetch: typeof globalThis.fetch;
}

export type AnymailEvent = AnymailTrackingEvent | AnymailInboundEvent;

/**
 * An ESP's own proof that a webhook call is authentic (an HMAC, a public-key signature).
 * The router runs `verify` after basic auth and after reading the body, before `handle`.
 */
export interface WebhookSignature<Settings = Readonly<Record<string, unknown>>> {
  /** True when these settings turn the check on (e.g. a signing key is configured). */
  enabled(settings: Settings): boolean;
  /**
   * True when a valid signature proves that the ESP account sent the call. False where
   * anyone can produce a valid one (any AWS account can sign an SNS message): then the
   * router still warns when no basic-auth secret is set. @default true
   */
  provesSender?(settings: Settings): boolean;
  /** Throws AnymailWebhookValidationFailure (→ 400) when the call is not authentic. */
  verify(request: WebhookRequest, context: WebhookContext<Settings>): void | Promise<void>;
}

/**
 * One webhook route: a pure function from a request to events. It throws
 * AnymailWebhookValidationFailure for bad signatures and AnymailError for bad input;
 * the router maps both to 400.
 */
export interface WebhookHandler<Settings = Readonly<Record<string, unknown>>> {
  /** Which body the route parses (see WebhookBody). @default "auto" */
  body?: WebhookBody;
  /** The ESP's signature check, when it signs this route. */
  signature?: WebhookSignature<Settings>;
  /** Turn the request into events (dispatched in order by the router). */
  handle(
    request: WebhookRequest,
    context: WebhookContext<Settings>,
  ): AnymailEvent[] | Promise<AnymailEvent[]>;
  /** Methods besides POST and HEAD that answer 200 without events (an ESP's URL check). */
  probeMethods?: readonly string[];
}

/**
 * One ESP. Declare it with `defineEsp({...})` so its settings type its options, its
 * `send` and its handlers. `S` are the send settings, `W` the webhook settings.
 */
export interface EspAdapter<
  S extends SettingSpecs = SettingSpecs,
  W extends SettingSpecs = SettingSpecs,
  Api extends object = object,
> {
  /** URL segment and settings key, as in the spec: "mailgun", "amazon_ses". */
  name: string;
  /** The spec's display name: "Mailgun", "Amazon SES". */
  displayName: string;
  /** Other names accepted by createSender and the router ("brevo"). */
  aliases?: readonly string[];
  /** Env prefixes for settings; default: the name upper-cased ("AMAZON_SES"). */
  envPrefixes?: readonly string[];
  /** Sending settings: the options of createSender (besides the common ones). */
  settings?: S;
  features: FeatureSupport;
  /**
   * The most `to` recipients one batch send (merge data) may have in one API call, where the
   * ESP documents a limit; queued sending splits larger batches into parts of this size.
   */
  maxBatchSize?: number;
  /**
   * Throws AnymailImproperlyInstalled when an optional package this ESP needs for sending
   * is missing; createSender calls it once, so the error comes before the first send.
   */
  checkInstalled?(settings: SettingsOf<S>): void;
  send?(message: NormalizedMessage, context: SendContext<SettingsOf<S>>): Promise<SendResult>;
  /** Extra members of this ESP's Sender (the test ESP's `outbox`), built from its memo. */
  senderApi?(memo: <T>(key: string, create: () => T) => T): Api;
  /** Webhook settings: the router's per-ESP options (`anymailRouter({ <name>: {…} })`). */
  webhookSettings?: W;
  /** Answer 401 with `WWW-Authenticate: Basic` when credentials are missing (Amazon SNS). */
  basicAuthChallenge?: boolean;
  /** `/<esp>/tracking/` */
  tracking?: WebhookHandler<SettingsOf<W>>;
  /** `/<esp>/inbound/` */
  inbound?: WebhookHandler<SettingsOf<W>>;
  /** Other routes under `/<esp>/`, e.g. `{ inbound_mime: … }` or `{ "": … }` for Mandrill's single URL. */
  extraRoutes?: Record<string, WebhookHandler<SettingsOf<W>>>;
  /** A message for `/<esp>/inbound/` when the ESP has no inbound (answers 404 with it). */
  noInboundMessage?: string;
  /**
   * Imports the ESP's code when the adapter declares it with `lazyCode`; the router awaits it
   * before a route's first call. Returns nothing once the code is in place.
   */
  load?(): Promise<void> | void;
}

/** Any adapter, whatever its settings (what the registry and the router hold). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- settings types vary per ESP
export type AnyEspAdapter = EspAdapter<any, any, object>;

/**
 * Declares an ESP: the settings tables type everything else (options, `ctx.settings`).
 *
 * @example
 * export const acmeMail = defineEsp({
 *   name: "acme_mail",
 *   displayName: "Acme Mail",
 *   settings: { apiKey: setting.string({ required: true, espKey: true, secret: true }) },
 *   features: { tags: true },
 *   send: (message, ctx) => sendAcme(message, ctx), // ctx.settings.apiKey: string
 * });
 */
export function defineEsp<
  const N extends string,
  const S extends SettingSpecs = Record<never, never>,
  const W extends SettingSpecs = Record<never, never>,
  Api extends object = Record<never, never>,
  const Aliases extends readonly string[] = readonly [],
>(
  adapter: EspAdapter<S, W, Api> & { name: N; aliases?: Aliases },
): DefinedEsp<N, Aliases, S, W, Api> {
  return { settings: {} as S, webhookSettings: {} as W, ...adapter };
}

/** What defineEsp returns: the adapter with its names as literal types. */
export type DefinedEsp<
  N extends string,
  Aliases extends readonly string[],
  S extends SettingSpecs,
  W extends SettingSpecs,
  Api extends object,
> = Omit<EspAdapter<S, W, Api>, "name" | "aliases" | "settings" | "webhookSettings"> & {
  name: N;
  aliases?: Aliases;
  settings: S;
  webhookSettings: W;
};

/** The parts of an adapter that are code, which `lazyCode` imports on first use. */
export type EspCode = Pick<AnyEspAdapter, "send" | "tracking" | "inbound" | "extraRoutes">;

/** Which parts an ESP's code module has: every key of its `code`, and of its extraRoutes. */
export type EspCodeShape<C extends EspCode> = {
  [K in keyof C]-?: K extends "extraRoutes" ? { [R in keyof NonNullable<C[K]>]-?: true } : true;
};

/**
 * An ESP's send and webhook handlers, imported from its code module on first use, so that
 * `import("anymail")` loads only the ESPs' declarations (bench/cold-import.ts). The stubs
 * returned stand in for `code`'s parts: `send` and `handle` import the code when called,
 * and `load()` (awaited by the router before a route's first call) makes each handler the
 * real one, with its `body`, `signature` and `probeMethods`.
 *
 * @example
 * export const adapter = defineEsp({
 *   name: "acme_mail",
 *   // …settings, features
 *   ...lazyCode(() => import("./code.js"), { send: true, tracking: true }),
 * });
 */
export function lazyCode<C extends EspCode>(
  importCode: () => Promise<{ code: C }>,
  shape: EspCodeShape<C>,
): C & { load(): Promise<void> | void } {
  let code: C | undefined;
  let loading: Promise<C> | undefined;
  const handlers: Array<[WebhookHandler, (code: C) => WebhookHandler | undefined]> = [];
  const loaded = (): Promise<C> =>
    (loading ??= importCode().then((module) => {
      for (const [stub, real] of handlers) {
        const handler = real(module.code);
        if (!handler) throw new Error("lazyCode: a route of the shape is missing from `code`");
        Object.assign(stub, handler);
      }
      code = module.code;
      return module.code;
    }, retry));
  // a failed import (EMFILE, a file being deployed) is tried again by the next call
  function retry(error: unknown): never {
    loading = undefined;
    throw error;
  }
  const stubOf = (real: (code: C) => WebhookHandler | undefined): WebhookHandler => {
    const stub: WebhookHandler = {
      // replaced by the real handle once loaded
      handle: async (request, context) => (await loaded(), stub.handle(request, context)),
    };
    handlers.push([stub, real]);
    return stub;
  };
  const parts: EspCode & { load(): Promise<void> | void } = {
    load: () => (code ? undefined : loaded().then(() => undefined)),
  };
  if (shape.send) {
    parts.send = function (this: unknown, message, context) {
      if (code) return code.send!.call(this, message, context);
      return loaded().then((c) => c.send!.call(this, message, context));
    };
  }
  if (shape.tracking) parts.tracking = stubOf((c) => c.tracking);
  if (shape.inbound) parts.inbound = stubOf((c) => c.inbound);
  if (shape.extraRoutes) {
    parts.extraRoutes = Object.fromEntries(
      Object.keys(shape.extraRoutes).map((key) => [key, stubOf((c) => c.extraRoutes?.[key])]),
    );
  }
  return parts as C & { load(): Promise<void> | void };
}

/** The resolved send settings of an adapter. */
export type SendSettingsOf<A> =
  A extends EspAdapter<infer S, SettingSpecs, object> ? SettingsOf<S> : never;

/** The resolved webhook settings of an adapter. */
export type WebhookSettingsOf<A> =
  A extends EspAdapter<SettingSpecs, infer W, object> ? SettingsOf<W> : never;

/** The env prefixes of an adapter. */
export function envPrefixesOf(adapter: EspAdapter): string[] {
  return adapter.envPrefixes ? [...adapter.envPrefixes] : [adapter.name.toUpperCase()];
}
