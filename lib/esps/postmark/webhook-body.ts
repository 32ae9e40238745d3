/**
 * @module
 * What Postmark's tracking and inbound webhooks share: one JSON object per call, and
 * ISO 8601 timestamps (often with 7 fractional digits, sometimes with an offset).
 */
import { AnymailWebhookValidationFailure } from "../../errors.js";
import type { WebhookRequest } from "../types.js";

/** The call's JSON object; anything else is a bad request (400), never a crash. */
export function parsePostmarkJson(
  request: WebhookRequest,
  webhook: "tracking" | "inbound",
): Record<string, unknown> {
  let body = request.json;
  if (body === undefined && request.rawBody.length > 0) {
    try {
      body = JSON.parse(request.rawBody.toString("utf8"));
    } catch {
      body = undefined;
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AnymailWebhookValidationFailure(
      `Postmark ${webhook} webhook called without a JSON object body`,
      { espName: "Postmark" },
    );
  }
  return body as Record<string, unknown>;
}

/** A Postmark timestamp as a Date, or null when absent or unparseable. */
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value !== "string" || value === "") return null;
  // a date-time without an offset would be local time in JavaScript; Postmark means UTC
  const zoned = /T[\d:.]+$/.test(value) ? `${value}Z` : value;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}
