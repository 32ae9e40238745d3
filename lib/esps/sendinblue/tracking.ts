/**
 * @module
 * Sendinblue (Brevo) transactional webhooks: one JSON event per post (a list is accepted
 * too) → AnymailTrackingEvents, each normalized on its own: Brevo often delivers events
 * out of order (esps/sendinblue.txt "frequently delivers them out of order").
 */
import { AnymailError } from "../../errors.js";
import { AnymailTrackingEvent } from "../../events/tracking.js";
import type { RejectReason, TrackingEventType } from "../../events/tracking.js";
import type { WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import { isRecord } from "../../util/records.js";

/** Brevo event name → normalized type and reject reason. */
export const EVENT_TYPES = {
  request: ["queued", null], // also sent for messages that are then blocked
  delivered: ["delivered", null],
  hard_bounce: ["bounced", "bounced"],
  soft_bounce: ["bounced", "bounced"],
  invalid_email: ["bounced", "invalid"],
  blocked: ["rejected", "blocked"],
  spam: ["complained", "spam"],
  deferred: ["deferred", null],
  opened: ["opened", null],
  unique_opened: ["opened", null], // "First opening": Brevo also sends "opened" for it
  click: ["clicked", null],
  unsubscribe: ["unsubscribed", null],
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
  const type = typeof event.event === "string" ? event.event : "";
  const [eventType, rejectReason]: readonly [TrackingEventType, RejectReason | null] =
    Object.hasOwn(EVENT_TYPES, type)
      ? EVENT_TYPES[type as keyof typeof EVENT_TYPES]
      : ["unknown", null];
  return new AnymailTrackingEvent({
    eventType,
    timestamp:
      typeof event.ts_epoch === "number" && Number.isFinite(event.ts_epoch)
        ? new Date(event.ts_epoch)
        : null,
    // Brevo events have no id of their own
    eventId: null,
    messageId: str(event["message-id"]),
    recipient: str(event.email),
    metadata: parseMetadata(event["X-Mailin-custom"]),
    tags: tagsOf(event),
    rejectReason,
    mtaResponse: str(event.reason),
    clickUrl: str(event.link),
    espEvent: event,
  });
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

function handle(request: WebhookRequest, context: WebhookContext): AnymailTrackingEvent[] {
  const body = request.json;
  const events = Array.isArray(body) ? body : [body];
  if (body === undefined || !events.every(isRecord)) {
    throw new AnymailError(
      `${context.espName} tracking webhook: expected a JSON event object, got ${describe(body)}.`,
      { espName: context.espName },
    );
  }
  return events.map((event) => toTrackingEvent(event as SendinblueEvent));
}

/** The handler of `/sendinblue/tracking/` (and `/brevo/tracking/`). */
export const SENDINBLUE_TRACKING = {
  handle,
} as const satisfies WebhookHandler;

function describe(body: unknown): string {
  if (body === undefined) return "a body that is not JSON";
  return Array.isArray(body) ? "a list with non-object entries" : `JSON ${typeof body}`;
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
