/**
 * @module
 * AnymailEmitter: where webhook events go. Listeners may be async; the router awaits each
 * one in turn (design.md "Behaviour that Node changes").
 */
import { EventEmitter } from "node:events";
import type { AnymailTrackingEvent } from "./tracking.js";
import type { AnymailInboundEvent } from "./inbound.js";

/** The channels and their listener arguments: `(event, espName)`. */
export interface AnymailEvents {
  tracking: [event: AnymailTrackingEvent, espName: string];
  inbound: [event: AnymailInboundEvent, espName: string];
}

export type AnymailChannel = keyof AnymailEvents;

type AnyListener = (...args: unknown[]) => unknown;

/**
 * The counterpart of the spec's `tracking` and `inbound` signals.
 *
 * @example
 * const emitter = new AnymailEmitter();
 * emitter.on("tracking", async (event, espName) => {
 *   if (event.eventType === "bounced") await markBounced(event.recipient);
 * });
 * app.use("/anymail", anymailRouter({ emitter }));
 */
export class AnymailEmitter extends EventEmitter<AnymailEvents> {
  /**
   * Calls every listener of `channel` one after another, awaiting each. The first listener
   * that throws or rejects stops the dispatch and its error propagates (the spec: an
   * exception in a receiver stops the batch and answers 400).
   */
  async dispatch<K extends AnymailChannel>(channel: K, ...args: AnymailEvents[K]): Promise<void> {
    // rawListeners keeps `once` wrappers, which remove themselves when called (and return
    // the listener's result, so async `once` listeners are awaited too).
    const listeners = this.rawListeners(channel as AnymailChannel) as unknown as AnyListener[];
    for (const listener of listeners) {
      await listener.apply(this, args);
    }
  }
}
