/**
 * @module
 * SparkPost relay webhook (`/sparkpost/inbound/`): each `relay_message` carries the whole
 * received message as `content.email_rfc822` → AnymailInboundEvent.
 * @see https://developers.sparkpost.com/api/relay-webhooks/
 */
import { decodeBase64Strict } from "../../util/base64.js";
import { AnymailConfigurationError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import type { WebhookContext, WebhookHandler } from "../types.js";
import { badPayload, stringOrNull } from "../../util/payload.js";
import { isRecord } from "../../util/records.js";
import type { WebhookSettings } from "./index.js";
import { unwrapEvents, type SparkPostUnwrapped } from "./webhook.js";

/**
 * The raw MIME of a relay message. Base64 content is decoded to bytes, never to text, so a
 * message in any charset (or with 8-bit bytes) reaches the MIME parser intact.
 */
export function relayMessageMime(
  data: Record<string, unknown>,
  context: Pick<WebhookContext, "espName">,
): Buffer | string {
  const content = isRecord(data.content) ? data.content : {};
  const mime = content.email_rfc822;
  if (typeof mime !== "string") {
    throw badPayload(context, "inbound", "relay_message has no content.email_rfc822");
  }
  if (content.email_rfc822_is_base64 !== true) return mime;
  const bytes = decodeBase64Strict(mime);
  if (bytes === null) {
    throw badPayload(context, "inbound", "content.email_rfc822 is marked base64 but is not base64");
  }
  return bytes;
}

/** One relay_message → the inbound event (SparkPost gives no timestamp or event id). */
export async function toInboundEvent(
  event: SparkPostUnwrapped,
  espName: string,
): Promise<AnymailInboundEvent> {
  const { data } = event;
  const protocol = stringOrNull(data["protocol"]);
  // the docs' sample omits protocol; anything but SMTP (e.g. future SMS relays) is not mail
  if (protocol !== null && protocol.toLowerCase() !== "smtp") {
    throw new AnymailConfigurationError(
      `${espName}: Anymail's inbound webhook handles only SMTP relay messages, ` +
        `not the "${protocol}" protocol. Point that relay webhook elsewhere.`,
      { espName },
    );
  }
  const message = await AnymailInboundMessage.fromRaw(relayMessageMime(data, { espName }));
  message.envelopeSender = stringOrNull(data["msg_from"]);
  message.envelopeRecipient = stringOrNull(data["rcpt_to"]);
  return new AnymailInboundEvent({ message, espEvent: event.raw });
}

/** `/sparkpost/inbound/` */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "json",
  async handle(request, context) {
    const { espName } = context;
    const events = unwrapEvents(request, context, "inbound");
    const misrouted = events.find((event) => event.eventClass !== "relay_message");
    if (misrouted) {
      throw new AnymailConfigurationError(
        `${espName}: a "${misrouted.eventClass}" tracking event was posted to the inbound ` +
          `(relay) webhook URL. Set your SparkPost event webhook's target to Anymail's ` +
          `/sparkpost/tracking/ URL, and keep /sparkpost/inbound/ for relay webhooks.`,
        { espName },
      );
    }
    const results: AnymailInboundEvent[] = [];
    for (const event of events) results.push(await toInboundEvent(event, espName));
    return results;
  },
};
