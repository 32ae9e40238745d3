/**
 * @module
 * Mandrill inbound: an `inbound` event of a `mandrill_events` batch → an AnymailInboundEvent,
 * parsed from the original MIME message in `msg.raw_msg`. Mandrill has no inbound URL of its
 * own: the `/mandrill/` handler (tracking.ts) sends inbound events here.
 */
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import { badPayload, stringOrNull } from "../../util/payload.js";
import { epochToDate } from "../../util/epoch.js";
import type { WebhookContext } from "../types.js";
import type { MandrillEvent } from "./tracking.js";

/** One Mandrill inbound event → an AnymailInboundEvent. */
export async function toInboundEvent(
  event: MandrillEvent,
  context: Pick<WebhookContext, "espName">,
): Promise<AnymailInboundEvent> {
  const msg = event.msg;
  if (!msg || typeof msg.raw_msg !== "string") {
    throw badPayload(context, "inbound", "inbound event without msg.raw_msg.");
  }
  const message = await AnymailInboundMessage.fromRaw(msg.raw_msg);
  // msg.sender is about outbound mail only; Mandrill does not give the inbound envelope sender
  message.envelopeSender = null;
  message.envelopeRecipient = stringOrNull(msg.email);
  const score = msg.spam_report?.score;
  message.spamScore = typeof score === "number" ? score : null;
  // Mandrill has no yes/no spam verdict, only the SpamAssassin report
  message.spamDetected = null;
  return new AnymailInboundEvent({
    timestamp: epochToDate(event.ts),
    // Mandrill gives inbound messages no id
    eventId: null,
    message,
    espEvent: event,
  });
}
