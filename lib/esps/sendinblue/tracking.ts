/**
 * @module
 * Sendinblue (Brevo) transactional webhooks: one JSON event per post (a list is accepted
 * too) → AnymailTrackingEvents, each normalized on its own: Brevo often delivers events
 * out of order (esps/sendinblue.txt "frequently delivers them out of order").
 */
import { AnymailTrackingEvent } from "../../events/tracking.js";
import type { RejectReason, TrackingEventType } from "../../events/tracking.js";
import { badPayload, stringOrNull } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import type { WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import type { WebhookSettings } from "./index.js";

/** Brevo event name → normalized type and reject reason. */
export const EVENT_TYPES = {
  request: ["queued", null], // also sent for messages that are then blocked
  delivered: ["delivered", null],
  hard_bounce: ["bounced", "bounced"],
  soft_bounce: ["bounced", "bounced"],
  invalid_email: ["bounced", "invalid"],
  blocked: ["rejected", "blocked"],
  spam: ["complained", "spam"],
  complaint: ["complained", "spam"],
  deferred: ["deferred", null],
  opened: ["opened", null],
  unique_opened: ["opened", null], // "First opening": Brevo also sends "opened" for it
  // "Loaded by proxy": opens by a privacy proxy (Apple Mail), first and later ones
  unique_proxy_open: ["opened", null],
  proxy_open: ["opened", null],
  click: ["clicked", null],
  unsubscribe: ["unsubscribed", null],
  error: ["failed", null],
  list_addition: ["subscribed", null], // should not happen for transactional mail
} as const satisfies Record<string, readonly [TrackingEventType, RejectReason | null]>;

/** One Brevo transactional webhook event, as far as Anymail reads it. */
export interface SendinblueEvent {
  event?: string;
  email?: string;
  "message-id"?: string;
  /** Epoch milliseconds, UTC (`ts`, `ts_event` and `date` follow the account's time zone). */
  ts_epoch?: number;
  tags?: string[];
  /** The X-Mailin-Tag header, or a template's name. */
  tag?: string;
  reason?: string;
  link?: string;
  "X-Mailin-custom"?: string;
  [field: string]: unknown;
}

/** One Brevo event → an AnymailTrackingEvent. */
export function toTrackingEvent(event: SendinblueEvent): AnymailTrackingEvent {
  const [eventType, rejectReason]: readonly [TrackingEventType, RejectReason | null] = lookup(
    EVENT_TYPES,
    event.event,
  ) ?? ["unknown", null];
  return new AnymailTrackingEvent({
    eventType,
    timestamp: millisToDate(event.ts_epoch),
    // Brevo events have no id of their own
    eventId: null,
    messageId: stringOrNull(event["message-id"]),
    recipient: stringOrNull(event.email),
    metadata: parseMetadata(event["X-Mailin-custom"]),
    tags: tagsOf(event),
    rejectReason,
    mtaResponse: stringOrNull(event.reason),
    clickUrl: stringOrNull(event.link),
    espEvent: event,
  });
}

/** Epoch milliseconds → Date; anything else (or out of range) → null. */
function millisToDate(value: unknown): Date | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `tags` (a list, when the send set tags) or else `tag` (one string). */
function tagsOf(event: SendinblueEvent): string[] {
  if (Array.isArray(event.tags)) return event.tags.filter((tag) => typeof tag === "string");
  if (typeof event.tag === "string" && event.tag !== "") return [event.tag];
  return [];
}

/** Metadata sent as JSON in X-Mailin-custom; anything else (not JSON, not an object) is none. */
function parseMetadata(value: unknown): Record<string, unknown> {
  if (typeof value !== "string") return {};
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function handle(
  request: WebhookRequest,
  context: WebhookContext<WebhookSettings>,
): AnymailTrackingEvent[] {
  const body = request.json;
  if (isRecord(body) && Object.hasOwn(body, "items")) {
    throw badPayload(
      context,
      "tracking",
      "this is an inbound email payload. You seem to have set Brevo's *inbound* webhook " +
        "to Anymail's *tracking* URL: point it at /sendinblue/inbound/ (or /brevo/inbound/).",
    );
  }
  const events = Array.isArray(body) ? body : [body];
  if (body === undefined || !events.every(isRecord)) {
    throw badPayload(context, "tracking", `expected a JSON event object, got ${describe(body)}.`);
  }
  return events.map((event) => toTrackingEvent(event as SendinblueEvent));
}

/** `/sendinblue/tracking/` (and `/brevo/tracking/`). */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  handle,
};

function describe(body: unknown): string {
  if (body === undefined) return "a body that is not JSON";
  return Array.isArray(body) ? "a list with non-object entries" : `JSON ${typeof body}`;
}
