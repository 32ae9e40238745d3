/**
 * @module
 * AnymailTrackingEvent: the spec's "Normalized tracking event".
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

/** A delivery/engagement event, normalized across ESPs. */
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
    this.rejectReason = init.rejectReason ?? null;
    this.description = init.description ?? null;
    this.mtaResponse = init.mtaResponse ?? null;
    this.userAgent = init.userAgent ?? null;
    this.clickUrl = init.clickUrl ?? null;
    this.espEvent = init.espEvent;
  }
}
