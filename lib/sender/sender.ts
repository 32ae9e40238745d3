/**
 * @module
 * createSender and Sender: the ESP-neutral send path (defaults, normalization, feature
 * checks, preSend/postSend, recipient status, errors) around one ESP adapter.
 */
import type { UrlAccessOptions } from "../util/fetch-url.js";
import {
  AnymailCancelSend,
  AnymailConfigurationError,
  AnymailError,
  AnymailRecipientsRefused,
  AnymailUnsupportedFeature,
} from "../errors.js";
import { getAdapter } from "../esps/registry.js";
import type { EspOptions, KnownEspName, SenderApiOf } from "../esps/registry.js";
import { envPrefixesOf, type AnyEspAdapter, type SendContext } from "../esps/types.js";
import { resolveSetting, resolveSettings, secretValues, type Env } from "../settings.js";
import { serializeJson } from "../util/json.js";
import { applySendDefaults, MERGE_RULES } from "./defaults.js";
import { enforceFeatures } from "./features.js";
import { HttpClient, type FetchLike, type HttpTransport, type RequestsTimeout } from "./http.js";
import type { AnymailMessage, SendDefaults } from "./message.js";
import { normalizeMessage } from "./normalize.js";
import { AnymailStatus } from "./status.js";

/** Options every sender takes, besides its ESP's own settings (apiKey, …). */
export interface SenderOptions {
  /** Defaults for every message (spec SEND_DEFAULTS). */
  sendDefaults?: SendDefaults;
  /** Defaults for this ESP only; they replace (not merge) the same keys of sendDefaults. */
  espSendDefaults?: SendDefaults;
  /** Send anyway, dropping features the ESP cannot express. @default false */
  ignoreUnsupportedFeatures?: boolean;
  /**
   * Refuse a message (or send default) with a field anymail does not know, such as a
   * misspelled `attachements`, instead of sending without it. @default true
   */
  strict?: boolean;
  /**
   * Limits for attachments given as a URL (`href`): `maxBytes` (10 MiB), `timeoutMs`
   * (30 000) and the allowed `protocols` (["https:"]).
   */
  urlAccess?: UrlAccessOptions;
  /** Never throw AnymailRecipientsRefused. @default false */
  ignoreRecipientStatus?: boolean;
  /** Seconds for HTTP ESP calls: one number, or [connect, read]; null for none. @default 30 */
  requestsTimeout?: RequestsTimeout;
  /** Print each HTTP request and response, credentials redacted. @default false */
  debugApiRequests?: boolean;
  /** Where debug output goes. @default process.stdout */
  debugStream?: { write(chunk: string): unknown };
  /** A fetch to use instead of the built-in pooled one (e.g. node-fetch). */
  fetch?: FetchLike;
  /**
   * Answer requests in process instead of over the network (tests, benchmarks): the whole
   * send path runs, only the wire is replaced. See docs/sending.md "In-process transport".
   */
  transport?: HttpTransport;
  /** Environment to read settings from. @default process.env */
  env?: Env;
}

/**
 * The options of `createSender(esp, …)`: the common ones plus that ESP's settings, checked
 * by name for the ESPs known at compile time (any name goes for a name only known at run time).
 */
export type CreateSenderOptions<E extends string> = SenderOptions &
  (E extends KnownEspName ? EspOptions<E> : Record<string, unknown>);

export type PreSendListener = (message: AnymailMessage, espName: string) => void | Promise<void>;
export type PostSendListener = (
  message: AnymailMessage,
  status: AnymailStatus,
  espName: string,
) => void | Promise<void>;

const GLOBAL_SETTINGS = {
  sendDefaults: {},
  ignoreUnsupportedFeatures: { default: false },
  ignoreRecipientStatus: { default: false },
  strict: { default: true },
  requestsTimeout: { default: 30 },
  debugApiRequests: { default: false },
} as const;

const OTHER_OPTIONS = new Set([
  "espSendDefaults",
  "debugStream",
  "fetch",
  "transport",
  "urlAccess",
  "env",
]);

/** `some_esp` → `someEspSendDefaults` */
function espDefaultsOption(name: string): string {
  return name.replace(/[_-](\w)/g, (_, c: string) => c.toUpperCase()) + "SendDefaults";
}

/** Sends messages through one ESP. Create it with `createSender`. */
export class Sender {
  /** The ESP's name as given to createSender (e.g. "acme_mail"). */
  readonly esp: string;
  /** The ESP's display name (e.g. "Acme Mail"). */
  readonly espName: string;
  /** The most `to` recipients of one batch send the ESP takes in one call, where it says. */
  readonly maxBatchSize: number | undefined;
  private readonly preSend: PreSendListener[] = [];
  private readonly postSend: PostSendListener[] = [];
  private readonly memos = new Map<string, unknown>();
  private readonly http: HttpClient;
  private readonly defaults: SendDefaults;
  private readonly ignoreUnsupported: boolean;
  private readonly ignoreRecipientStatus: boolean;
  private readonly strict: boolean;
  private readonly urlAccess: UrlAccessOptions | undefined;
  private readonly settings: Record<string, unknown>;

  constructor(
    private readonly adapter: AnyEspAdapter,
    options: SenderOptions & Record<string, unknown> = {},
  ) {
    this.esp = adapter.name;
    this.espName = adapter.displayName;
    this.maxBatchSize = adapter.maxBatchSize;
    const env = options.env ?? process.env;
    const prefixes = envPrefixesOf(adapter);
    const where = `createSender("${adapter.name}")`;
    const specs = adapter.settings ?? {};
    const defaultsOption = espDefaultsOption(adapter.name);
    const known = new Set([
      ...Object.keys(GLOBAL_SETTINGS),
      ...OTHER_OPTIONS,
      ...Object.keys(specs),
      defaultsOption,
    ]);
    for (const alias of adapter.aliases ?? []) known.add(espDefaultsOption(alias));
    const unknown = Object.keys(options).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      throw new AnymailConfigurationError(
        `${adapter.displayName}: unknown option(s) ${unknown.join(", ")} for ${where}. ` +
          `Known: ${[...known].sort().join(", ")}.`,
        { espName: adapter.displayName },
      );
    }

    const global = resolveSettings(options, GLOBAL_SETTINGS, { env });
    const espDefaults =
      options.espSendDefaults ??
      [adapter.name, ...(adapter.aliases ?? [])]
        .map((name) => options[espDefaultsOption(name)])
        .find((value) => value !== undefined) ??
      resolveSetting({}, "sendDefaults", {}, { prefixes, env });
    this.defaults = { ...(global.sendDefaults as SendDefaults), ...(espDefaults as SendDefaults) };
    this.ignoreUnsupported = Boolean(global.ignoreUnsupportedFeatures);
    this.ignoreRecipientStatus = Boolean(global.ignoreRecipientStatus);
    this.strict = global.strict !== false;
    this.urlAccess = options.urlAccess;
    if (this.strict) checkMessageFields(this.defaults, "sendDefaults", this.espName);
    this.settings = resolveSettings(options, specs, {
      prefixes,
      espName: adapter.displayName,
      where,
      env,
    });
    adapter.checkInstalled?.(this.settings);
    // members the ESP adds to its sender (the test ESP's outbox)
    Object.assign(this, adapter.senderApi?.(this.memo));
    this.http = new HttpClient({
      espName: adapter.displayName,
      esp: adapter.name,
      timeout: global.requestsTimeout as RequestsTimeout,
      fetch: options.fetch,
      transport: options.transport,
      debug: Boolean(global.debugApiRequests),
      debugStream: options.debugStream,
      secrets: secretValues(this.settings, specs),
    });
  }

  /** Adds a listener: "preSend" runs before each send and may edit or cancel the message; "postSend" runs after. */
  on(event: "preSend", listener: PreSendListener): this;
  on(event: "postSend", listener: PostSendListener): this;
  on(event: "preSend" | "postSend", listener: PreSendListener | PostSendListener): this {
    if (event === "preSend") this.preSend.push(listener as PreSendListener);
    else if (event === "postSend") this.postSend.push(listener as PostSendListener);
    else throw new AnymailConfigurationError(`Unknown sender event "${String(event)}"`);
    return this;
  }

  /** Removes a listener added with `on`. */
  off(event: "preSend" | "postSend", listener: PreSendListener | PostSendListener): this {
    const list: unknown[] = event === "preSend" ? this.preSend : this.postSend;
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
    return this;
  }

  /**
   * Sends one message; resolves to its AnymailStatus (also set as `message.anymailStatus`).
   * A preSend listener that throws AnymailCancelSend cancels it: the status is then empty.
   */
  async send(message: AnymailMessage): Promise<AnymailStatus> {
    const status = new AnymailStatus();
    try {
      for (const listener of this.preSend) await listener(message, this.espName);
    } catch (error) {
      if (error instanceof AnymailCancelSend) {
        message.anymailStatus = status;
        return status;
      }
      throw error;
    }
    message.anymailStatus = status;
    const send = this.adapter.send;
    if (!send) {
      throw new AnymailConfigurationError(`${this.espName} cannot send email (webhooks only)`, {
        espName: this.espName,
      });
    }

    if (this.strict) checkMessageFields(message, "message", this.espName);
    const normalizing = normalizeMessage(applySendDefaults(message, this.defaults), {
      urlAccess: this.urlAccess,
    });
    // awaited only when an attachment had to be read: an in-memory message goes straight on
    const normalized = normalizing instanceof Promise ? await normalizing : normalizing;
    const context = this.context(message);
    enforceFeatures(normalized, this.adapter.features, context.unsupported);
    const result = await send.call(this.adapter, normalized, context);
    status.setRecipients(
      givenKeys(result.recipients, normalized.idnaAddrSpecs),
      result.espResponse,
    );

    const listenerErrors: unknown[] = [];
    for (const listener of this.postSend) {
      try {
        await listener(message, status, this.espName);
      } catch (error) {
        listenerErrors.push(error);
      }
    }
    if (!this.ignoreRecipientStatus && everyRecipientRefused(status.recipients)) {
      throw new AnymailRecipientsRefused(
        `${this.espName} refused every recipient: ` +
          Object.entries(status.recipients)
            .map(([email, r]) => `${email} (${r.status})`)
            .join(", "),
        { espName: this.espName, response: status.espResponse },
      );
    }
    if (listenerErrors.length === 1) throw listenerErrors[0];
    if (listenerErrors.length > 1) {
      throw new AggregateError(
        listenerErrors,
        `${listenerErrors.length} postSend listeners failed`,
      );
    }
    return status;
  }

  /**
   * Sends several messages over the sender's keep-alive pool, at most `concurrency` at a
   * time (default 8). Resolves to one settled result per message, in input order; a
   * failure does not stop the rest.
   */
  async sendMany(
    messages: Iterable<AnymailMessage>,
    { concurrency = 8 }: { concurrency?: number } = {},
  ): Promise<PromiseSettledResult<AnymailStatus>[]> {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new AnymailConfigurationError(
        `sendMany: concurrency must be a whole number of at least 1, not ${String(concurrency)}`,
      );
    }
    const list = [...messages];
    const results = new Array<PromiseSettledResult<AnymailStatus>>(list.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < list.length) {
        const index = next++;
        try {
          results[index] = { status: "fulfilled", value: await this.send(list[index]) };
        } catch (reason) {
          results[index] = { status: "rejected", reason };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
    return results;
  }

  /** Closes the sender's connection pool. */
  async close(): Promise<void> {
    await this.http.close();
  }

  private context(original: AnymailMessage): SendContext {
    const espName = this.espName;
    const ignore = this.ignoreUnsupported;
    return {
      espName,
      settings: this.settings,
      http: this.http,
      original,
      unsupported(feature: string): void {
        if (ignore) return;
        throw new AnymailUnsupportedFeature(
          `${espName} does not support ${feature}. ` +
            `(Set ignoreUnsupportedFeatures: true to send without it.)`,
          { espName },
        );
      },
      serializeJson(value: unknown, what: string): string {
        try {
          return serializeJson(value, what);
        } catch (error) {
          if (error instanceof AnymailError) Object.assign(error, { espName });
          throw error;
        }
      },
      memo: this.memo,
    };
  }

  private readonly memo = <T>(key: string, create: () => T): T => {
    if (!this.memos.has(key)) this.memos.set(key, create());
    return this.memos.get(key) as T;
  };
}

// every field a message may have: the send-defaults table's, and what the sender sets
const MESSAGE_FIELDS = new Set<string>([
  ...Object.keys(MERGE_RULES),
  "anymailStatus",
  "anymailTestParams",
]);

/** Throws AnymailError naming fields anymail does not know (a typo would be lost silently). */
function checkMessageFields(message: object, what: string, espName: string): void {
  // the common case, every key known, is decided without listing the keys
  let allKnown = true;
  for (const key in message) {
    if (!MESSAGE_FIELDS.has(key) && Object.hasOwn(message, key)) {
      allKnown = false;
      break;
    }
  }
  if (allKnown) return;
  const unknown = Object.keys(message).filter((key) => !MESSAGE_FIELDS.has(key));
  throw new AnymailError(
    `Unknown ${what} field(s) ${unknown.map((key) => JSON.stringify(key)).join(", ")}. ` +
      `Known fields: ${[...MESSAGE_FIELDS].join(", ")}. (Set strict: false to ignore unknown fields.)`,
    { espName },
  );
}

/** True when the ESP refused (invalid or rejected) every recipient, and there was one at least. */
function everyRecipientRefused(recipients: Record<string, { status: string }>): boolean {
  let any = false;
  for (const email in recipients) {
    const { status } = recipients[email];
    if (status !== "invalid" && status !== "rejected") return false;
    any = true;
  }
  return any;
}

/** Recipient statuses under the addr-specs the caller gave (not their IDNA-encoded forms). */
function givenKeys<T>(
  recipients: Record<string, T>,
  given: Record<string, string> | undefined,
): Record<string, T> {
  if (!given) return recipients;
  return Object.fromEntries(
    Object.entries(recipients).map(([addrSpec, value]) => [given[addrSpec] ?? addrSpec, value]),
  );
}

/**
 * Creates a sender for one ESP.
 * @example
 * const sender = createSender("acme_mail", { apiKey: process.env.ACME_MAIL_API_KEY });
 * const status = await sender.send({ from: "a@example.com", to: "b@example.com", subject: "Hi", text: "…" });
 */
export function createSender<E extends string>(
  // a literal must be a known name (a typo is a compile error); a `string` is checked at run time
  esp: E & (string extends E ? unknown : KnownEspName),
  options?: CreateSenderOptions<E>,
): Sender & SenderApiOf<E> {
  const sender = new Sender(
    getAdapter(esp),
    (options ?? {}) as SenderOptions & Record<string, unknown>,
  );
  return sender as Sender & SenderApiOf<E>;
}
