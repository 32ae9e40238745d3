/**
 * @module
 * Mailtrap's tracking webhook (`{ "events": [ … ] }`, several per call) →
 * AnymailTrackingEvent. Mailtrap does not sign its webhooks: protect the URL with basic auth.
 */
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import { epochToDate } from "../../util/epoch.js";
import { badPayload, jsonObjectBody, stringOrNull } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import type { WebhookHandler } from "../types.js";

/** Mailtrap `event` → normalized type and reject reason. */
export const EVENT_TYPES = {
  delivery: ["delivered", null],
  open: ["opened", null],
  click: ["clicked", null],
  bounce: ["bounced", "bounced"],
  "soft bounce": ["deferred", "other"], // Mailtrap retries
  suspension: ["deferred", "other"], // Mailtrap paused delivery to this domain, and retries
  spam: ["complained", "spam"],
  unsubscribe: ["unsubscribed", "unsubscribed"],
  reject: ["rejected", "blocked"], // refused before sending (suppression list, policy)
} as const satisfies Record<string, readonly [TrackingEventType, RejectReason | null]>;

/** One Mailtrap event → one normalized event. */
export function toTrackingEvent(event: Record<string, unknown>): AnymailTrackingEvent {
  const [eventType, rejectReason] = lookup(EVENT_TYPES, event.event) ?? ["unknown", null];
  const category = stringOrNull(event.category);
  return new AnymailTrackingEvent({
    eventType,
    rejectReason,
    timestamp: epochToDate(event.timestamp),
    eventId: stringOrNull(event.event_id),
    messageId: stringOrNull(event.message_id),
    recipient: stringOrNull(event.email),
    tags: category ? [category] : [],
    metadata: isRecord(event.custom_variables) ? event.custom_variables : {},
    description: stringOrNull(event.reason),
    mtaResponse: stringOrNull(event.response),
    clickUrl: stringOrNull(event.url),
    userAgent: stringOrNull(event.user_agent),
    espEvent: event,
  });
}

/** `/mailtrap/tracking/` */
export const tracking: WebhookHandler = {
  body: "json",
  handle(request, context) {
    const events = jsonObjectBody(request, context, "tracking").events;
    if (!Array.isArray(events)) throw badPayload(context, "tracking", "no events list");
    return events.map((event, index) => {
      if (!isRecord(event))
        throw badPayload(context, "tracking", `event ${index} is not an object`);
      return toTrackingEvent(event);
    });
  },
};
