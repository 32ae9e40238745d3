/**
 * @module
 * Small readers every ESP's webhook and response code shares: a payload value as text, a
 * list's strings, a timestamp as a Date, a header of a webhook call, a JSON object body, and
 * the error for a payload that is not what the route expects.
 */
import { AnymailError, AnymailWebhookValidationFailure } from "../errors.js";
import type { WebhookContext, WebhookRequest } from "../esps/types.js";
import { isRecord } from "./records.js";

/** A string as it is, a finite number as its text; anything else is null. */
export function stringOrNull(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * The strings of a list (tags, ids), in a new array; its other items are dropped, and
 * anything but a list gives []. Not `filter`, which grows its result from room for 16: a
 * thousand-event batch pays that once per event (issue #19).
 */
export function stringsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const length = value.length;
  for (let index = 0; index < length; index++) {
    if (typeof value[index] !== "string") return onlyStrings(value);
  }
  // all strings (the usual case): `slice` copies in one step, exactly sized, in about a third
  // of the time of an element-by-element copy into an array sized first (issue #19)
  return value.slice() as string[];
}

function onlyStrings(value: readonly unknown[]): string[] {
  const strings: string[] = [];
  for (let index = 0; index < value.length; index++) {
    const item = value[index];
    if (typeof item === "string") strings.push(item);
  }
  return strings;
}

/** An ISO 8601 (or RFC 2822) date string as a Date; null when absent or not a date. */
export function parseDate(value: unknown): Date | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The first value of a request header (names are lower-cased), trimmed; undefined when empty. */
export function webhookHeader(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

/**
 * The error for a payload the route cannot use (→ 400), naming the ESP and route:
 * "Acme Mail tracking webhook: no events array".
 */
export function badPayload(
  context: Pick<WebhookContext, "espName">,
  route: string,
  why: string,
): AnymailError {
  return new AnymailError(`${context.espName} ${route} webhook: ${why}`, {
    espName: context.espName,
  });
}

/** The error for a call that fails an authenticity check (→ 400). Never include secrets. */
export function validationFailure(
  context: Pick<WebhookContext, "espName">,
  why: string,
): AnymailWebhookValidationFailure {
  return new AnymailWebhookValidationFailure(`${context.espName} webhook ${why}`, {
    espName: context.espName,
  });
}

/** The parsed JSON body when it is an object; else a 400 naming what was expected. */
export function jsonObjectBody(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
  route: string,
): Record<string, unknown> {
  if (!isRecord(request.json)) throw badPayload(context, route, "the body is not a JSON object");
  return request.json;
}

/** The parsed JSON body when it is an array; else a 400 naming what was expected. */
export function jsonArrayBody(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
  route: string,
): unknown[] {
  if (!Array.isArray(request.json)) {
    throw badPayload(context, route, "the body is not a JSON array of events");
  }
  return request.json;
}
