/**
 * @module
 * Postmark's tracking webhook (one JSON record per call: Delivery, Bounce, SpamComplaint,
 * Open, Click, SubscriptionChange) → AnymailTrackingEvent.
 */
import { AnymailConfigurationError } from "../../errors.js";
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import type { WebhookHandler } from "../types.js";
import { isRecord, lookup } from "../../util/records.js";
import { jsonObjectBody } from "../../util/payload.js";
import type { WebhookSettings } from "./index.js";

/** Postmark RecordType → event type (Bounce, SpamComplaint and SubscriptionChange refine it). */
export const RECORD_TYPES = {
  Delivery: "delivered",
  Bounce: "bounced",
  SpamComplaint: "complained",
  Open: "opened",
  Click: "clicked",
  SubscriptionChange: "unsubscribed",
} as const satisfies Record<string, TrackingEventType>;

/** Postmark bounce Type (and SuppressionReason) → event type and reject reason. */
export const BOUNCE_TYPES = {
  HardBounce: ["bounced", "bounced"],
  Transient: ["deferred", null],
  Unsubscribe: ["unsubscribed", "unsubscribed"],
  Subscribe: ["subscribed", null],
  AutoResponder: ["autoresponded", null],
  AddressChange: ["autoresponded", null],
  DnsError: ["deferred", null], // "temporary DNS error"
  SpamNotification: ["complained", "spam"],
  OpenRelayTest: ["deferred", null], // the receiving MTA testing Postmark
  Unknown: ["unknown", null],
  SoftBounce: ["bounced", "bounced"], // a soft bounce is never "deferred" (changelog v0.9)
  VirusNotification: ["bounced", "other"],
  ChallengeVerification: ["autoresponded", null],
  BadEmailAddress: ["rejected", "invalid"],
  SpamComplaint: ["complained", "spam"],
  ManuallyDeactivated: ["rejected", "blocked"],
  Unconfirmed: ["rejected", null],
  Blocked: ["rejected", "blocked"],
  SMTPApiError: ["failed", null], // from Postmark's SMTP service, not the API
  InboundError: ["inbound_failed", null],
  DMARCPolicy: ["rejected", "blocked"],
  TemplateRenderingFailed: ["failed", null],
  ManualSuppression: ["unsubscribed", "unsubscribed"], // SubscriptionChange SuppressionReason
} as const satisfies Record<string, readonly [TrackingEventType, RejectReason | null]>;

/** The fields of Postmark's webhook records that Anymail reads. */
export interface PostmarkTrackingRecord {
  RecordType?: string;
  /** Bounce and SpamComplaint: the bounce's numeric id */
  ID?: number | string;
  Type?: string;
  MessageID?: string | null;
  /** Bounce, SpamComplaint */
  Email?: string;
  /** Delivery, Open, Click, SubscriptionChange */
  Recipient?: string;
  Tag?: string | null;
  Metadata?: Record<string, unknown> | null;
  Description?: string | null;
  Details?: string | null;
  UserAgent?: string | null;
  OriginalLink?: string | null;
  DeliveredAt?: string;
  BouncedAt?: string;
  ReceivedAt?: string;
  ChangedAt?: string;
  SuppressSending?: boolean;
  SuppressionReason?: string | null;
  [field: string]: unknown;
}

type Classification = readonly [TrackingEventType, RejectReason | null];

function lookupBounceType(type: unknown): Classification | undefined {
  return lookup<Classification>(BOUNCE_TYPES, type);
}

function classify(record: PostmarkTrackingRecord): Classification {
  const recordType = record.RecordType;
  const eventType = lookup(RECORD_TYPES, recordType);
  if (eventType === undefined) return ["unknown", null];
  if (recordType === "SubscriptionChange") {
    // SuppressSending false is a reactivation; the reason tells bounces from unsubscribes
    if (!record.SuppressSending) return BOUNCE_TYPES.Subscribe;
    return lookupBounceType(record.SuppressionReason) ?? [eventType, null];
  }
  if (recordType === "Bounce" || recordType === "SpamComplaint") {
    return lookupBounceType(record.Type) ?? [eventType, null];
  }
  return [eventType, null];
}

/**
 * A Bounce's ID can exceed 2^53 (Postmark's docs show 4323372036854775807): take its digits
 * from the raw body when JSON.parse had to round it.
 */
function exactId(id: unknown, rawBody: Buffer): string | null {
  if (typeof id === "string") return id;
  if (typeof id !== "number") return null;
  if (Number.isSafeInteger(id)) return String(id);
  const candidates = [...rawBody.toString("utf8").matchAll(/"ID"\s*:\s*(\d+)/g)].map((m) => m[1]);
  return candidates.find((digits) => Number(digits) === id) ?? String(id);
}

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** One Postmark record → one normalized event. */
export function toTrackingEvent(
  record: PostmarkTrackingRecord,
  rawBody: Buffer = Buffer.alloc(0),
): AnymailTrackingEvent {
  const [eventType, rejectReason] = classify(record);
  const metadata = record.Metadata;
  return new AnymailTrackingEvent({
    eventType,
    timestamp: parseTimestamp(
      record.DeliveredAt ?? record.BouncedAt ?? record.ReceivedAt ?? record.ChangedAt,
    ),
    eventId: exactId(record.ID, rawBody),
    recipient: text(record.Email) ?? text(record.Recipient),
    messageId: text(record.MessageID),
    metadata: isRecord(metadata) ? metadata : {},
    // Postmark sends Tag "" for an untagged message
    tags: typeof record.Tag === "string" && record.Tag !== "" ? [record.Tag] : [],
    rejectReason,
    description: text(record.Description),
    mtaResponse: text(record.Details),
    userAgent: text(record.UserAgent),
    clickUrl: text(record.OriginalLink),
    espEvent: record,
  });
}

/** True for Postmark's inbound JSON (it has no RecordType, or RecordType "Inbound"). */
export function isInboundPayload(record: Record<string, unknown>): boolean {
  return record.RecordType === "Inbound" || (!("RecordType" in record) && "FromFull" in record);
}

/** A Postmark timestamp as a Date, or null when absent or unparseable. */
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value !== "string" || value === "") return null;
  // a date-time without an offset would be local time in JavaScript; Postmark means UTC
  const zoned = /T[\d:.]+$/.test(value) ? `${value}Z` : value;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `/postmark/tracking/`: one JSON record per call. */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  handle(request, context) {
    const record = jsonObjectBody(request, context, "tracking");
    if (isInboundPayload(record)) {
      throw new AnymailConfigurationError(
        `${context.espName}: an inbound message was posted to Anymail's Postmark *tracking* ` +
          "webhook URL. Set Postmark's inbound webhook to the /postmark/inbound/ URL instead.",
        { espName: context.espName },
      );
    }
    return [toTrackingEvent(record as PostmarkTrackingRecord, request.rawBody)];
  },
};
