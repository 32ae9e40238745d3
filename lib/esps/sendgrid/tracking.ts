/**
 * @module
 * SendGrid's Event Webhook (`/sendgrid/tracking/`): a JSON array of events, each becoming
 * one AnymailTrackingEvent, in order (esps/sendgrid.txt "Status tracking webhooks").
 */
import { AnymailError } from "../../errors.js";
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import type { WebhookHandler, WebhookRequest } from "../types.js";
import { isPlainObject } from "../../util/deep-merge.js";
import { ANYMAIL_ID_ARG } from "./send.js";
import { verifyEventWebhookSignature } from "./signature.js";
import { lookup } from "../../util/records.js";
import { epochToDate } from "../../util/epoch.js";

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
const SENDGRID_EVENT_FIELDS: ReadonlySet<string> = new Set([
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
  return new AnymailTrackingEvent({
    eventType,
    timestamp: epochToDate(event.timestamp),
    eventId: stringOrNull(event.sg_event_id),
    recipient: stringOrNull(event.email),
    // anymail_id, or smtp-id for messages sent without one (esps/sendgrid.txt, SG-31)
    messageId: stringOrNull(event[ANYMAIL_ID_ARG]) ?? stringOrNull(event["smtp-id"]),
    metadata: metadataOf(event),
    tags: tagsOf(event.category),
    rejectReason,
    description,
    mtaResponse,
    userAgent: stringOrNull(event.useragent),
    clickUrl: stringOrNull(event.url),
    espEvent: event,
  });
}

/** Parses the webhook body: a JSON array of event objects. */
export function parseEventBatch(request: WebhookRequest): SendGridEvent[] {
  let body = request.json;
  if (body === undefined) {
    try {
      body = JSON.parse(request.rawBody.toString("utf8"));
    } catch {
      throw badRequest("the body is not JSON");
    }
  }
  if (!Array.isArray(body)) throw badRequest("the body is not a JSON array of events");
  return body.map((event, index) => {
    if (!isPlainObject(event)) throw badRequest(`event ${index} is not an object`);
    return event as SendGridEvent;
  });
}

/** The `/sendgrid/tracking/` handler. */
export const trackingHandler: WebhookHandler = {
  signature: {
    enabled: (settings) => verificationKeys(settings.webhookVerificationKey).length > 0,
    verify(request, context) {
      verifyEventWebhookSignature(
        request,
        verificationKeys(context.settings.webhookVerificationKey),
      );
    },
  },
  handle: function handleSendGridTracking(request) {
    return parseEventBatch(request).map(toTrackingEvent);
  },
};

/** The configured verification key(s): one, or several while SendGrid keys rotate. */
export function verificationKeys(setting: unknown): string[] {
  const values = Array.isArray(setting) ? setting : [setting];
  return values.filter((v): v is string => typeof v === "string" && v.trim().length > 0);
}

function badRequest(why: string): AnymailError {
  return new AnymailError(
    `SendGrid tracking webhook: ${why}. Point SendGrid's Event Webhook (not Inbound Parse) here.`,
    { espName: "SendGrid" },
  );
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return null;
}

function tagsOf(category: unknown): string[] {
  // SendGrid sends one category as a string, several as a list
  if (typeof category === "string") return [category];
  if (Array.isArray(category)) return category.filter((c): c is string => typeof c === "string");
  return [];
}

function metadataOf(event: SendGridEvent): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (!SENDGRID_EVENT_FIELDS.has(key)) metadata[key] = value;
  }
  return metadata;
}
