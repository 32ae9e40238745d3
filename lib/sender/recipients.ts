/**
 * @module
 * Per-recipient results: the same status for everyone a message went to, or one batch
 * entry per `to` recipient (merge data sends one message to each).
 */
import type { EmailAddress } from "./address.js";
import { allRecipients, type NormalizedMessage } from "./message.js";
import type { RecipientStatus, SendStatus } from "./status.js";

/** Every recipient of `message` (to, cc, bcc) with one status and message id. */
export function sameStatusForAll(
  message: NormalizedMessage,
  status: SendStatus,
  messageId: string | null,
): Record<string, RecipientStatus> {
  const recipients: Record<string, RecipientStatus> = {};
  for (const address of allRecipients(message))
    recipients[address.addrSpec] = { status, messageId };
  return recipients;
}

/**
 * Fans a batch send out: one entry per `to` recipient, from `resultFor(address, index)`
 * (index into `message.to`, the order the ESP's answer lists them in).
 */
export function perToRecipient(
  message: NormalizedMessage,
  resultFor: (address: EmailAddress, index: number) => RecipientStatus,
): Record<string, RecipientStatus> {
  const recipients: Record<string, RecipientStatus> = {};
  message.to.forEach((address, index) => {
    recipients[address.addrSpec] = resultFor(address, index);
  });
  return recipients;
}
