/**
 * @module
 * Resend's tracking webhook (one JSON event per call, Svix-signed) → AnymailTrackingEvent.
 */
import { AnymailConfigurationError } from "../../errors.js";
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import { parseSingleAddress } from "../../sender/address.js";
import { jsonObjectBody, parseDate, stringOrNull, stringsOf } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import type { WebhookHandler, WebhookRequest } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { svixHeader, svixSignatureFor } from "./signature.js";

/** Resend event type → normalized type (contact.* and domain.* events are "unknown"). */
export const EVENT_TYPES = {
  "email.sent": "sent",
  "email.delivered": "delivered",
  "email.delivery_delayed": "deferred",
  "email.complained": "complained",
  "email.bounced": "bounced",
  "email.opened": "opened",
  "email.clicked": "clicked",
  "email.failed": "failed", // not sent at all (quota, domain, API key); 15.1: unknown
  "email.scheduled": "queued", // 15.1: unknown
  "email.suppressed": "rejected", // on Resend's suppression list; 15.1: unknown
} as const satisfies Record<string, TrackingEventType>;

/**
 * Resend gives no bounce classification beyond its human-readable message: phrases of
 * that message → reject reason, first match wins (django-anymail 15.1 reads it the same way).
 */
export const BOUNCE_MESSAGE_REASONS: readonly (readonly [RegExp, RejectReason])[] = [
  [/suppressed sending/i, "blocked"], // "Resend has suppressed sending to this address …"
  [/bounce message/i, "bounced"], // "… sent a hard bounce message …"
];

/** The fields of a Resend webhook event that Anymail reads. */
export interface ResendEvent {
  type?: string;
  created_at?: string;
  data?: {
    email_id?: string;
    to?: string[];
    headers?: { name?: string; value?: string }[];
    bounce?: { message?: string; type?: string; subType?: string };
    click?: { link?: string; userAgent?: string; ipAddress?: string };
    failed?: { reason?: string };
    suppressed?: { message?: string; type?: string };
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

function rejectReasonOf(eventType: TrackingEventType, bounceMessage: string | null) {
  if (eventType === "rejected") return "blocked";
  if (bounceMessage === null) return null;
  return BOUNCE_MESSAGE_REASONS.find(([pattern]) => pattern.test(bounceMessage))?.[1] ?? "other";
}

/** X-Metadata and X-Tags, as Anymail sent them (JSON), from the headers Resend echoes. */
function fromHeaders(headers: unknown): { metadata: Record<string, unknown>; tags: string[] } {
  const found: { metadata: Record<string, unknown>; tags: string[] } = { metadata: {}, tags: [] };
  if (!Array.isArray(headers)) return found;
  for (const header of headers) {
    if (!isRecord(header) || typeof header.name !== "string") continue;
    const name = header.name.toLowerCase();
    if (name !== "x-metadata" && name !== "x-tags") continue;
    let value: unknown;
    try {
      value = JSON.parse(String(header.value));
    } catch {
      continue; // a header someone else set: not Anymail's JSON
    }
    if (name === "x-metadata" && isRecord(value)) found.metadata = value;
    if (name === "x-tags" && Array.isArray(value)) {
      found.tags = stringsOf(value);
    }
  }
  return found;
}

/** Resend reports events per message, not per recipient: the first `to` is the recipient. */
function firstRecipient(to: unknown): string | null {
  const first = Array.isArray(to) ? to[0] : undefined;
  if (typeof first !== "string") return null;
  try {
    return parseSingleAddress(first).addrSpec;
  } catch {
    return null;
  }
}

/** One Resend event → one normalized event. `eventId` is the call's svix-id. */
export function toTrackingEvent(event: ResendEvent, eventId: string | null): AnymailTrackingEvent {
  const eventType = lookup(EVENT_TYPES, event.type) ?? "unknown";
  const data = isRecord(event.data) ? event.data : {};
  const detail = (key: string, field: string) => {
    const block = data[key];
    return isRecord(block) ? stringOrNull(block[field]) : null;
  };
  const bounceMessage = detail("bounce", "message");
  const { metadata, tags } = fromHeaders(data.headers);
  return new AnymailTrackingEvent({
    eventType,
    // the event's own time; data.created_at is when the message was created
    timestamp: parseDate(event.created_at),
    eventId,
    recipient: firstRecipient(data.to),
    messageId: stringOrNull(data.email_id),
    metadata,
    tags,
    rejectReason: rejectReasonOf(eventType, bounceMessage),
    description:
      bounceMessage ?? detail("failed", "reason") ?? detail("suppressed", "message") ?? null,
    clickUrl: detail("click", "link"),
    userAgent: detail("click", "userAgent"),
    espEvent: event,
  });
}

/** `/resend/tracking/` */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  signature: svixSignatureFor("signingSecret"),
  handle(request: WebhookRequest, context) {
    const event = jsonObjectBody(request, context, "tracking");
    if (event.type === "email.received") {
      throw new AnymailConfigurationError(
        `You seem to have set Resend's *email.received* webhook to Anymail's Resend *tracking* ` +
          `webhook URL. Send it to the /resend/inbound/ URL instead.`,
        { espName: context.espName },
      );
    }
    // svix-id is the same for every retry of one event
    return [toTrackingEvent(event as ResendEvent, svixHeader(request, "id") ?? null)];
  },
};
