/**
 * @module
 * Postal's webhook (one JSON event per call, RSA-signed) → AnymailTrackingEvent. Postal
 * names the event (`MessageSent`, `MessageBounced`, …); payloads of older versions are
 * recognized by their fields instead.
 */
import { AnymailConfigurationError } from "../../errors.js";
import { AnymailTrackingEvent, type TrackingEventType } from "../../events/tracking.js";
import { parseSingleAddress } from "../../sender/address.js";
import { epochToDate } from "../../util/epoch.js";
import { jsonObjectBody, stringOrNull } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import type { WebhookHandler } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { signature } from "./signature.js";

/** Postal `event` → normalized type (DomainDNSError, SendLimit… are "unknown"). */
export const EVENT_TYPES = {
  MessageSent: "delivered",
  MessageDelayed: "deferred",
  MessageDeliveryFailed: "failed",
  MessageHeld: "queued", // held for review in Postal; may still be released
  MessageBounced: "bounced",
  MessageLinkClicked: "clicked",
  MessageLoaded: "opened",
} as const satisfies Record<string, TrackingEventType>;

/** Postal `payload.status` → normalized type (for payloads without an `event`). */
export const STATUS_TYPES = {
  Sent: "delivered",
  SoftFail: "deferred",
  HardFail: "failed",
  Held: "queued",
} as const satisfies Record<string, TrackingEventType>;

function eventTypeOf(event: Record<string, unknown>, payload: Record<string, unknown>) {
  const named = lookup(EVENT_TYPES, event.event);
  if (named) return named;
  if ("status" in payload) return lookup(STATUS_TYPES, payload.status) ?? "unknown";
  if ("bounce" in payload) return "bounced";
  if ("url" in payload) return "clicked";
  return "unknown";
}

function recipientOf(to: unknown): string | null {
  if (typeof to !== "string") return null;
  try {
    return parseSingleAddress(to).addrSpec;
  } catch {
    return null;
  }
}

/** One Postal event → a normalized event; null for events about incoming mail. */
export function toTrackingEvent(event: Record<string, unknown>): AnymailTrackingEvent | null {
  const payload = isRecord(event.payload) ? event.payload : {};
  // a bounce describes the original message; other events the message itself
  const message = isRecord(payload.message)
    ? payload.message
    : isRecord(payload.original_message)
      ? payload.original_message
      : {};
  // an inbound message Postal could not forward: not mail Anymail sent
  if (message.direction === "incoming") return null;
  const eventType = eventTypeOf(event, payload);
  const tag = stringOrNull(message.tag);
  return new AnymailTrackingEvent({
    eventType,
    timestamp: epochToDate(event.timestamp),
    eventId: stringOrNull(event.uuid),
    messageId: stringOrNull(message.id),
    recipient: recipientOf(message.to),
    tags: tag ? [tag] : [],
    rejectReason: eventType === "bounced" ? "bounced" : null,
    description: stringOrNull(payload.details),
    mtaResponse: stringOrNull(payload.output),
    clickUrl: stringOrNull(payload.url),
    userAgent: stringOrNull(payload.user_agent),
    espEvent: event,
  });
}

/** `/postal/tracking/` */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  signature,
  handle(request, context) {
    const event = jsonObjectBody(request, context, "tracking");
    if ("rcpt_to" in event) {
      throw new AnymailConfigurationError(
        "You seem to have set Postal's *inbound* HTTP endpoint to Anymail's Postal *tracking* " +
          "webhook URL. Use the /postal/inbound/ URL for it.",
        { espName: context.espName },
      );
    }
    const normalized = toTrackingEvent(event);
    return normalized ? [normalized] : [];
  },
};
