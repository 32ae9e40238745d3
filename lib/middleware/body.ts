/**
 * @module
 * Reading and parsing webhook bodies: the raw bytes are kept (signatures are computed over
 * them), then parsed as JSON, urlencoded or multipart form; anything else stays raw
 * (raw MIME, for instance).
 */
import type { Readable } from "node:stream";
import { brotliDecompressSync, gunzipSync, inflateSync, type ZlibOptions } from "node:zlib";
import type { WebhookBody, WebhookFile } from "../esps/types.js";
import {
  AnymailBodyTimeout,
  AnymailMalformedBody,
  AnymailPayloadTooLarge,
  AnymailUnsupportedEncoding,
  tooLarge,
  type BodyLimits,
} from "./limits.js";
import { utf8Text } from "../util/text.js";
import { parseMultipart } from "./multipart.js";

export {
  AnymailBodyTimeout,
  AnymailMalformedBody,
  AnymailPayloadTooLarge,
  AnymailUnsupportedEncoding,
  DEFAULT_LIMITS,
  checkedLimits,
  type BodyLimits,
} from "./limits.js";

const DECOMPRESS = {
  gzip: gunzipSync,
  "x-gzip": gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
} as const satisfies Record<string, (buffer: Buffer, options: ZlibOptions) => Buffer>;

/**
 * Undoes a Content-Encoding (as body-parser does), refusing output past `limit` so a small
 * compressed body cannot expand into a huge one.
 */
export function decodeContentEncoding(
  raw: Buffer,
  header: string | string[] | undefined,
  limit: number,
): Buffer {
  const encoding = (Array.isArray(header) ? header.join(",") : (header ?? "")).trim().toLowerCase();
  if (encoding === "" || encoding === "identity") return raw;
  if (!Object.hasOwn(DECOMPRESS, encoding)) {
    throw new AnymailUnsupportedEncoding(
      `Unsupported Content-Encoding "${encoding.slice(0, 40)}".`,
    );
  }
  try {
    return DECOMPRESS[encoding as keyof typeof DECOMPRESS](raw, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(limit);
    throw new AnymailMalformedBody(`Webhook body is not valid ${encoding} data.`);
  }
}

/** What parsing a body found. */
export interface ParsedBody {
  /** Media type without parameters, lower-cased; "" when the request has none. */
  contentType: string;
  json?: unknown;
  form?: Record<string, string[]>;
  files?: WebhookFile[];
}

/** `text/plain; charset=utf-8` → `text/plain`. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? "").split(";")[0].trim().toLowerCase();
}

/** How much of a body to read, and for how long. */
export interface ReadBodyOptions {
  /** Refuse the body past this many bytes (413). */
  limit: number;
  /** The name of that limit under the router's `limits` option, for the error message. */
  limitName?: keyof BodyLimits;
  /** The body's declared Content-Length, when known: refused at once when over the limit. */
  declaredLength?: number;
  /** Refuse the body when it has not all arrived after this many milliseconds (408). */
  deadlineMs: number;
}

/**
 * The body step: reads a whole body stream (a Node IncomingMessage, or `Readable.fromWeb`
 * of a Fetch Request's body), refusing it past `limit` bytes or `deadlineMs`. On refusal the
 * stream is paused, not destroyed, so the caller can still answer on the same connection.
 */
export function readBody(stream: Readable, options: ReadBodyOptions): Promise<Buffer> {
  const { limit, limitName = "body", declaredLength, deadlineMs } = options;
  if (declaredLength !== undefined && declaredLength > limit) {
    return Promise.reject(tooLarge(limit, limitName));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off("data", onData).off("end", onEnd).off("error", onError);
      stream.off("aborted", onAborted);
      if (error) {
        // stop buffering; the router answers and closes the connection
        stream.pause();
        reject(error);
      } else {
        // a body that arrived in one Buffer (most webhooks: a read is up to 64 KiB) is that
        // Buffer: Node's HTTP parser copies each chunk, so nothing else holds or reuses it
        const only = chunks.length === 1 ? chunks[0] : undefined;
        resolve(only && Buffer.isBuffer(only) ? only : Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) finish(tooLarge(limit, limitName));
      else chunks.push(buffer);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) =>
      finish(new AnymailMalformedBody(`Webhook body could not be read: ${error.message}`));
    const onAborted = () => finish(new AnymailMalformedBody("Webhook request was aborted."));
    const timer = setTimeout(() => {
      finish(
        new AnymailBodyTimeout(
          `Webhook body did not arrive within ${deadlineMs} ms ` +
            `(raise it with anymailRouter({ limits: { bodyTimeoutMs: … } })).`,
        ),
      );
    }, deadlineMs);
    timer.unref?.();
    stream.on("data", onData).on("end", onEnd).on("error", onError).on("aborted", onAborted);
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    // a BOM is stripped by slicing: a regex replace would copy every large body
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AnymailMalformedBody(`Malformed JSON in ${what}: ${reason}`);
  }
}

function tooManyFields(limit: number): AnymailPayloadTooLarge {
  return new AnymailPayloadTooLarge(
    `Webhook form has more than ${limit} fields ` +
      `(raise it with anymailRouter({ limits: { fields: … } })).`,
  );
}

/**
 * One name or value of a urlencoded body, `+` as space and percent-escapes decoded as UTF-8;
 * undefined where `decodeURIComponent` refuses it (a stray `%`, bytes that are not UTF-8).
 * Where it accepts, it decodes exactly as URLSearchParams does.
 */
function decodeFormComponent(text: string): string | undefined {
  const spaced = text.includes("+") ? text.replaceAll("+", " ") : text;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}

function parseUrlencoded(text: string, limits: Required<BodyLimits>): Record<string, string[]> {
  // the native decodeURIComponent is several times faster than URLSearchParams' decoder on
  // escape-heavy bodies (a form field of JSON, issue #19); URLSearchParams takes the rest
  return parseUrlencodedFast(text, limits) ?? parseUrlencodedSlow(text, limits);
}

/** The form, or undefined when a component needs URLSearchParams' lenient decoding. */
function parseUrlencodedFast(
  text: string,
  limits: Required<BodyLimits>,
): Record<string, string[]> | undefined {
  const form: Record<string, string[]> = Object.create(null);
  let count = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf("&", start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (++count > limits.fields) throw tooManyFields(limits.fields);
      const equals = text.indexOf("=", start);
      const split = equals !== -1 && equals < end;
      const name = decodeFormComponent(text.slice(start, split ? equals : end));
      const value = split ? decodeFormComponent(text.slice(equals + 1, end)) : "";
      if (name === undefined || value === undefined) return undefined;
      (form[name] ??= []).push(value);
    }
    start = end + 1;
  }
  return form;
}

function parseUrlencodedSlow(text: string, limits: Required<BodyLimits>): Record<string, string[]> {
  const form: Record<string, string[]> = Object.create(null);
  let count = 0;
  for (const [name, value] of new URLSearchParams(text)) {
    if (++count > limits.fields) throw tooManyFields(limits.fields);
    (form[name] ??= []).push(value);
  }
  return form;
}

/**
 * Parses a raw body by its Content-Type. JSON sent as text/plain (some notification services do) is
 * parsed when it looks like JSON; malformed JSON there is left raw, not an error.
 */
export async function parseBody(
  raw: Buffer,
  contentTypeHeader: string | undefined,
  limits: Required<BodyLimits>,
): Promise<ParsedBody> {
  const contentType = mediaTypeOf(contentTypeHeader);
  if (raw.length === 0) return { contentType };
  if (contentType === "application/json" || contentType.endsWith("+json")) {
    return { contentType, json: parseJson(utf8Text(raw), "the webhook body") };
  }
  if (contentType === "text/plain" || contentType === "") {
    const text = utf8Text(raw).trim();
    if (/^[{[]/.test(text)) {
      try {
        return { contentType, json: JSON.parse(text.replace(/^\uFEFF/, "")) };
      } catch {
        return { contentType };
      }
    }
    return { contentType };
  }
  if (contentType === "application/x-www-form-urlencoded") {
    return { contentType, form: parseUrlencoded(utf8Text(raw), limits) };
  }
  if (contentType === "multipart/form-data") {
    return { contentType, ...(await parseMultipart(raw, contentTypeHeader ?? "", limits)) };
  }
  return { contentType };
}

/**
 * Parses a raw body as the route declares (`WebhookHandler.body`): "auto" by its
 * Content-Type, "json" whatever the Content-Type (400 when it is not JSON), "form" as
 * urlencoded or multipart (400 when it is neither), "raw" not at all.
 */
export async function parseDeclaredBody(
  raw: Buffer,
  contentTypeHeader: string | undefined,
  kind: WebhookBody,
  limits: Required<BodyLimits>,
): Promise<ParsedBody> {
  const contentType = mediaTypeOf(contentTypeHeader);
  switch (kind) {
    case "raw":
      return { contentType };
    case "json":
      if (raw.length === 0) throw new AnymailMalformedBody("Webhook body is empty; expected JSON.");
      return { contentType, json: parseJson(utf8Text(raw), "the webhook body") };
    case "form":
      if (
        contentType !== "application/x-www-form-urlencoded" &&
        contentType !== "multipart/form-data"
      ) {
        throw new AnymailMalformedBody(
          `Webhook body is ${contentType || "untyped"}; this URL expects a form post ` +
            `(application/x-www-form-urlencoded or multipart/form-data). Check which URL ` +
            `the webhook is configured to call.`,
        );
      }
      return parseBody(raw, contentTypeHeader, limits);
    default:
      return parseBody(raw, contentTypeHeader, limits);
  }
}

/**
 * A body some earlier middleware already parsed (`express.json()` before the router): its
 * raw bytes are gone unless it was `express.raw()`. Returns what can still be used.
 */
export function fromPreParsedBody(
  body: unknown,
  contentTypeHeader: string | undefined,
): ParsedBody & { raw: Buffer | null } {
  const contentType = mediaTypeOf(contentTypeHeader);
  if (Buffer.isBuffer(body)) return { contentType, raw: body };
  if (typeof body === "string") return { contentType, raw: Buffer.from(body, "utf8") };
  if (contentType === "application/x-www-form-urlencoded" && body && typeof body === "object") {
    // express.urlencoded({ extended: false }) gives string | string[] values
    const form: Record<string, string[]> = Object.create(null);
    for (const [name, value] of Object.entries(body)) {
      form[name] = (Array.isArray(value) ? value : [value]).map(String);
    }
    return { contentType, raw: null, form };
  }
  if (contentType === "multipart/form-data") {
    // multer before the router consumed the files too: nothing reliable is left
    return { contentType, raw: null };
  }
  return { contentType, raw: null, json: body };
}
