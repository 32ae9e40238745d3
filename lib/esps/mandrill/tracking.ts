/**
 * @module
 * Mandrill's single webhook URL (`/mandrill/`, also `/mandrill/tracking/`): a form post whose
 * `mandrill_events` field is a JSON list of events, tracking and inbound alike, each turned
 * into its own event in order (esps/mandrill.txt "uses this single url for both tracking and
 * inbound events"). Message events carry `msg`; sync events (whitelist/blacklist) carry
 * `type` and `reject`.
 */
import { AnymailTrackingEvent } from "../../events/tracking.js";
import type { RejectReason, TrackingEventType } from "../../events/tracking.js";
import { badPayload, stringOrNull, stringsOf } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import { epochToDate } from "../../util/epoch.js";
import type { AnymailEvent, WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { toInboundEvent } from "./inbound.js";

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
  return stringOrNull(event.event) ?? stringOrNull(event.type) ?? "unknown";
}

/** One Mandrill tracking event → an AnymailTrackingEvent. */
export function toTrackingEvent(event: MandrillEvent): AnymailTrackingEvent {
  const type = mandrillEventType(event);
  const msg: NonNullable<MandrillEvent["msg"]> = isRecord(event.msg) ? event.msg : {};
  const reject: NonNullable<MandrillEvent["reject"]> = isRecord(event.reject) ? event.reject : {};
  return new AnymailTrackingEvent({
    eventType: lookup(EVENT_TYPES, type) ?? "unknown",
    timestamp: epochToDate(event.ts),
    // Mandrill events have no id of their own; `_id` is the message's
    eventId: null,
    messageId: stringOrNull(event._id),
    recipient: stringOrNull(msg.email) ?? stringOrNull(reject.email),
    metadata: isRecord(msg.metadata) ? msg.metadata : {},
    tags: stringsOf(msg.tags),
    rejectReason: lookup(REJECT_REASONS, type) ?? null,
    description:
      stringOrNull(reject.detail) ??
      stringOrNull(reject.reason) ??
      stringOrNull(msg.bounce_description),
    mtaResponse: stringOrNull(msg.diag),
    userAgent: stringOrNull(event.user_agent),
    clickUrl: stringOrNull(event.url),
    espEvent: event,
  });
}

/** The `mandrill_events` list of a webhook post; a bad body is an AnymailError (400). */
export function parseMandrillEvents(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
): MandrillEvent[] {
  const values = request.form?.mandrill_events;
  if (!values || values.length === 0) {
    throw badPayload(context, "tracking", "the POST has no mandrill_events field.");
  }
  let events: unknown;
  try {
    events = JSON.parse(values[values.length - 1]);
  } catch {
    throw badPayload(context, "tracking", "mandrill_events is not valid JSON.");
  }
  if (!Array.isArray(events) || !events.every(isRecord)) {
    throw badPayload(context, "tracking", "mandrill_events is not a list of events.");
  }
  return events as MandrillEvent[];
}

/** The handler of `/mandrill/` (and `/mandrill/tracking/`); the adapter adds the signature. */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "form",
  // Mandrill checks a new webhook URL with HEAD, before it has issued the key
  probeMethods: ["HEAD"],
  async handle(request, context) {
    const batch = parseMandrillEvents(request, context);
    // sized once and walked by index: for-of across an await keeps each step's iterator
    // result as an object, and push regrows the list (issue #19)
    const events: AnymailEvent[] = new Array(batch.length);
    for (let index = 0; index < batch.length; index++) {
      const event = batch[index];
      events[index] =
        mandrillEventType(event) === "inbound"
          ? await toInboundEvent(event, context)
          : toTrackingEvent(event);
    }
    return events;
  },
};
