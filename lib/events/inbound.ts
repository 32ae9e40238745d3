/**
 * @module
 * AnymailInboundEvent: the spec's inbound event, carrying an AnymailInboundMessage.
 */
import type { AnymailInboundMessage } from "./inbound-message.js";

export interface AnymailInboundEventInit {
  timestamp?: Date | null;
  eventId?: string | null;
  message: AnymailInboundMessage;
  espEvent: unknown;
}

/** An inbound message received through an ESP's inbound webhook. */
export class AnymailInboundEvent {
  readonly eventType = "inbound" as const;
  readonly timestamp: Date | null;
  readonly eventId: string | null;
  readonly message: AnymailInboundMessage;
  /** The ESP's own payload, as parsed from the webhook. */
  readonly espEvent: unknown;

  constructor(init: AnymailInboundEventInit) {
    this.timestamp = init.timestamp ?? null;
    this.eventId = init.eventId ?? null;
    this.message = init.message;
    this.espEvent = init.espEvent;
  }
}
