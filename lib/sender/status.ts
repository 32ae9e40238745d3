/**
 * @module
 * AnymailStatus: the normalized answer of an ESP's send API.
 */

/** The spec's send statuses. */
export type SendStatus = "sent" | "queued" | "invalid" | "rejected" | "failed" | "unknown";

export interface RecipientStatus {
  status: SendStatus;
  messageId: string | null;
}

/** The ESP's raw answer: for HTTP ESPs the status, headers and (JSON-parsed when JSON) body. */
export interface EspHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The normalized result of one send (spec: "ESP send status"). */
export class AnymailStatus {
  /**
   * The ESP's message id when every recipient has the same one; otherwise the Set of all of
   * them, including null for a recipient that got none (e.g. one refused in a batch). null
   * when nothing was sent.
   */
  messageId: string | Set<string | null> | null = null;
  /** The set of statuses across all recipients; null when the send failed. */
  status: Set<SendStatus> | null = null;
  /** Per recipient addr-spec (case as sent): its status and message id. */
  recipients: Record<string, RecipientStatus> = {};
  /** The ESP's raw response; its type varies by ESP. */
  espResponse: unknown = null;

  /**
   * Every message id, as an array (no `string | Set` check needed): one id when all
   * recipients share it, one per distinct id otherwise (a recipient without one adds
   * nothing), none when the send failed.
   */
  get messageIds(): string[] {
    if (this.messageId === null) return [];
    if (typeof this.messageId === "string") return [this.messageId];
    return [...this.messageId].filter((id): id is string => id !== null);
  }

  /** Fills this status from per-recipient results. */
  setRecipients(recipients: Record<string, RecipientStatus>, espResponse: unknown): this {
    this.recipients = recipients;
    this.espResponse = espResponse;
    const ids = new Set<string | null>();
    const statuses = new Set<SendStatus>();
    for (const key in recipients) {
      ids.add(recipients[key].messageId);
      statuses.add(recipients[key].status);
    }
    this.messageId = ids.size === 0 ? null : ids.size === 1 ? ids.values().next().value! : ids;
    this.status = statuses;
    return this;
  }
}
