/**
 * @module
 * What SparkPost's tracking and relay (inbound) webhooks share: the body is a JSON array of
 * wrapped events `{"msys": {"<event class>": {...}}}`; an empty `msys` is a ping.
 * @see https://developers.sparkpost.com/api/webhooks/
 */
import type { WebhookContext, WebhookRequest } from "../types.js";
import { badPayload, jsonArrayBody } from "../../util/payload.js";
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
export function unwrapEvents(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
  route: string,
): SparkPostUnwrapped[] {
  const events: SparkPostUnwrapped[] = [];
  jsonArrayBody(request, context, route).forEach((item: unknown, index) => {
    const msys = isRecord(item) ? item.msys : undefined;
    if (!isRecord(msys)) {
      throw badPayload(context, route, `event ${index} is not of the form {"msys": {...}}`);
    }
    const classes = Object.keys(msys);
    if (classes.length === 0) return; // SparkPost sends an empty msys as a ping
    const data = msys[classes[0]];
    if (classes.length > 1 || !isRecord(data)) {
      throw badPayload(
        context,
        route,
        `event ${index} must hold exactly one event object in "msys", got ${classes.join(", ")}`,
      );
    }
    events.push({ eventClass: classes[0], data, raw: item as unknown as SparkPostWrappedEvent });
  });
  return events;
}
