/**
 * @module
 * SendGrid's Event Webhook (`/sendgrid/tracking/`): a JSON array of events, each becoming
 * one AnymailTrackingEvent, in order (esps/sendgrid.txt "Status tracking webhooks").
 */
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import type { WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import { ANYMAIL_ID_ARG } from "./send.js";
import { isRecord, lookup } from "../../util/records.js";
import { setOwn } from "../../util/deep-merge.js";
import { epochToDate } from "../../util/epoch.js";
import { badPayload, jsonArrayBody, stringOrNull, stringsOf } from "../../util/payload.js";
import type { WebhookSettings } from "./index.js";

/** SendGrid `event` → normalized event type; anything else is "unknown". */
export const EVENT_TYPES = {
  processed: "queued",
  dropped: "rejected",
  deferred: "deferred",
  bounce: "bounced", // also "blocked" bounces: `type` says which
  delivered: "delivered",
  open: "opened",
  click: "clicked",
  spamreport: "complained",
  unsubscribe: "unsubscribed",
  group_unsubscribe: "unsubscribed",
  group_resubscribe: "subscribed",
} as const satisfies Record<string, TrackingEventType>;

/**
 * Lower-cased `type` (bounce events) or `reason` (dropped events) → reject reason. Dropped
 * reasons name the suppression list that caught the address (03-tracking-signals-exceptions.txt
 * reject_reason: "In a 'rejected' event, indicates the recipient is on your ESP's … list").
 */
export const REJECT_REASONS = {
  invalid: "invalid",
  "bounced address": "bounced", // django-anymail 9.0 says "other" here; the spec says bounced
  "unsubscribed address": "unsubscribed",
  "spam reporting address": "spam",
  bounce: "bounced",
  blocked: "blocked",
  expired: "timed_out",
} as const satisfies Record<string, RejectReason>;

/**
 * Fields SendGrid itself puts in events; every other field is a custom arg, i.e. metadata
 * (SendGrid merges custom args into the event). From SendGrid's Event Webhook reference.
 */
const SENDGRID_EVENT_FIELDS: Readonly<Record<string, true>> = fieldTable([
  ANYMAIL_ID_ARG,
  "asm_group_id",
  "attempt",
  "bounce_classification",
  "category",
  "cert_err",
  "email",
  "event",
  "ip",
  "marketing_campaign_id",
  "marketing_campaign_name",
  "marketing_campaign_split_id",
  "marketing_campaign_version",
  "mc_stats",
  "newsletter",
  "nlvx_campaign_id",
  "nlvx_campaign_split_id",
  "nlvx_user_id",
  "phase_id",
  "pool",
  "post_type",
  "reason",
  "response",
  "send_at",
  "sg_content_type",
  "sg_event_id",
  "sg_machine_open",
  "sg_message_id",
  "sg_template_id",
  "sg_template_name",
  "sg_user_id",
  "singlesend_id",
  "singlesend_name",
  "smtp-id",
  "status",
  "template_hash",
  "template_id",
  "template_version_id",
  "timestamp",
  "tls",
  "type",
  "url",
  "url_offset",
  "useragent",
]);

/**
 * The names as keys of an object without a prototype ("constructor" or "__proto__" are
 * none of its keys). Its lookup took two thirds of a Set's in metadataOf's loop, 11 keys an
 * event (issue #19).
 */
function fieldTable(names: readonly string[]): Readonly<Record<string, true>> {
  const table = Object.create(null) as Record<string, true>;
  for (const name of names) table[name] = true;
  return table;
}

/** One event of SendGrid's batch (every field optional: SendGrid adds fields over time). */
export interface SendGridEvent {
  event?: string;
  email?: string;
  timestamp?: number;
  "smtp-id"?: string;
  sg_event_id?: string;
  sg_message_id?: string;
  anymail_id?: string;
  category?: string | string[];
  reason?: string;
  type?: string;
  response?: string;
  status?: string;
  url?: string;
  useragent?: string;
  [field: string]: unknown;
}

/** Turns one SendGrid event into an AnymailTrackingEvent. */
export function toTrackingEvent(event: SendGridEvent): AnymailTrackingEvent {
  const name = stringOrNull(event.event) ?? "";
  const eventType: TrackingEventType = lookup(EVENT_TYPES, name) ?? "unknown";
  const reason = stringOrNull(event.reason);
  const type = stringOrNull(event.type);
  let rejectReason: RejectReason | null = null;
  let description: string | null = null;
  let mtaResponse: string | null = null;
  if (name === "dropped") {
    // dropped by SendGrid before reaching any MTA: `reason` names the cause
    rejectReason = lookup(REJECT_REASONS, (type ?? reason ?? "").toLowerCase()) ?? "other";
    description = reason;
  } else {
    if (name === "bounce") {
      rejectReason = lookup(REJECT_REASONS, (type ?? "bounce").toLowerCase()) ?? "other";
    }
    // the MTA's words: `response` for delivered/deferred, `reason` for bounces
    mtaResponse = stringOrNull(event.response) ?? reason;
  }
  // computed before the init object: V8 allocates an object literal before its values, and
  // with metadataOf's for-in loop run in between, it kept that object (128 bytes an event,
  // issue #19); built after them, it is optimized away
  const timestamp = epochToDate(event.timestamp);
  const metadata = metadataOf(event);
  const tags = tagsOf(event.category);
  return new AnymailTrackingEvent({
    eventType,
    timestamp,
    eventId: stringOrNull(event.sg_event_id),
    recipient: stringOrNull(event.email),
    // anymail_id, or smtp-id for messages sent without one (esps/sendgrid.txt, SG-31)
    messageId: stringOrNull(event[ANYMAIL_ID_ARG]) ?? stringOrNull(event["smtp-id"]),
    metadata,
    tags,
    rejectReason,
    description,
    mtaResponse,
    userAgent: stringOrNull(event.useragent),
    clickUrl: stringOrNull(event.url),
    espEvent: event,
  });
}

/** Reads the webhook body: a JSON array of event objects. */
export function parseEventBatch(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
): SendGridEvent[] {
  const events = jsonArrayBody(request, context, ROUTE);
  for (let index = 0; index < events.length; index++) {
    if (!isRecord(events[index])) {
      throw badPayload(context, ROUTE, `event ${index} is not an object. ${MISROUTED}`);
    }
  }
  return events as SendGridEvent[];
}

const ROUTE = "tracking";
const MISROUTED = "Point SendGrid's Event Webhook (not Inbound Parse) here.";

/** The `/sendgrid/tracking/` handler (its signature check is in signature.ts). */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  handle(request, context) {
    return parseEventBatch(request, context).map(toTrackingEvent);
  },
};

function tagsOf(category: unknown): string[] {
  // SendGrid sends one category as a string, several as a list
  if (typeof category === "string") return [category];
  return stringsOf(category);
}

/**
 * Every field SendGrid does not define is a custom arg. A for-in over the parsed event
 * (JSON objects have no inherited enumerable keys) skips the entries array Object.entries
 * builds, and an event without custom args allocates nothing (issue #19).
 */
function metadataOf(event: SendGridEvent): Record<string, unknown> {
  let metadata: Record<string, unknown> | undefined;
  for (const key in event) {
    if (SENDGRID_EVENT_FIELDS[key] === true) continue;
    metadata ??= {};
    if (key === "__proto__") setOwn(metadata, key, event[key]);
    else metadata[key] = event[key];
  }
  return metadata ?? {};
}
