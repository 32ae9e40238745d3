/**
 * @module
 * Postal's inbound HTTP endpoint, "raw message" format (`message`, base64 when `base64` is
 * true, plus the envelope's `mail_from` and `rcpt_to`) → AnymailInboundEvent.
 */
import { AnymailConfigurationError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import { decodeBase64Strict } from "../../util/base64.js";
import { badPayload, jsonObjectBody, stringOrNull } from "../../util/payload.js";
import type { WebhookHandler } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { signature } from "./signature.js";

/** `/postal/inbound/` */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "json",
  signature,
  async handle(request, context) {
    const event = jsonObjectBody(request, context, "inbound");
    if ("status" in event || "payload" in event) {
      throw new AnymailConfigurationError(
        "You seem to have set Postal's *tracking* webhook to Anymail's Postal *inbound* " +
          "webhook URL. Use the /postal/tracking/ URL for it.",
        { espName: context.espName },
      );
    }
    if (typeof event.message !== "string") {
      throw badPayload(
        context,
        "inbound",
        "no raw message (set the HTTP endpoint's format to 'Raw message')",
      );
    }
    const raw = event.base64 === true ? decodeBase64Strict(event.message) : event.message;
    if (raw === null) throw badPayload(context, "inbound", "the message is not valid base64");
    const message = await AnymailInboundMessage.fromRaw(raw);
    message.envelopeSender = stringOrNull(event.mail_from);
    message.envelopeRecipient = stringOrNull(event.rcpt_to);
    return [
      new AnymailInboundEvent({
        // Postal gives no receipt time
        eventId: stringOrNull(event.id),
        timestamp: null,
        message,
        espEvent: event,
      }),
    ];
  },
};
