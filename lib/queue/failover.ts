/**
 * @module
 * createFailoverSender(): one message, several ESPs in order of preference. A sender that
 * fails retriably, or cannot express the message, hands it to the next; one that keeps
 * failing is skipped for a while (a circuit breaker), so a down ESP costs one timeout, not
 * one per message.
 */
import { AnymailAPIError, AnymailUnsupportedFeature } from "../errors.js";
import type { AnymailMessage } from "../sender/message.js";
import type { AnymailStatus } from "../sender/status.js";
import { isRetriable, type MessageSender } from "./retry.js";

export interface FailoverPolicy {
  /** Retriable failures in a row that open a sender's circuit. @default 3 */
  failureThreshold?: number;
  /** Ms a circuit stays open before the sender is tried again (once). @default 30000 */
  cooldown?: number;
  /** The clock, for tests. @default Date.now */
  now?: () => number;
}

/** A status that also says which sender sent. */
export type FailoverStatus = AnymailStatus & { sentBy: string };

interface Circuit {
  failures: number;
  openUntil: number;
}

/** Several senders behind one `send`. */
export class FailoverSender implements MessageSender {
  readonly espName: string;
  readonly #circuits: Circuit[];

  constructor(
    private readonly senders: readonly MessageSender[],
    private readonly policy: FailoverPolicy = {},
  ) {
    if (senders.length === 0) throw new TypeError("createFailoverSender needs at least one sender");
    this.espName = senders.map(nameOf).join(" → ");
    this.#circuits = senders.map(() => ({ failures: 0, openUntil: 0 }));
  }

  /** Which senders are being skipped now (their circuit is open). */
  openCircuits(): string[] {
    const now = (this.policy.now ?? Date.now)();
    return this.senders.filter((_, i) => this.#circuits[i].openUntil > now).map(nameOf);
  }

  /**
   * Sends through the first sender whose circuit is closed; on a retriable failure or an
   * unsupported feature, through the next. Other errors (the message itself is wrong) are
   * thrown at once.
   */
  async send(message: AnymailMessage): Promise<FailoverStatus> {
    const now = (this.policy.now ?? Date.now)();
    const threshold = this.policy.failureThreshold ?? 3;
    const cooldown = this.policy.cooldown ?? 30_000;
    let lastError: unknown;
    for (const [i, sender] of this.senders.entries()) {
      const circuit = this.#circuits[i];
      if (circuit.openUntil > now) continue;
      try {
        const status = await sender.send(message);
        circuit.failures = 0;
        circuit.openUntil = 0;
        return Object.assign(status, { sentBy: nameOf(sender, i) });
      } catch (error) {
        if (error instanceof AnymailUnsupportedFeature) {
          lastError = error;
          continue;
        }
        if (!isRetriable(error)) throw error;
        lastError = error;
        circuit.failures++;
        // a half-open circuit (its cooldown over) reopens on its first failure
        if (circuit.failures >= threshold || circuit.openUntil > 0)
          circuit.openUntil = now + cooldown;
      }
    }
    if (lastError) throw lastError;
    const reopens = Math.min(...this.#circuits.map((c) => c.openUntil));
    throw new AnymailAPIError(
      `Every sender is failing (${this.espName}); the first is tried again in ${Math.ceil((reopens - now) / 1000)} s.`,
      { retriable: true, retryAfter: Math.ceil((reopens - now) / 1000) },
    );
  }
}

function nameOf(sender: MessageSender, index: number): string {
  return sender.espName ?? `sender ${index + 1}`;
}

/**
 * A sender that tries `senders` in order (see FailoverSender.send).
 *
 * @example
 * const sender = createFailoverSender([createSender("esp_a", …), createSender("esp_b", …)]);
 * const status = await sender.send(message);
 * status.sentBy; // "ESP A", or "ESP B" when the first failed
 */
export function createFailoverSender(
  senders: readonly MessageSender[],
  policy: FailoverPolicy = {},
): FailoverSender {
  return new FailoverSender(senders, policy);
}
