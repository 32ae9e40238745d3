/**
 * @module
 * Body limits and deadlines (router option `limits`) and the errors a body can cause.
 */
import { AnymailConfigurationError, AnymailWebhookValidationFailure } from "../errors.js";

/** Size limits and deadlines for webhook bodies (router option `limits`). */
export interface BodyLimits {
  /**
   * Largest body, in bytes, on inbound and other routes; larger ones answer 413. Inbound
   * mail with attachments arrives base64-encoded in a form field or JSON, a third larger
   * than the message itself.
   * @default 41943040 (40 MiB)
   */
  body?: number;
  /**
   * Largest body, in bytes, on `/<esp>/tracking/` routes. Tracking batches are small; a
   * small limit keeps anonymous callers from making the server buffer inbound-sized bodies.
   * @default 4194304 (4 MiB)
   */
  trackingBody?: number;
  /**
   * Milliseconds a caller has to send the whole body; a slower one answers 408 and the
   * connection is closed, so stalled uploads cannot hold memory.
   * @default 30000
   */
  bodyTimeoutMs?: number;
  /**
   * Most bodies read at once per route before the request is authenticated (no basic
   * auth passed yet: only a signature check after reading can vouch for it). Past it the
   * router answers 503 with Retry-After, so anonymous uploads cannot pile up.
   * @default 32
   */
  concurrentBodies?: number;
  /** Most form fields in a urlencoded or multipart body. @default 1000 */
  fields?: number;
  /** Most files in a multipart body. @default 500 */
  files?: number;
  /** Largest header block, in bytes, of one part of an inbound MIME message. @default 1048576 */
  mimeHeaderBytes?: number;
  /** Most MIME parts in one inbound message. @default 1000 */
  mimeParts?: number;
}

export const DEFAULT_LIMITS = {
  body: 40 * 1024 * 1024,
  trackingBody: 4 * 1024 * 1024,
  bodyTimeoutMs: 30_000,
  concurrentBodies: 32,
  fields: 1000,
  files: 500,
  mimeHeaderBytes: 1024 * 1024,
  mimeParts: 1000,
} as const satisfies Required<BodyLimits>;

/** The body was larger than the configured limit (answers 413). */
export class AnymailPayloadTooLarge extends AnymailWebhookValidationFailure {}

/** The caller did not send the whole body before the deadline (answers 408). */
export class AnymailBodyTimeout extends AnymailWebhookValidationFailure {}

/** A body whose bytes cannot be parsed as its content type says (answers 400). */
export class AnymailMalformedBody extends AnymailWebhookValidationFailure {}

/** A Content-Encoding the router cannot undo (answers 415). */
export class AnymailUnsupportedEncoding extends AnymailWebhookValidationFailure {}

/** The given limits, checked: each must be a positive number of bytes or items. */
export function checkedLimits(limits: BodyLimits | undefined): Required<BodyLimits> {
  const result: BodyLimits = {};
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (value === undefined) continue;
    if (!Object.hasOwn(DEFAULT_LIMITS, key) || typeof value !== "number" || !(value > 0)) {
      throw new AnymailConfigurationError(
        `anymailRouter option limits.${key} must be one of ` +
          `${Object.keys(DEFAULT_LIMITS).join(", ")}, as a positive number.`,
      );
    }
    result[key as keyof BodyLimits] = value;
  }
  return { ...DEFAULT_LIMITS, ...result };
}

/** The error for a body past `limit` bytes; `option` is the limit's name under `limits`. */
export function tooLarge(limit: number, option: keyof BodyLimits = "body"): AnymailPayloadTooLarge {
  return new AnymailPayloadTooLarge(
    `Webhook body is larger than the ${limit}-byte limit ` +
      `(raise it with anymailRouter({ limits: { ${option}: … } })).`,
  );
}
