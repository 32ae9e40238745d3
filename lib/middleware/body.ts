/**
 * @module
 * Reading and parsing webhook bodies: the raw bytes are kept (signatures are computed over
 * them), then parsed as JSON, urlencoded or multipart form; anything else stays raw
 * (raw MIME, for instance).
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import multer from "multer";
import { AnymailWebhookValidationFailure } from "../errors.js";
import type { WebhookFile } from "../esps/types.js";

/** Size limits for webhook bodies (router option `limits`). */
export interface BodyLimits {
  /**
   * Largest body, in bytes, of any kind; larger ones answer 413. Inbound mail with
   * attachments arrives base64-encoded in a form field or JSON, a third larger than the
   * message itself.
   * @default 41943040 (40 MiB)
   */
  body?: number;
  /** Most form fields in a urlencoded or multipart body. @default 1000 */
  fields?: number;
  /** Most files in a multipart body. @default 500 */
  files?: number;
}

export const DEFAULT_LIMITS = {
  body: 40 * 1024 * 1024,
  fields: 1000,
  files: 500,
} as const satisfies Required<BodyLimits>;

/** The body was larger than the configured limit (answers 413). */
export class AnymailPayloadTooLarge extends AnymailWebhookValidationFailure {}

/** A body whose bytes cannot be parsed as its content type says (answers 400). */
export class AnymailMalformedBody extends AnymailWebhookValidationFailure {}

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

function tooLarge(limit: number): AnymailPayloadTooLarge {
  return new AnymailPayloadTooLarge(
    `Webhook body is larger than the ${limit}-byte limit ` +
      `(raise it with anymailRouter({ limits: { body: … } })).`,
  );
}

/** Reads the whole request body, refusing it once it exceeds `limit` bytes. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      req.off("data", onData).off("end", onEnd).off("error", onError).off("aborted", onAborted);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) {
        // stop buffering; the router answers 413 and closes the connection
        req.pause();
        finish(tooLarge(limit));
      } else chunks.push(buffer);
    };
    const onEnd = () => finish(null);
    const onError = (error: Error) =>
      finish(new AnymailMalformedBody(`Webhook body could not be read: ${error.message}`));
    const onAborted = () => finish(new AnymailMalformedBody("Webhook request was aborted."));
    req.on("data", onData).on("end", onEnd).on("error", onError).on("aborted", onAborted);
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
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

function parseUrlencoded(text: string, limits: Required<BodyLimits>): Record<string, string[]> {
  const form: Record<string, string[]> = Object.create(null);
  let count = 0;
  for (const [name, value] of new URLSearchParams(text)) {
    if (++count > limits.fields) throw tooManyFields(limits.fields);
    (form[name] ??= []).push(value);
  }
  return form;
}

/**
 * multer nests bracketed field names (`a[b]`, `a[0]`) into objects; webhooks want the
 * names as sent, so this walks the nesting back to flat names.
 */
function flattenFields(
  value: unknown,
  name: string,
  form: Record<string, string[]>,
  top: boolean,
): void {
  if (Array.isArray(value)) {
    // a repeated plain field (`x`, `x`) arrives as an array of strings
    if (value.every((item) => typeof item === "string") && (top || value.length > 0)) {
      (form[name] ??= []).push(...(value as string[]));
    } else value.forEach((item, index) => flattenFields(item, `${name}[${index}]`, form, false));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      flattenFields(item, top ? key : `${name}[${key}]`, form, false);
    }
  } else if (value !== undefined) {
    (form[name] ??= []).push(String(value));
  }
}

interface MulterRequest extends Readable {
  headers: Record<string, string>;
  body?: unknown;
  files?: Express.Multer.File[];
}

const LIMIT_CODES = new Set([
  "LIMIT_PART_COUNT",
  "LIMIT_FILE_SIZE",
  "LIMIT_FILE_COUNT",
  "LIMIT_FIELD_KEY",
  "LIMIT_FIELD_VALUE",
  "LIMIT_FIELD_COUNT",
]);

async function parseMultipart(
  raw: Buffer,
  contentTypeHeader: string,
  limits: Required<BodyLimits>,
): Promise<{ form: Record<string, string[]>; files: WebhookFile[] }> {
  if (!/;\s*boundary=/i.test(contentTypeHeader)) {
    throw new AnymailMalformedBody("Malformed multipart body: no boundary in Content-Type.");
  }
  const upload = multer({
    storage: multer.memoryStorage(),
    // filenames in the wild are UTF-8 (RFC 7578); multer's default reads them as latin1
    defParamCharset: "utf8",
    limits: {
      // multer's 1 MB field-size default is too small for raw-MIME fields (design.md)
      fieldSize: limits.body,
      fileSize: limits.body,
      fields: limits.fields,
      files: limits.files,
      parts: limits.fields + limits.files,
    },
  }).any();
  const request: MulterRequest = Object.assign(Readable.from([raw]), {
    headers: { "content-type": contentTypeHeader, "content-length": String(raw.length) },
  });
  await new Promise<void>((resolve, reject) => {
    const next = (error?: unknown) => (error ? reject(error) : resolve());
    upload(request as never, {} as never, next);
  }).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && LIMIT_CODES.has(code)) {
      throw new AnymailPayloadTooLarge(
        `Webhook multipart body is over a limit (${code}); raise anymailRouter({ limits }).`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new AnymailMalformedBody(`Malformed multipart body: ${reason}`);
  });
  const form: Record<string, string[]> = Object.create(null);
  flattenFields(request.body, "", form, true);
  const files = (request.files ?? []).map((file): WebhookFile => ({
    fieldName: file.fieldname,
    filename: file.originalname,
    contentType: file.mimetype,
    content: file.buffer,
  }));
  return { form, files };
}

/**
 * Parses a raw body by its Content-Type. JSON sent as text/plain (Amazon SNS does) is
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
    return { contentType, json: parseJson(raw.toString("utf8"), "the webhook body") };
  }
  if (contentType === "text/plain" || contentType === "") {
    const text = raw.toString("utf8").trim();
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
    return { contentType, form: parseUrlencoded(raw.toString("utf8"), limits) };
  }
  if (contentType === "multipart/form-data") {
    return { contentType, ...(await parseMultipart(raw, contentTypeHeader ?? "", limits)) };
  }
  return { contentType };
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
  if (
    contentType === "application/x-www-form-urlencoded" ||
    contentType === "multipart/form-data"
  ) {
    const form: Record<string, string[]> = Object.create(null);
    flattenFields(body, "", form, true);
    return { contentType, raw: null, form };
  }
  if (typeof body === "string") return { contentType, raw: Buffer.from(body, "utf8") };
  return { contentType, raw: null, json: body };
}
