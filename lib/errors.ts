/**
 * @module
 * The error hierarchy, named as in the spec. Every error anymail throws is an AnymailError.
 */

export interface AnymailErrorOptions {
  /** The ESP's display name (e.g. "Acme Mail"), when the error concerns one ESP. */
  espName?: string;
  /** HTTP status of the ESP's answer, when there was one. */
  statusCode?: number;
  /** The ESP's answer (status, headers, parsed body), when there was one. */
  response?: unknown;
  cause?: unknown;
}

/** Base class of every anymail error. */
export class AnymailError extends Error {
  readonly espName?: string;
  readonly statusCode?: number;
  readonly response?: unknown;

  constructor(message: string, options: AnymailErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.espName = options.espName;
    this.statusCode = options.statusCode;
    this.response = options.response;
  }
}

export interface AnymailAPIErrorOptions extends AnymailErrorOptions {
  /** @default true for a 429 or 5xx statusCode, false otherwise */
  retriable?: boolean;
  /** Seconds the ESP asked to wait before trying again (its Retry-After). */
  retryAfter?: number;
}

/** The ESP's API answered with an error, or could not be reached. */
export class AnymailAPIError extends AnymailError {
  /**
   * Sending the same message again later may succeed: the ESP could not be reached, or it
   * answered "too many requests" or a server error. False for what the ESP refused.
   */
  readonly retriable: boolean;
  /** Seconds the ESP asked to wait before trying again, when it said. */
  readonly retryAfter?: number;

  constructor(message: string, options: AnymailAPIErrorOptions = {}) {
    super(message, options);
    const status = options.statusCode;
    this.retriable =
      options.retriable ?? (status !== undefined && (status === 429 || status >= 500));
    this.retryAfter = options.retryAfter;
  }
}

/** Every recipient of a message was refused (invalid or rejected) by the ESP. */
export class AnymailRecipientsRefused extends AnymailError {}

/** The message uses a feature the ESP cannot express. */
export class AnymailUnsupportedFeature extends AnymailError {}

/** An email address could not be parsed. */
export class AnymailInvalidAddress extends AnymailError {}

/** Metadata or merge data could not be serialized for the ESP. */
export class AnymailSerializationError extends AnymailError {}

/** Thrown by a preSend listener to cancel that message silently. */
export class AnymailCancelSend extends AnymailError {
  constructor(message = "send cancelled by a preSend listener", options: AnymailErrorOptions = {}) {
    super(message, options);
  }
}

/** A required setting is missing or a setting is invalid. */
export class AnymailConfigurationError extends AnymailError {}

/** A webhook request failed authentication or validation (answers 400). */
export class AnymailWebhookValidationFailure extends AnymailError {}

/**
 * Webhook events cannot be accepted now (e.g. the queue they go to is down). Thrown by a
 * listener, it makes the webhook answer 503 with Retry-After, so the ESP delivers them again
 * later, rather than 400.
 */
export class AnymailWebhookUnavailable extends AnymailError {
  /** Seconds after which the ESP should try again. */
  readonly retryAfter: number;

  constructor(message: string, options: AnymailErrorOptions & { retryAfter?: number } = {}) {
    super(message, options);
    this.retryAfter = options.retryAfter ?? 30;
  }
}

/** An optional dependency that this ESP needs is not installed. */
export class AnymailImproperlyInstalled extends AnymailError {}
