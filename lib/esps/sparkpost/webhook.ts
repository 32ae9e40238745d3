/**
 * @module
 * What SparkPost's tracking and relay (inbound) webhooks share: the body is a JSON array of
 * wrapped events `{"msys": {"<event class>": {...}}}`; an empty `msys` is a ping.
 * @see https://developers.sparkpost.com/api/webhooks/
 */
import { AnymailWebhookValidationFailure } from "../../errors.js";
import type { WebhookRequest } from "../types.js";
import { isRecord } from "../../util/records.js";

/** One raw event as SparkPost posts it. */
export interface SparkPostWrappedEvent {
  msys: Record<string, Record<string, unknown>>;
}

/** An unwrapped event: its class ("message_event", "relay_message", …) and its data. */
export interface SparkPostUnwrapped {
  eventClass: string;
  data: Record<string, unknown>;
  /** The event as posted, kept as `espEvent`. */
  raw: SparkPostWrappedEvent;
}

/**
 * The events of a webhook call, in order, pings left out. Anything that is not an array of
 * wrapped events with exactly one class each is refused (400).
 */
export function unwrapEvents(request: WebhookRequest, espName: string): SparkPostUnwrapped[] {
  const body = request.json;
  if (!Array.isArray(body)) {
    throw new AnymailWebhookValidationFailure(
      `${espName} webhook: expected a JSON array of events, got ${describe(body)}`,
      { espName },
    );
  }
  const events: SparkPostUnwrapped[] = [];
  body.forEach((item: unknown, index) => {
    const msys = isRecord(item) ? item.msys : undefined;
    if (!isRecord(msys)) {
      throw new AnymailWebhookValidationFailure(
        `${espName} webhook: event ${index} is not of the form {"msys": {...}}`,
        { espName },
      );
    }
    const classes = Object.keys(msys);
    if (classes.length === 0) return; // SparkPost sends an empty msys as a ping
    const data = msys[classes[0]];
    if (classes.length > 1 || !isRecord(data)) {
      throw new AnymailWebhookValidationFailure(
        `${espName} webhook: event ${index} must hold exactly one event object in "msys", ` +
          `got ${classes.join(", ")}`,
        { espName },
      );
    }
    events.push({ eventClass: classes[0], data, raw: item as unknown as SparkPostWrappedEvent });
  });
  return events;
}

function describe(body: unknown): string {
  if (body === undefined) return "no JSON body";
  if (body === null) return "null";
  return Array.isArray(body) ? "an array" : typeof body === "object" ? "an object" : typeof body;
}

/** A string field (numbers are stringified; SparkPost sends ids and timestamps as strings). */
export function stringField(data: Record<string, unknown>, key: string): string | null {
  const value = data[key];
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}
