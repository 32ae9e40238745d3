/**
 * @module
 * AnymailTrackingEvent: the spec's "Normalized tracking event", and TrackingEvent, the same
 * event as a union discriminated on `eventType` for listeners.
 */

/** The spec's normalized tracking event types. */
export type TrackingEventType =
  | "queued"
  | "sent"
  | "rejected"
  | "failed"
  | "bounced"
  | "deferred"
  | "delivered"
  | "autoresponded"
  | "opened"
  | "clicked"
  | "complained"
  | "unsubscribed"
  | "subscribed"
  | "inbound"
  | "inbound_failed"
  | "unknown";

/** The spec's normalized reject reasons. */
export type RejectReason =
  "invalid" | "bounced" | "timed_out" | "blocked" | "spam" | "unsubscribed" | "other";

/** Event types that report a success or engagement, so never a reject reason. */
export type EngagementEventType = "queued" | "sent" | "delivered" | "opened" | "clicked";

const ENGAGEMENT: ReadonlySet<TrackingEventType> = new Set<EngagementEventType>([
  "queued",
  "sent",
  "delivered",
  "opened",
  "clicked",
]);

export interface AnymailTrackingEventInit {
  eventType: TrackingEventType;
  timestamp?: Date | null;
  eventId?: string | null;
  recipient?: string | null;
  messageId?: string | null;
  metadata?: Record<string, unknown> | null;
  tags?: string[] | null;
  rejectReason?: RejectReason | null;
  description?: string | null;
  mtaResponse?: string | null;
  userAgent?: string | null;
  clickUrl?: string | null;
  espEvent: unknown;
}

/**
 * A delivery/engagement event, normalized across ESPs. ESP adapters build it; listeners
 * receive it as a {@link TrackingEvent}, whose type narrows on `eventType`.
 */
export class AnymailTrackingEvent {
  readonly eventType: TrackingEventType;
  readonly timestamp: Date | null;
  readonly eventId: string | null;
  readonly recipient: string | null;
  readonly messageId: string | null;
  readonly metadata: Record<string, unknown>;
  readonly tags: string[];
  readonly rejectReason: RejectReason | null;
  readonly description: string | null;
  readonly mtaResponse: string | null;
  readonly userAgent: string | null;
  /** The clicked link: always a string for "clicked" ("" when the ESP did not say which). */
  readonly clickUrl: string | null;
  /** The ESP's own event, as parsed from the webhook. */
  readonly espEvent: unknown;

  constructor(init: AnymailTrackingEventInit) {
    this.eventType = init.eventType;
    this.timestamp = init.timestamp ?? null;
    this.eventId = init.eventId ?? null;
    this.recipient = init.recipient ?? null;
    this.messageId = init.messageId ?? null;
    this.metadata = init.metadata ?? {};
    this.tags = init.tags ?? [];
    // a delivered or opened message was not rejected: these events never carry a reason
    this.rejectReason = ENGAGEMENT.has(init.eventType) ? null : (init.rejectReason ?? null);
    this.description = init.description ?? null;
    this.mtaResponse = init.mtaResponse ?? null;
    this.userAgent = init.userAgent ?? null;
    this.clickUrl = init.clickUrl ?? (init.eventType === "clicked" ? "" : null);
    this.espEvent = init.espEvent;
  }
}

/** What `eventType` T guarantees beyond the class's fields. */
type Guarantees<T extends TrackingEventType> = T extends "clicked"
  ? { readonly clickUrl: string; readonly rejectReason: null }
  : T extends EngagementEventType
    ? { readonly rejectReason: null }
    : unknown;

/** An AnymailTrackingEvent of one `eventType`, e.g. `TrackingEventOf<"clicked">`. */
export type TrackingEventOf<T extends TrackingEventType> = AnymailTrackingEvent & {
  readonly eventType: T;
} & Guarantees<T>;

/**
 * A tracking event as listeners receive it: a union discriminated on `eventType`, so that
 * `if (event.eventType === "clicked") event.clickUrl` is a `string`, and a delivered or
 * opened event's `rejectReason` is `null`.
 */
export type TrackingEvent = { [T in TrackingEventType]: TrackingEventOf<T> }[TrackingEventType];

/**
 * The event as its union type. Sound because the constructor enforces what
 * {@link TrackingEventOf} promises for each `eventType`.
 */
export function asTrackingEvent(event: AnymailTrackingEvent): TrackingEvent {
  return event as TrackingEvent;
}
