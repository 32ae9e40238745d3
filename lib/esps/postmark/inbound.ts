/**
 * @module
 * Postmark's inbound webhook → AnymailInboundEvent carrying an AnymailInboundMessage: the
 * raw MIME (RawEmail) when Postmark includes it, else Postmark's parsed JSON fields.
 */
import { AnymailConfigurationError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import { jsonObjectBody } from "../../util/payload.js";
import { lookup } from "../../util/records.js";
import type { WebhookContext, WebhookHandler } from "../types.js";
import type { WebhookSettings } from "./index.js";
import {
  toInboundParts,
  type InboundFields,
  type PostmarkInboundPayload,
} from "./inbound-parts.js";
import { RECORD_TYPES } from "./tracking.js";

/**
 * The message from RawEmail. Postmark reports Bcc recipients in BccFull only (they are in
 * no header of the raw message), so a Bcc header is added when the raw message has none.
 */
async function fromRawEmail(raw: string, fields: InboundFields): Promise<AnymailInboundMessage> {
  const headerEnd = raw.search(/\r?\n\r?\n/);
  const headerBlock = headerEnd < 0 ? raw : raw.slice(0, headerEnd);
  const addBcc = fields.bcc !== undefined && !/^bcc:/im.test(headerBlock);
  const text = addBcc ? `Bcc: ${fields.bcc}\r\n${raw}` : raw;
  return AnymailInboundMessage.fromRaw(Buffer.from(text, "utf8"));
}

/** Postmark's inbound JSON → one inbound event. */
export async function toInboundEvent(
  payload: PostmarkInboundPayload,
  ctx: Pick<WebhookContext, "espName">,
): Promise<AnymailInboundEvent> {
  const parts = toInboundParts(payload, ctx);
  const message =
    typeof payload.RawEmail === "string" && payload.RawEmail !== ""
      ? await fromRawEmail(payload.RawEmail, parts.fields)
      : await AnymailInboundMessage.fromFields(parts.fields);
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

/** `/postmark/inbound/`: one JSON message per call. */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "json",
  async handle(request, context) {
    const payload = jsonObjectBody(request, context, "inbound");
    const recordType = payload.RecordType ?? "Inbound";
    if (recordType !== "Inbound") {
      // name the record only when it is one of Postmark's: never echo arbitrary input
      const known = lookup(RECORD_TYPES, recordType) !== undefined;
      throw new AnymailConfigurationError(
        `${context.espName}: ${known ? `a ${String(recordType)}` : "a"} tracking record was ` +
          "posted to Anymail's Postmark *inbound* webhook URL. Set Postmark's tracking " +
          "webhooks to the /postmark/tracking/ URL.",
        { espName: context.espName },
      );
    }
    return [await toInboundEvent(payload as PostmarkInboundPayload, context)];
  },
};
