/**
 * @module
 * Mailjet event webhooks → AnymailTrackingEvents. Mailjet posts one event object, or an
 * array of them when "group events" (Event API version 2) is on.
 * https://dev.mailjet.com/email/guides/webhooks/
 */
import { AnymailError } from "../../errors.js";
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import type { WebhookContext, WebhookHandler } from "../types.js";
import { parseBody } from "./webhook-body.js";
import { isRecord, lookup } from "../../util/records.js";
import { epochToDate } from "../../util/epoch.js";
import { badPayload } from "../../util/payload.js";
import type { WebhookSettings } from "./index.js";

/** Mailjet's `event` → the normalized event type. */
export const EVENT_TYPES = {
  sent: "delivered", // accepted by the receiving MTA
  open: "opened",
  click: "clicked",
  bounce: "bounced",
  blocked: "rejected",
  spam: "complained",
  unsub: "unsubscribed",
} as const satisfies Record<string, TrackingEventType>;

/** Mailjet's `error` (its "possible values for errors" table) → the normalized reject reason. */
export const REJECT_REASONS = {
  // error_related_to: recipient
  "user unknown": "bounced",
  "mailbox inactive": "bounced",
  "quota exceeded": "bounced",
  blacklisted: "blocked", // may also be an earlier unsubscribe
  "spam reporter": "spam",
  // error_related_to: domain
  "invalid domain": "bounced",
  "no mail host": "bounced",
  "relay/access denied": "bounced",
  greylisted: "other", // temporary: deferred unless hard_bounce (SOFT_ERRORS)
  typofix: "invalid",
  // error_related_to: spam (Mailjet's own policy filtering)
  "sender blocked": "blocked",
  "content blocked": "blocked",
  "policy issue": "blocked",
  // error_related_to: system
  "system issue": "other",
  "protocol issue": "other",
  "connection issue": "other",
  // error_related_to: mailjet
  preblocked: "blocked",
  "duplicate in campaign": "other",
} as const satisfies Record<string, RejectReason>;

/**
 * Errors Mailjet documents as temporary ("Delivery will be re-attempted", "never be
 * permanent"): a bounce/blocked event with one of them is "deferred" unless hard_bounce.
 */
export const SOFT_ERRORS: ReadonlySet<string> = new Set([
  "greylisted",
  "system issue",
  "protocol issue",
  "connection issue",
]);

/** One Mailjet event as posted. MessageID may exceed 2^53: parsed losslessly, it is then a string. */
export interface MailjetEvent {
  event?: unknown;
  time?: unknown;
  MessageID?: unknown;
  mj_message_id?: unknown;
  email?: unknown;
  customcampaign?: unknown;
  Payload?: unknown;
  smtp_reply?: unknown;
  url?: unknown;
  agent?: unknown;
  error?: unknown;
  hard_bounce?: unknown;
  comment?: unknown;
  [field: string]: unknown;
}

/** Mailjet sends "" for fields that do not apply: those are null. */
function textOrNull(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function eventTypeOf(event: MailjetEvent): TrackingEventType {
  const type: TrackingEventType = lookup(EVENT_TYPES, event.event) ?? "unknown";
  const soft = typeof event.error === "string" && SOFT_ERRORS.has(event.error);
  if ((type === "bounced" || type === "rejected") && soft && event.hard_bounce !== true) {
    return "deferred";
  }
  return type;
}

function messageIdOf(event: MailjetEvent): string | null {
  for (const id of [event.MessageID, event.mj_message_id]) {
    if (typeof id === "number" || (typeof id === "string" && id !== "")) return String(id);
  }
  return null;
}

/** Payload is the message's EventPayload: our metadata as a JSON object string. */
function metadataOf(event: MailjetEvent): Record<string, unknown> {
  if (typeof event.Payload !== "string" || event.Payload === "") return {};
  try {
    const parsed: unknown = JSON.parse(event.Payload);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {}; // a Payload set outside anymail need not be JSON
  }
}

/** One Mailjet event → one normalized tracking event. */
export function toTrackingEvent(event: MailjetEvent): AnymailTrackingEvent {
  const eventType = eventTypeOf(event);
  // a deferred (greylisted) bounce keeps its reason too (issue #17 item 3)
  const rejectable =
    eventType === "bounced" || eventType === "rejected" || eventType === "deferred";
  const tag = textOrNull(event.customcampaign);
  return new AnymailTrackingEvent({
    eventType,
    timestamp: epochToDate(event.time),
    eventId: null, // Mailjet gives no per-event id
    recipient: textOrNull(event.email),
    messageId: messageIdOf(event),
    metadata: metadataOf(event),
    tags: tag ? [tag] : [],
    rejectReason: rejectable
      ? event.error === undefined
        ? null
        : (lookup(REJECT_REASONS, event.error) ?? "other")
      : null,
    description: textOrNull(event.comment),
    mtaResponse: textOrNull(event.smtp_reply),
    userAgent: textOrNull(event.agent),
    clickUrl: textOrNull(event.url),
    espEvent: event,
  });
}

/** True for a Parse API (inbound) post rather than an event. */
export function looksInbound(body: unknown): boolean {
  return isRecord(body) && !("event" in body) && ("Parts" in body || "Recipient" in body);
}

/** The events of one post: an array (grouped) or one bare event. */
export function toTrackingEvents(
  body: unknown,
  context: Pick<WebhookContext, "espName">,
): AnymailTrackingEvent[] {
  if (looksInbound(body)) {
    throw new AnymailError(
      `You seem to have set ${context.espName}'s inbound (Parse API) webhook to Anymail's ` +
        `Mailjet tracking webhook URL. Use the inbound URL (…/mailjet/inbound/) for the Parse API.`,
      { espName: context.espName },
    );
  }
  const events = Array.isArray(body) ? body : [body];
  return events.map((event, i) => {
    if (!isRecord(event)) throw badPayload(context, "tracking", `item ${i} is not an event object`);
    return toTrackingEvent(event);
  });
}

/** `/mailjet/tracking/`: the raw body, parsed once here so big MessageIDs stay exact. */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "raw",
  handle(request, context) {
    return toTrackingEvents(parseBody(request, context, "tracking"), context);
  },
};
