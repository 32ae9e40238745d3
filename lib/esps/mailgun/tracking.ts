/**
 * @module
 * Mailgun tracking webhooks at `/mailgun/tracking/`: the current JSON format
 * (`{"signature": {…}, "event-data": {…}}`, Mailgun "Webhooks" docs, June 2018) here, and the
 * legacy form-posted format in `tracking-legacy.ts`. Both arrive at the same URL.
 */
import { AnymailConfigurationError } from "../../errors.js";
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import { parseAddressList } from "../../sender/address.js";
import type { WebhookHandler } from "../types.js";
import { badPayload, stringOrNull } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import { epochToDate } from "../../util/epoch.js";
import type { WebhookSettings } from "./index.js";
import { isInboundPost, legacyToTrackingEvent } from "./tracking-legacy.js";

/** Mailgun `event-data.event` → normalized event type. */
export const EVENT_TYPES = {
  accepted: "queued", // not delivered to webhooks (8/2018)
  rejected: "rejected",
  delivered: "delivered",
  failed: "bounced", // "deferred" when severity is "temporary" (changelog v5.0)
  opened: "opened",
  clicked: "clicked",
  unsubscribed: "unsubscribed",
  complained: "complained",
} as const satisfies Record<string, TrackingEventType>;

/** Mailgun `event-data.reason` → reject reason; any other reason is "other" (oracle 9.0). */
export const REJECT_REASONS = {
  bounce: "bounced",
  "suppress-bounce": "bounced",
  generic: "other", // used for any temporary failure, it seems
} as const satisfies Record<string, RejectReason>;

/** The part of Mailgun's JSON `event-data` that Anymail reads. */
export interface MailgunEventData {
  event?: string;
  id?: string;
  timestamp?: number | string;
  recipient?: string;
  severity?: string;
  reason?: string;
  tags?: unknown;
  "user-variables"?: unknown;
  url?: string;
  message?: { headers?: { "message-id"?: string; to?: string } };
  "delivery-status"?: { code?: number; message?: string; description?: string };
  reject?: { reason?: string; description?: string };
  "client-info"?: { "user-agent"?: string };
}

/** A current (non-legacy) Mailgun webhook body. */
export interface MailgunWebhookPayload {
  signature: { timestamp: string; token: string; signature: string };
  "event-data": MailgunEventData;
}

export function isJsonWebhook(json: unknown): json is MailgunWebhookPayload {
  const eventData = (json as { "event-data"?: unknown } | null)?.["event-data"];
  return isRecord(eventData);
}

/** `<id>` with angle brackets, as Mailgun's send API answered it. */
export function bracketMessageId(id: unknown): string | null {
  const value = stringOrNull(id);
  if (!value) return null;
  return value.startsWith("<") ? value : `<${value}>`;
}

function objectOrEmpty(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function eventTypeOf(data: MailgunEventData): TrackingEventType {
  const type: TrackingEventType = lookup(EVENT_TYPES, data.event) ?? "unknown";
  return type === "bounced" && data.severity === "temporary" ? "deferred" : type;
}

/** Event types that say why a message was not (yet) delivered. */
const FAILURES: ReadonlySet<TrackingEventType> = new Set(["bounced", "rejected", "deferred"]);

/** One JSON webhook → one event. Tolerates missing or odd fields (changelog v0.10). */
export function toTrackingEvent(payload: MailgunWebhookPayload): AnymailTrackingEvent {
  const data = payload["event-data"];
  const eventType = eventTypeOf(data);
  const status = objectOrEmpty(data["delivery-status"]);
  const headers = objectOrEmpty(objectOrEmpty(data.message).headers);
  let description = stringOrNull(status.description);
  let recipient = stringOrNull(data.recipient);
  let rejectReason: RejectReason | null = null;
  if (FAILURES.has(eventType) && data.reason !== undefined) {
    rejectReason = lookup(REJECT_REASONS, data.reason) ?? "other";
  }
  // a temporary failure (greylisting, a full mailbox) always has a reason (#17 item 3)
  if (eventType === "deferred") rejectReason ??= "other";
  if (eventType === "rejected") {
    // rejected events carry a "reject" block, and often no recipient
    description ||= stringOrNull(objectOrEmpty(data.reject).reason);
    rejectReason ??= "other";
    recipient ??= firstAddress(headers.to);
  }
  const tags = Array.isArray(data.tags) ? data.tags.map(String) : [];
  return new AnymailTrackingEvent({
    eventType,
    timestamp: epochToDate(data.timestamp),
    // the token is unique; event-data.id only within a day (spec)
    eventId: stringOrNull(objectOrEmpty(payload.signature).token),
    recipient,
    messageId: bracketMessageId(headers["message-id"]),
    metadata: objectOrEmpty(data["user-variables"]),
    tags,
    rejectReason,
    description,
    mtaResponse: stringOrNull(status.message),
    userAgent: stringOrNull(objectOrEmpty(data["client-info"])["user-agent"]),
    clickUrl: stringOrNull(data.url),
    espEvent: payload,
  });
}

function firstAddress(header: unknown): string | null {
  if (typeof header !== "string") return null;
  try {
    return parseAddressList(header, "to")[0]?.addrSpec ?? null;
  } catch {
    return null;
  }
}

/** The `/mailgun/tracking/` handler: JSON and legacy form webhooks (the adapter adds the signature). */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "auto",
  handle(request, context) {
    if (request.json !== undefined) {
      if (!isJsonWebhook(request.json)) {
        throw badPayload(context, "tracking", 'the JSON body has no "event-data" object.');
      }
      return [toTrackingEvent(request.json)];
    }
    const form = request.form ?? {};
    if (isInboundPost(form)) {
      throw new AnymailConfigurationError(
        `${context.espName}: you seem to have set Mailgun's *inbound* route to Anymail's Mailgun ` +
          `*tracking* webhook URL. Use the .../mailgun/inbound/ URL for the route.`,
        { espName: context.espName },
      );
    }
    return [legacyToTrackingEvent(form)];
  },
};
