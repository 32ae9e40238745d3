/**
 * @module
 * AnymailEmitter: where webhook events go. Listeners may be async; the router awaits each
 * one in turn (design.md "Behaviour that Node changes").
 */
import { EventEmitter } from "node:events";
import type { AnymailTrackingEvent, TrackingEvent } from "./tracking.js";
import type { AnymailInboundEvent } from "./inbound.js";

/**
 * The channels and their listener arguments: `(event, espName)`. A tracking listener gets
 * the {@link TrackingEvent} union, which narrows on `eventType`.
 */
export interface AnymailEvents {
  tracking: [event: TrackingEvent, espName: string];
  inbound: [event: AnymailInboundEvent, espName: string];
}

/** What `dispatch` takes: the events as ESP adapters build them. */
export interface AnymailDispatchArgs {
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
  async dispatch<K extends AnymailChannel>(
    channel: K,
    ...args: AnymailDispatchArgs[K]
  ): Promise<void> {
    // every AnymailTrackingEvent is a TrackingEvent: its constructor enforces the union's
    // guarantees (see asTrackingEvent), so listeners get args as they were built
    await callListeners(this, channel, args[0], args[1]);
  }
}

/**
 * Calls the listeners of `channel` in turn, awaiting each one that returns a promise:
 * undefined when all returned synchronously, else a promise of the rest. rawListeners keeps
 * `once` wrappers, which remove themselves when called (and return the listener's result,
 * so async `once` listeners are awaited too). The two arguments are passed as such, not as
 * an array: a batch of a thousand events would build a thousand arrays (issue #19).
 */
function callListeners(
  emitter: AnymailEmitter,
  channel: AnymailChannel,
  event: unknown,
  espName: string,
): Promise<void> | undefined {
  const listeners = emitter.rawListeners(channel) as unknown as AnyListener[];
  for (let i = 0; i < listeners.length; i++) {
    const result = listeners[i].call(emitter, event, espName);
    if (isThenable(result)) return awaitRest(emitter, result, listeners, i + 1, event, espName);
  }
  return undefined;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * `emitter.dispatch(channel, event, espName)` for the router's emit step, without a promise
 * per event while every listener returns synchronously (issue #19: most listeners do, and a
 * batch emits dozens of events): undefined once every listener has returned, else a promise
 * of the rest. A listener that throws synchronously throws here. A subclass that overrides
 * `dispatch` (the queue sink) gets its own `dispatch`.
 */
export function dispatchNow<K extends AnymailChannel>(
  emitter: AnymailEmitter,
  channel: K,
  event: AnymailDispatchArgs[K][0],
  espName: string,
): Promise<void> | undefined {
  if (emitter.dispatch !== AnymailEmitter.prototype.dispatch) {
    return emitter.dispatch(channel, ...([event, espName] as AnymailDispatchArgs[K]));
  }
  return callListeners(emitter, channel, event, espName);
}

async function awaitRest(
  emitter: AnymailEmitter,
  pending: PromiseLike<unknown>,
  listeners: readonly AnyListener[],
  from: number,
  event: unknown,
  espName: string,
): Promise<void> {
  await pending;
  for (let i = from; i < listeners.length; i++) await listeners[i].call(emitter, event, espName);
}
