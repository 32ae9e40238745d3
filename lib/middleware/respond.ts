/**
 * @module
 * Answers and statuses: the one place that maps an error to the HTTP status of the answer.
 */
import type { ServerResponse } from "node:http";
import { AnymailError, AnymailWebhookUnavailable } from "../errors.js";
import { AnymailInboundTooLarge } from "../events/mime-limits.js";
import {
  AnymailBodyTimeout,
  AnymailPayloadTooLarge,
  AnymailUnsupportedEncoding,
} from "./limits.js";

/** A failed request: the status to answer, the text to answer with, extra headers. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** `cause`: an error to log in full; `log`: a longer explanation for the log. */
    readonly options: { cause?: unknown; log?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * 413 and 415 for bodies (or inbound messages) over a limit or in an unknown encoding, 408
 * for a body that did not arrive in time; 400 for everything else a caller sent (bad auth,
 * malformed or foreign payloads, failing listeners), so the ESP retries and nothing a caller
 * sends can produce a 500 (HOOK-08).
 */
export function statusOf(error: unknown): number {
  if (error instanceof HttpFailure) return error.status;
  if (error instanceof AnymailPayloadTooLarge) return 413;
  if (error instanceof AnymailInboundTooLarge) return 413;
  if (error instanceof AnymailBodyTimeout) return 408;
  if (error instanceof AnymailUnsupportedEncoding) return 415;
  if (error instanceof AnymailWebhookUnavailable) return 503;
  return 400;
}

/** What to answer for a failed call, and how to log it. */
export interface FailureAnswer {
  status: number;
  text: string;
  headers: Record<string, string>;
  /** "warn" for what a caller sent; "error" for what the deployment must look at. */
  level: "warn" | "error";
  /** The line to log (already redacted). */
  log: string;
  /** The error to log with it, for unexpected failures. */
  cause?: unknown;
}

/**
 * The respond step for failures: the status, a short answer that never holds a secret
 * (`redact` masks them) and the log line. Errors anymail raised explain themselves; any
 * other error (a handler bug) answers a generic 400 and is logged in full.
 */
export function failureAnswer(
  error: unknown,
  espName: string,
  redact: (text: string) => string,
): FailureAnswer {
  const status = statusOf(error);
  const headers: Record<string, string> =
    error instanceof HttpFailure
      ? { ...error.headers }
      : error instanceof AnymailWebhookUnavailable
        ? { "Retry-After": String(error.retryAfter) }
        : {};
  if (error instanceof AnymailInboundTooLarge) {
    // the ESP cannot fix this by retrying: the deployment must raise the limit
    const text = redact(error.message);
    return { status, text, headers, level: "error", log: `anymail: ${status} ${espName}: ${text}` };
  }
  if (error instanceof AnymailError || error instanceof HttpFailure) {
    const text = redact(error.message);
    const cause = error instanceof HttpFailure ? error.options.cause : undefined;
    if (cause !== undefined) {
      const log = redact(error instanceof HttpFailure ? (error.options.log ?? text) : text);
      return { status, text, headers, level: "error", log: `anymail: ${log}`, cause };
    }
    return { status, text, headers, level: "warn", log: `anymail: ${status} ${text}` };
  }
  const text = `${espName} webhook payload could not be processed.`;
  return { status, text, headers, level: "error", log: `anymail: ${text}`, cause: error };
}

/** Answers with a short plain-text body (never twice). */
export function send(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}
