/**
 * @module
 * Mandrill inbound: an `inbound` event of a `mandrill_events` batch → an AnymailInboundEvent,
 * parsed from the original MIME message in `msg.raw_msg`.
 */
import { AnymailError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import { timestampOf } from "./tracking.js";
import type { MandrillEvent } from "./tracking.js";

/** One Mandrill inbound event → an AnymailInboundEvent. */
export async function toInboundEvent(
  event: MandrillEvent,
  espName: string,
): Promise<AnymailInboundEvent> {
  const msg = event.msg;
  if (!msg || typeof msg.raw_msg !== "string") {
    throw new AnymailError(`${espName} webhook: inbound event without msg.raw_msg.`, { espName });
  }
  const message = await AnymailInboundMessage.fromRaw(msg.raw_msg);
  // msg.sender is about outbound mail only; Mandrill does not give the inbound envelope sender
  message.envelopeSender = null;
  message.envelopeRecipient = typeof msg.email === "string" ? msg.email : null;
  const score = msg.spam_report?.score;
  message.spamScore = typeof score === "number" ? score : null;
  // Mandrill has no yes/no spam verdict, only the SpamAssassin report
  message.spamDetected = null;
  return new AnymailInboundEvent({
    timestamp: timestampOf(event),
    // Mandrill gives inbound messages no id
    eventId: null,
    message,
    espEvent: event,
  });
}
