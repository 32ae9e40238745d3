/**
 * @module
 * The HTTP client every HTTP ESP sends through: one keep-alive pool per sender, the
 * `requestsTimeout`, transport failures and error answers wrapped in AnymailAPIError,
 * and `debugApiRequests` output with every credential redacted.
 */
import type { Agent } from "undici";
import { AnymailAPIError } from "../errors.js";
import type { EspHttpResponse } from "./status.js";
import { serializeJson } from "../util/json.js";
import { Targets, dispatch, type ParseHeaders } from "./dispatch.js";
import { packageVersion } from "../util/version.js";

/** The User-Agent of anymail's requests to one ESP: `anymail/1.2.3 (acme_mail)`. */
export function userAgentFor(esp: string): string {
  return `anymail/${packageVersion()} (${esp})`;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** One request as the sender would put it on the wire. */
export interface TransportRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The serialized body (JSON and urlencoded bodies are strings). */
  body: string | Buffer | FormData | undefined;
}

/** What a transport answers: a status, headers, and the body text or bytes. */
export interface TransportResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * Sends one request without a network: for tests and benchmarks that want the sender's
 * whole path (defaults, normalization, feature checks, request building, response
 * parsing, errors) but an in-process answer.
 *
 * @example
 * const sender = createSender("acme_mail", {
 *   apiKey: "test",
 *   transport: async (request) => ({ status: 200, body: '{"id":"m1"}' }),
 * });
 */
export type HttpTransport = (request: TransportRequest) => Promise<TransportResponse>;

/** Seconds: one number for the whole call, or [connect, read]; null disables timeouts. */
export type RequestsTimeout = number | readonly [number, number] | null;

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** A JSON body (serialized here, Content-Type set). */
  json?: unknown;
  /** A raw body: text, bytes, form data. */
  body?: string | Buffer | FormData | URLSearchParams;
  /** What debug output shows for the body (a multipart body written as bytes lists its fields). */
  describeBody?: () => string;
  /** Statuses to hand back rather than throw on (default: only 2xx are OK). */
  acceptStatus?: (status: number) => boolean;
}

// the first character of any JSON text: { [ " - 0-9 t f n
const JSON_START = /^[\t\n\r ]*[{["\-0-9tfn]/;

/**
 * The AnymailAPIError for an answer the ESP gave but that cannot be used (accepted status,
 * unexpected shape): names the ESP, the status and what was wrong, and keeps the answer.
 */
export function apiResponseError(
  response: HttpResponse,
  espName: string,
  why: string,
): AnymailAPIError {
  return new AnymailAPIError(`${espName} API response ${response.status}: ${why}`, {
    espName,
    statusCode: response.status,
    response: response.toEspResponse(),
  });
}

/** A response, fully read. */
export class HttpResponse {
  // the constructor sets one of the two; the other is made from it when first asked for
  #body: Buffer | undefined;
  #text: string | undefined;

  /** `content`: the body as undici read it (text) or as bytes; the other form is made on demand. */
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    content: Buffer | string,
  ) {
    if (typeof content === "string") this.#text = content;
    else this.#body = content;
  }

  /** The body's bytes. */
  get body(): Buffer {
    return (this.#body ??= Buffer.from(this.#text as string));
  }

  /** The body as UTF-8 text. */
  get text(): string {
    return (this.#text ??= (this.#body as Buffer).toString("utf8"));
  }

  #json?: { value: unknown };

  /** The body parsed as JSON (once: adapters and espResponse share it), or undefined when it is not JSON. */
  get json(): unknown {
    if (!this.#json) {
      let value: unknown;
      const text = this.text;
      // an empty answer (a bare 202) is simply not JSON: don't pay for a thrown error
      if (JSON_START.test(text)) {
        try {
          value = JSON.parse(text);
        } catch {
          value = undefined;
        }
      }
      this.#json = { value };
    }
    return this.#json.value;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The form kept as `anymailStatus.espResponse`. */
  toEspResponse(): EspHttpResponse {
    const json = this.json;
    return {
      status: this.status,
      headers: this.headers,
      body: json === undefined ? this.text : json,
    };
  }
}

export interface HttpClientOptions {
  espName: string;
  /** The ESP's registry name, for the User-Agent ("acme_mail"). */
  esp?: string;
  timeout: RequestsTimeout;
  /** An in-process transport (tests, benchmarks); see SenderOptions.transport. */
  transport?: HttpTransport;
  /** An injected fetch (e.g. node-fetch); default: undici's fetch with a per-sender pool. */
  fetch?: FetchLike;
  debug?: boolean;
  /** Where debug output goes (default: stdout). */
  debugStream?: { write(chunk: string): unknown };
  /** Values never to print (API keys, tokens). */
  secrets: string[];
}

const CREDENTIAL_HEADERS = /authorization|token|api-?key|secret|password|signature/i;

/**
 * `endpoint` under the API base URL `base`, whether or not `base` ends with "/".
 *
 * @example
 * joinUrl("https://api.example.com/v3", "mail/send") // "https://api.example.com/v3/mail/send"
 */
export function joinUrl(base: string, endpoint: string): string {
  return base.endsWith("/") ? base + endpoint : `${base}/${endpoint}`;
}

/** Replaces every known secret (and its base64 forms, as in basic auth) with "[redacted]". */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    const forms = [secret, Buffer.from(secret).toString("base64").replace(/=+$/, "")];
    for (const form of forms) result = result.split(form).join("[redacted]");
  }
  return result;
}

/**
 * The credentials a request carries, in every form an error or log could echo: the
 * Authorization value and its token, a basic-auth pair (base64 and decoded), credential
 * headers (`X-Api-Key`, `X-Server-Token`…) and a URL's userinfo.
 */
export function credentialsOf(url: string, headers: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADERS.test(name) || !value) continue;
    found.push(value);
    const [scheme, token] = value.split(/\s+/, 2);
    if (token) found.push(token);
    if (token && /^basic$/i.test(scheme)) {
      const pair = Buffer.from(token, "base64").toString("utf8");
      found.push(pair, ...pair.split(":"));
    }
  }
  try {
    const { username, password } = new URL(url);
    if (username) found.push(decodeURIComponent(username), username);
    if (password) found.push(decodeURIComponent(password), password);
  } catch {
    // not a URL: nothing to add
  }
  return found.filter((value) => value.length >= 4);
}

/** A URL as it may be printed: userinfo (credentials) replaced. */
function printableUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = "redacted";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url;
  }
}

function timeoutsMs(timeout: RequestsTimeout): { connect: number; read: number } | null {
  if (timeout === null) return null;
  if (typeof timeout === "number") return { connect: timeout * 1000, read: timeout * 1000 };
  return { connect: timeout[0] * 1000, read: timeout[1] * 1000 };
}

function describeBody(body: HttpRequest["body"] | undefined): string {
  if (body === undefined) return "";
  if (typeof body === "string") return body;
  if (Buffer.isBuffer(body)) return body.toString("utf8");
  const lines: string[] = [];
  for (const [name, value] of body.entries()) {
    lines.push(
      typeof value === "string"
        ? `${name}: ${value}`
        : `${name}: <file ${value.name}, ${value.type}, ${value.size} bytes>`,
    );
  }
  return lines.join("\n");
}

/** A Retry-After header (delay-seconds or an HTTP date) in seconds, or undefined. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The shared HTTP client of one sender. */
export class HttpClient {
  /** Sends one request and reads the whole answer. */
  private readonly transport: (
    url: string,
    method: string,
    headers: Record<string, string>,
    body: TransportRequest["body"],
  ) => Promise<HttpResponse>;
  private readonly timeouts: { connect: number; read: number } | null;

  /** `anymail/<version> (<esp>)`: ESPs log and rate-limit by it. */
  readonly userAgent: string;

  constructor(private readonly options: HttpClientOptions) {
    this.userAgent = userAgentFor(options.esp ?? options.espName);
    this.timeouts = timeoutsMs(options.timeout);
    const injected = options.fetch;
    if (injected) {
      const t = this.timeouts;
      this.transport = async (url, method, headers, body) => {
        const init: RequestInit = { method, headers, body: body as RequestInit["body"] };
        // an injected fetch has no pool timeouts: bound the whole call instead
        if (t) init.signal = AbortSignal.timeout(t.connect + t.read);
        const res = await injected(url, init);
        const responseHeaders: Record<string, string> = {};
        res.headers.forEach((value, name) => (responseHeaders[name] = value));
        return new HttpResponse(res.status, responseHeaders, Buffer.from(await res.arrayBuffer()));
      };
    } else if (options.transport) {
      const custom = options.transport;
      this.transport = async (url, method, headers, body) => {
        const res = await custom({ url, method, headers, body });
        const content = res.body ?? "";
        return new HttpResponse(
          res.status,
          res.headers ?? {},
          typeof content === "string" ? content : Buffer.from(content),
        );
      };
    } else {
      // undici's dispatcher API on the sender's pool: the same client as global fetch and
      // undici.request, without their web-streams and Readable layers; loaded on the first
      // request, so a process that never sends never loads it
      const targets = new Targets();
      this.transport = async (url, method, headers, body) => {
        const target = targets.of(url);
        const { agent, parseHeaders } = this.#undici ?? (await this.pool());
        const res = await dispatch(agent, parseHeaders, target, method, headers, body);
        return new HttpResponse(res.status, res.headers, res.text);
      };
    }
  }

  #pool?: Promise<{ agent: Agent; parseHeaders: ParseHeaders }>;
  // set once loaded: later requests skip the dynamic import (its resolution costs more than a send)
  #undici?: { agent: Agent; parseHeaders: ParseHeaders };

  /** The sender's keep-alive pool and undici's header parser, created on first use. */
  private pool(): Promise<{ agent: Agent; parseHeaders: ParseHeaders }> {
    this.#pool ??= import("undici").then(({ Agent: UndiciAgent, util }) => {
      const t = this.timeouts;
      const agent = new UndiciAgent({
        keepAliveTimeout: 30_000,
        connect: { timeout: t ? t.connect : 0 },
        headersTimeout: t ? t.read : 0,
        bodyTimeout: t ? t.read : 0,
      });
      this.#undici = { agent, parseHeaders: util.parseHeaders as ParseHeaders };
      return this.#undici;
    });
    return this.#pool;
  }

  /**
   * POSTs `body` as JSON: serialized with the serialization check (an AnymailSerializationError
   * names the offending key), `Content-Type: application/json`, the sender's User-Agent,
   * timeout and error wrapping. Throws AnymailAPIError unless the answer is accepted.
   *
   * @example
   * const response = await ctx.http.postJson(joinUrl(ctx.settings.apiUrl, "email"), payload, {
   *   Authorization: `Bearer ${ctx.settings.apiKey}`,
   * });
   */
  postJson(
    url: string,
    body: unknown,
    headers: Record<string, string> = {},
    options: Pick<HttpRequest, "acceptStatus"> = {},
  ): Promise<HttpResponse> {
    // not async: the request's own promise is returned as it is (an async wrapper would add
    // a promise and its ticks to every send); a serialization error still rejects
    let text: string;
    try {
      text = serializeJson(body, "the API request", this.options.espName);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.request({
      url,
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: text,
      ...options,
    });
  }

  /** Sends one request; throws AnymailAPIError on transport failure or an unaccepted status. */
  async request(request: HttpRequest): Promise<HttpResponse> {
    const { espName } = this.options;
    const headers: Record<string, string> = { "User-Agent": this.userAgent, ...request.headers };
    let body = request.body;
    if (request.json !== undefined) {
      body = serializeJson(request.json, "the API request", espName);
      headers["Content-Type"] ??= "application/json";
    }
    if (body instanceof URLSearchParams) {
      body = body.toString();
      headers["Content-Type"] ??= "application/x-www-form-urlencoded;charset=UTF-8";
    }
    const method = request.method ?? (body === undefined ? "GET" : "POST");

    let response: HttpResponse;
    try {
      // URLSearchParams became a string above
      response = await this.transport(
        request.url,
        method,
        headers,
        body as TransportRequest["body"],
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const code = (error as { cause?: { code?: string } })?.cause?.code;
      throw new AnymailAPIError(
        redact(
          `${espName}: could not reach the API at ${printableUrl(request.url)}: ${reason}${code ? ` (${code})` : ""}`,
          this.secretsOf(request.url, headers),
        ),
        { espName, cause: error, retriable: true },
      );
    }
    if (this.options.debug) {
      const shown = request.describeBody?.() ?? describeBody(body);
      this.printDebug(method, request.url, headers, shown, response);
    }

    const accepted = request.acceptStatus ? request.acceptStatus(response.status) : response.ok;
    if (!accepted) {
      const known = this.secretsOf(request.url, headers);
      const text = redact(response.text.slice(0, 1000), known);
      const redactedHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        redactedHeaders[name] = redact(value, known);
      }
      throw new AnymailAPIError(`${espName} API response ${response.status}: ${text}`, {
        espName,
        statusCode: response.status,
        response: {
          status: response.status,
          headers: redactedHeaders,
          body: redact(response.text, known),
        },
        retryAfter: parseRetryAfter(response.headers["retry-after"]),
      });
    }
    return response;
  }

  /**
   * The configured secrets, plus whatever form of them this request sends: worked out only
   * when something is printed or thrown (a successful, quiet send never needs them).
   */
  private secretsOf(url: string, headers: Record<string, string>): string[] {
    return [...this.options.secrets, ...credentialsOf(url, headers)];
  }

  private printDebug(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string,
    response: HttpResponse,
  ): void {
    const { debugStream = process.stdout } = this.options;
    const headerLines = Object.entries(headers).map(([name, value]) =>
      CREDENTIAL_HEADERS.test(name) ? `${name}: [redacted]` : `${name}: ${value}`,
    );
    const responseLines = Object.entries(response.headers).map(([n, v]) => `${n}: ${v}`);
    const text = [
      `===== ${this.options.espName} API request =====`,
      `${method} ${printableUrl(url)}`,
      ...headerLines,
      "",
      body,
      `----- ${this.options.espName} API response -----`,
      `${response.status}`,
      ...responseLines,
      "",
      response.text,
      "=====",
      "",
    ].join("\n");
    debugStream.write(redact(text, this.secretsOf(url, headers)));
  }

  /** Closes the keep-alive pool. */
  async close(): Promise<void> {
    await this.#undici?.agent.close();
  }
}
