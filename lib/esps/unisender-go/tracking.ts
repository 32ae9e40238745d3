/**
 * @module
 * Unisender Go's webhook → AnymailTrackingEvent. Either form Unisender Go offers is read:
 * `events_by_user[0].events[]` (each with `event_name` and `event_data`), or one flat event
 * ("use single event"). Only `transactional_email_status` events are email statuses.
 */
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import { badPayload, jsonObjectBody, stringOrNull } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import type { WebhookHandler } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { signature } from "./signature.js";

/** Unisender Go `status` → normalized type. */
export const EVENT_TYPES = {
  sent: "sent",
  delivered: "delivered",
  opened: "opened",
  clicked: "clicked",
  unsubscribed: "unsubscribed",
  subscribed: "subscribed",
  spam: "complained",
  soft_bounced: "deferred", // Unisender Go retries
  hard_bounced: "bounced",
} as const satisfies Record<string, TrackingEventType>;

/** `delivery_info.delivery_status` → reject reason (any other `err_…` is "other"). */
export const REJECT_REASONS = {
  err_user_unknown: "bounced",
  err_user_inactive: "bounced",
  err_will_retry: null, // not rejected (yet)
  err_mailbox_discarded: "bounced",
  err_mailbox_full: "bounced",
  err_spam_rejected: "spam",
  err_blacklisted: "blocked",
  err_too_large: "bounced",
  err_unsubscribed: "unsubscribed",
  err_unreachable: "bounced",
  err_skip_letter: "bounced",
  err_domain_inactive: "bounced",
  err_destination_misconfigured: "bounced",
  err_delivery_failed: "other",
  err_spam_skipped: "spam",
  err_lost: "other",
} as const satisfies Record<string, RejectReason | null>;

const STATUS_EVENT = "transactional_email_status";

/** "2015-11-30 15:09:42" (UTC, without a zone) → Date. */
function eventTime(value: unknown): Date | null {
  if (typeof value !== "string" || !/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value)) {
    return null;
  }
  const date = new Date(`${value.replace(" ", "T")}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** One `event_data` → one normalized event. */
export function toTrackingEvent(data: Record<string, unknown>): AnymailTrackingEvent {
  const { anymail_id: anymailId, ...metadata } = isRecord(data.metadata) ? data.metadata : {};
  const info = isRecord(data.delivery_info) ? data.delivery_info : {};
  const deliveryStatus = stringOrNull(info.delivery_status);
  // a known code may map to null (err_will_retry); an unknown err_… code is "other"
  const known = lookup(REJECT_REASONS, deliveryStatus);
  const rejectReason = deliveryStatus?.startsWith("err")
    ? known === undefined
      ? "other"
      : known
    : null;
  return new AnymailTrackingEvent({
    eventType: lookup(EVENT_TYPES, data.status) ?? "unknown",
    timestamp: eventTime(data.event_time),
    // Unisender Go's "ID" header differs on every retry: no way to deduplicate
    eventId: null,
    recipient: stringOrNull(data.email),
    messageId: stringOrNull(anymailId) ?? stringOrNull(data.job_id),
    metadata,
    rejectReason,
    description: deliveryStatus || stringOrNull(data.comment),
    mtaResponse: stringOrNull(info.destination_response),
    clickUrl: stringOrNull(data.url),
    userAgent: stringOrNull(info.user_agent),
    espEvent: data,
  });
}

/** The `event_data` of every email status event of the call. */
function statusEvents(body: Record<string, unknown>): Record<string, unknown>[] {
  if (!("events_by_user" in body)) return body.event_name === STATUS_EVENT ? [body] : [];
  const byUser = body.events_by_user;
  if (!Array.isArray(byUser)) throw new TypeError("events_by_user is not a list");
  return byUser.flatMap((user) => {
    const events = isRecord(user) && Array.isArray(user.events) ? user.events : [];
    return events
      .filter((event) => isRecord(event) && event.event_name === STATUS_EVENT)
      .map((event) => (isRecord(event.event_data) ? event.event_data : {}));
  });
}

/** `/unisender_go/tracking/` */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  signature,
  // Unisender Go checks the URL with a GET when the webhook is set up
  probeMethods: ["GET"],
  handle(request, context) {
    const body = jsonObjectBody(request, context, "tracking");
    let events: Record<string, unknown>[];
    try {
      events = statusEvents(body);
    } catch (error) {
      throw badPayload(context, "tracking", (error as Error).message);
    }
    return events.map(toTrackingEvent);
  },
};
