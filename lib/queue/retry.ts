/**
 * @module
 * Retrying sends: which failures are worth another try (AnymailAPIError.retriable), how long
 * to wait (exponential backoff with jitter, never less than the ESP's Retry-After), and
 * sendWithRetry for callers who want retries without a queue.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { AnymailAPIError } from "../errors.js";
import type { AnymailMessage } from "../sender/message.js";
import type { AnymailStatus } from "../sender/status.js";

/** Anything that sends one message: a Sender, a failover sender. */
export interface MessageSender {
  send(message: AnymailMessage): Promise<AnymailStatus>;
  /** The ESP's display name, for reports. */
  readonly espName?: string;
  /** The ESP's limit on `to` recipients per batch call (a Sender knows its ESP's). */
  readonly maxBatchSize?: number;
}

export interface RetryPolicy {
  /** Tries in all, the first included. @default 5 */
  attempts?: number;
  /** Ms before the second try, doubled for each one after. @default 1000 */
  baseDelay?: number;
  /** The longest backoff, ms. @default 60000 */
  maxDelay?: number;
  /** The random share of each delay, 0–1 (spreads retries of many senders). @default 0.5 */
  jitter?: number;
  /** The longest Retry-After honoured, ms; an ESP asking for longer fails the send. @default 300000 */
  maxRetryAfter?: number;
}

/** True when trying the same send again later may succeed. */
export function isRetriable(error: unknown): error is AnymailAPIError {
  return error instanceof AnymailAPIError && error.retriable;
}

/**
 * Ms to wait before try number `failures + 1`, or null when `error` is not worth retrying
 * (not retriable, or its Retry-After is longer than the policy allows).
 */
export function retryDelay(
  error: unknown,
  failures: number,
  policy: RetryPolicy = {},
  random: () => number = Math.random,
): number | null {
  if (!isRetriable(error)) return null;
  const { baseDelay = 1000, maxDelay = 60_000, jitter = 0.5, maxRetryAfter = 300_000 } = policy;
  const backoff = Math.min(maxDelay, baseDelay * 2 ** Math.max(0, failures - 1));
  const jittered = backoff * (1 - jitter + jitter * random());
  if (error.retryAfter === undefined) return Math.round(jittered);
  const asked = error.retryAfter * 1000;
  return asked > maxRetryAfter ? null : Math.round(Math.max(asked, jittered));
}

export interface SendWithRetryOptions extends RetryPolicy {
  /** Called before each wait. */
  onRetry?: (error: AnymailAPIError, attempt: number, delayMs: number) => void;
  /** Stops waiting (the send rejects with the signal's reason). */
  signal?: AbortSignal;
}

/**
 * Sends `message`, trying again after retriable failures (network errors, 429, 5xx) with
 * backoff; any other error, or the last try's, is thrown as it was.
 *
 * @example
 * const status = await sendWithRetry(sender, message, { attempts: 4, baseDelay: 500 });
 */
export async function sendWithRetry(
  sender: MessageSender,
  message: AnymailMessage,
  options: SendWithRetryOptions = {},
): Promise<AnymailStatus> {
  const attempts = Math.max(1, options.attempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    try {
      return await sender.send(message);
    } catch (error) {
      const delay = attempt < attempts ? retryDelay(error, attempt, options) : null;
      if (delay === null) throw error;
      options.onRetry?.(error as AnymailAPIError, attempt, delay);
      await sleep(delay, undefined, { signal: options.signal });
    }
  }
}
