/**
 * @module
 * Answers and statuses: the one place that maps an error to the HTTP status of the answer.
 */
import type { ServerResponse } from "node:http";
import { AnymailWebhookUnavailable } from "../errors.js";
import { AnymailPayloadTooLarge, AnymailUnsupportedEncoding } from "./limits.js";

/** A failed request: the status to answer, the text to answer with, extra headers. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * 413 and 415 for bodies over a limit or in an unknown encoding; 400 for everything else a
 * caller sent (bad auth, malformed or foreign payloads, failing listeners), so the ESP
 * retries and nothing a caller sends can produce a 500 (HOOK-08); 503 when a listener says
 * events cannot be accepted now (a queue is down).
 */
export function statusOf(error: unknown): number {
  if (error instanceof HttpFailure) return error.status;
  if (error instanceof AnymailWebhookUnavailable) return 503;
  if (error instanceof AnymailPayloadTooLarge) return 413;
  if (error instanceof AnymailUnsupportedEncoding) return 415;
  return 400;
}

/** The extra headers of the answer to `error`. */
export function headersOf(error: unknown): Record<string, string> {
  if (error instanceof HttpFailure) return { ...error.headers };
  if (error instanceof AnymailWebhookUnavailable)
    return { "Retry-After": String(error.retryAfter) };
  return {};
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
