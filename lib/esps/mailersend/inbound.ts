/**
 * @module
 * MailerSend's inbound route (`inbound.message`, HMAC-signed) → AnymailInboundEvent. The
 * message is parsed from the raw MIME MailerSend includes; the envelope comes from `sender`
 * and the first `recipients.rcptTo`.
 */
import { AnymailConfigurationError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import { badPayload, jsonObjectBody, parseDate, stringOrNull } from "../../util/payload.js";
import { isRecord } from "../../util/records.js";
import type { WebhookHandler } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { signatureFor } from "./signature.js";

/** `/mailersend/inbound/` */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "json",
  signature: signatureFor("inboundSecret"),
  async handle(request, context) {
    const event = jsonObjectBody(request, context, "inbound");
    if (event.type !== "inbound.message") {
      const known = typeof event.type === "string" && /^[a-z_.]{1,40}$/.test(event.type);
      throw new AnymailConfigurationError(
        `You seem to have set MailerSend's *${known ? event.type : "activity"}* webhook to ` +
          `Anymail's MailerSend *inbound* URL. Use the /mailersend/tracking/ URL for it.`,
        { espName: context.espName },
      );
    }
    const data = isRecord(event.data) ? event.data : {};
    if (typeof data.raw !== "string") {
      throw badPayload(context, "inbound", "the inbound.message has no raw message");
    }
    const message = await AnymailInboundMessage.fromRaw(data.raw);
    if (isRecord(data.sender)) message.envelopeSender = stringOrNull(data.sender.email);
    const rcptTo = isRecord(data.recipients) ? data.recipients.rcptTo : undefined;
    // the same message sent to several inbound addresses lists each: take the first
    const first = Array.isArray(rcptTo) && isRecord(rcptTo[0]) ? rcptTo[0] : null;
    if (first) message.envelopeRecipient = stringOrNull(first.email);
    return [
      new AnymailInboundEvent({
        eventId: stringOrNull(data.id),
        timestamp: parseDate(data.created_at),
        message,
        espEvent: event,
      }),
    ];
  },
};
