/**
 * @module
 * Mandrill tracking: one event of a `mandrill_events` batch → an AnymailTrackingEvent.
 * Message events carry `msg`; sync events (whitelist/blacklist) carry `type` and `reject`.
 */
import { AnymailTrackingEvent } from "../../events/tracking.js";
import type { RejectReason, TrackingEventType } from "../../events/tracking.js";
import { isRecord, lookup } from "../../util/records.js";
import { epochToDate } from "../../util/epoch.js";

/** Mandrill event name → normalized type (esps/mandrill.txt "Mandrill will report"). */
export const EVENT_TYPES = {
  send: "sent",
  deferral: "deferred",
  hard_bounce: "bounced",
  soft_bounce: "bounced", // never "deferred" (08-changelog.txt v0.9)
  open: "opened",
  click: "clicked",
  spam: "complained",
  unsub: "unsubscribed",
  reject: "rejected",
  whitelist: "unknown", // sync events: a change to the allow/deny lists, not a message event
  blacklist: "unknown",
} as const satisfies Record<string, TrackingEventType>;

/**
 * Mandrill event name → reject reason. A bounce is a bounce; a `reject` event does not say
 * why the recipient was on Mandrill's rejection list, so it stays null (spec 03 "isn't able
 * to normalize").
 */
export const REJECT_REASONS = {
  hard_bounce: "bounced",
  soft_bounce: "bounced",
} as const satisfies Record<string, RejectReason>;

/** One Mandrill webhook event, as far as Anymail reads it. */
export interface MandrillEvent {
  event?: string;
  type?: string;
  ts?: number;
  _id?: string;
  url?: string;
  user_agent?: string;
  msg?: {
    email?: string;
    diag?: string;
    bounce_description?: string;
    metadata?: Record<string, unknown>;
    tags?: string[];
    raw_msg?: string;
    spam_report?: { score?: number };
    [field: string]: unknown;
  };
  reject?: { email?: string; detail?: string; reason?: string };
  [field: string]: unknown;
}

/** Mandrill's own type of an event (`event`, or `type` for sync events). */
export function mandrillEventType(event: MandrillEvent): string {
  return str(event.event) ?? str(event.type) ?? "unknown";
}

/** A Mandrill `ts` (epoch seconds) → Date, or null. */
export function timestampOf(event: MandrillEvent): Date | null {
  return epochToDate(event.ts);
}

/** One Mandrill tracking event → an AnymailTrackingEvent. */
export function toTrackingEvent(event: MandrillEvent): AnymailTrackingEvent {
  const type = mandrillEventType(event);
  const msg: NonNullable<MandrillEvent["msg"]> = isRecord(event.msg) ? event.msg : {};
  const reject: NonNullable<MandrillEvent["reject"]> = isRecord(event.reject) ? event.reject : {};
  return new AnymailTrackingEvent({
    eventType: lookup(EVENT_TYPES, type) ?? "unknown",
    timestamp: timestampOf(event),
    // Mandrill events have no id of their own; `_id` is the message's
    eventId: null,
    messageId: str(event._id),
    recipient: str(msg.email) ?? str(reject.email),
    metadata: isRecord(msg.metadata) ? msg.metadata : {},
    tags: Array.isArray(msg.tags) ? msg.tags.filter((tag) => typeof tag === "string") : [],
    rejectReason: lookup(REJECT_REASONS, type) ?? null,
    description: str(reject.detail) ?? str(reject.reason) ?? str(msg.bounce_description),
    mtaResponse: str(msg.diag),
    userAgent: str(event.user_agent),
    clickUrl: str(event.url),
    espEvent: event,
  });
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
