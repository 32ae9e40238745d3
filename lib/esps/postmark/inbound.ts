/**
 * @module
 * Postmark's inbound webhook → AnymailInboundEvent carrying an AnymailInboundMessage.
 */
import { AnymailConfigurationError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import type { WebhookHandler, WebhookRequest } from "../types.js";
import { toInboundParts, type PostmarkInboundPayload } from "./inbound-parts.js";
import { RECORD_TYPES } from "./tracking.js";
import { parsePostmarkJson } from "./webhook-body.js";

/** Postmark's inbound JSON → one inbound event. */
export async function toInboundEvent(
  payload: PostmarkInboundPayload,
): Promise<AnymailInboundEvent> {
  const parts = toInboundParts(payload);
  const message = await AnymailInboundMessage.fromFields(parts.fields);
  message.envelopeSender = parts.envelopeSender;
  message.envelopeRecipient = parts.envelopeRecipient;
  message.strippedText = parts.strippedText;
  message.spamDetected = parts.spamDetected;
  message.spamScore = parts.spamScore;
  return new AnymailInboundEvent({
    // Postmark's own id, not the Message-ID header; Postmark gives no receipt time
    eventId: typeof payload.MessageID === "string" ? payload.MessageID : null,
    timestamp: null,
    message,
    espEvent: payload,
  });
}

/** `/postmark/inbound/` */
export const inboundHandler: WebhookHandler = {
  handle: async function handlePostmarkInbound(request: WebhookRequest) {
    const payload = parsePostmarkJson(request, "inbound");
    const recordType = payload.RecordType ?? "Inbound";
    if (recordType !== "Inbound") {
      // name the record only when it is one of Postmark's: never echo arbitrary input
      const known = typeof recordType === "string" && Object.hasOwn(RECORD_TYPES, recordType);
      throw new AnymailConfigurationError(
        `Postmark: ${known ? `a ${recordType}` : "a"} tracking record was posted to Anymail's Postmark ` +
          `*inbound* webhook URL. Set Postmark's tracking webhooks to the /postmark/tracking/ URL.`,
        { espName: "Postmark" },
      );
    }
    return [await toInboundEvent(payload as PostmarkInboundPayload)];
  },
};
