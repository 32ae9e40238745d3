/**
 * @module
 * Body limits (router option `limits`) and the errors a body can cause.
 */
import { AnymailConfigurationError, AnymailWebhookValidationFailure } from "../errors.js";

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

/** A Content-Encoding the router cannot undo (answers 415). */
export class AnymailUnsupportedEncoding extends AnymailWebhookValidationFailure {}

/** The given limits, checked: each must be a positive number of bytes or items. */
export function checkedLimits(limits: BodyLimits | undefined): Required<BodyLimits> {
  const result: BodyLimits = {};
  for (const [key, value] of Object.entries(limits ?? {})) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LIMITS) || typeof value !== "number" || !(value > 0)) {
      throw new AnymailConfigurationError(
        `anymailRouter option limits.${key} must be one of ` +
          `${Object.keys(DEFAULT_LIMITS).join(", ")}, as a positive number.`,
      );
    }
    result[key as keyof BodyLimits] = value;
  }
  return { ...DEFAULT_LIMITS, ...result };
}

/** The error for a body past `limit` bytes. */
export function tooLarge(limit: number): AnymailPayloadTooLarge {
  return new AnymailPayloadTooLarge(
    `Webhook body is larger than the ${limit}-byte limit ` +
      `(raise it with anymailRouter({ limits: { body: … } })).`,
  );
}
