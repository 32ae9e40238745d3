/**
 * @module
 * Resend's inbound webhook: an `email.received` event names the received email; its content
 * is fetched through Resend's API (`GET /emails/receiving/<id>`), preferring the raw MIME
 * (`raw.download_url`) and falling back to the parsed fields with each attachment downloaded.
 */
import { AnymailAPIError, AnymailConfigurationError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage, type InboundAttachmentInit } from "../../events/inbound-message.js";
import { joinUrl } from "../../sender/http.js";
import { badPayload, jsonObjectBody, parseDate, stringsOf } from "../../util/payload.js";
import { isRecord } from "../../util/records.js";
import type { WebhookContext, WebhookHandler } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { svixHeader, svixSignatureFor } from "./signature.js";

type Context = WebhookContext<WebhookSettings>;

async function download(url: string, context: Context, headers: Record<string, string> = {}) {
  let response: Response;
  try {
    response = await context.fetch(url, { headers });
  } catch (error) {
    throw new AnymailAPIError(`${context.espName}: could not fetch the inbound email`, {
      espName: context.espName,
      cause: error,
    });
  }
  if (!response.ok) {
    // Resend's error text, never the request's Authorization
    const text = (await response.text()).slice(0, 500);
    throw new AnymailAPIError(
      `${context.espName} API response ${response.status} fetching the inbound email: ${text}`,
      { espName: context.espName, statusCode: response.status },
    );
  }
  return response;
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** Resend's headers: an object of value or values, or a list of `{ name, value }`. */
function headerList(value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    return value
      .filter(isRecord)
      .flatMap((h): [string, string][] =>
        typeof h.name === "string" && typeof h.value === "string" ? [[h.name, h.value]] : [],
      );
  }
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([name, values]) =>
    stringsOf(Array.isArray(values) ? values : [values]).map((v): [string, string] => [name, v]),
  );
}

async function attachmentOf(item: unknown, context: Context): Promise<InboundAttachmentInit> {
  if (!isRecord(item) || typeof item.download_url !== "string") {
    throw badPayload(context, "inbound", "an attachment has no download_url");
  }
  const response = await download(item.download_url, context);
  return {
    filename: text(item.filename),
    contentType: response.headers.get("content-type") ?? text(item.content_type),
    content: Buffer.from(await response.arrayBuffer()),
    contentId: text(item.content_id),
    inline: item.content_disposition === "inline",
  };
}

/** The received email, fetched from Resend's API. */
export async function fetchInboundMessage(
  emailId: string,
  context: Context,
): Promise<AnymailInboundMessage> {
  const { apiKey, apiUrl } = context.settings;
  if (!apiKey) {
    throw new AnymailConfigurationError(
      `${context.espName} inbound needs the apiKey option (ANYMAIL_RESEND_API_KEY or ` +
        `RESEND_API_KEY) to fetch the received email from Resend's API.`,
      { espName: context.espName },
    );
  }
  const url = joinUrl(apiUrl, `emails/receiving/${encodeURIComponent(emailId)}`);
  const response = await download(url, context, { Authorization: `Bearer ${apiKey}` });
  const email: unknown = await response.json().catch(() => null);
  if (!isRecord(email)) throw badPayload(context, "inbound", "Resend's API answered without JSON");

  const raw = isRecord(email.raw) ? text(email.raw.download_url) : null;
  if (raw) {
    const mime = await download(raw, context);
    return AnymailInboundMessage.fromRaw(Buffer.from(await mime.arrayBuffer()));
  }
  const headers = headerList(email.headers);
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name.toLowerCase());
  const replyTo = stringsOf(email.reply_to);
  if (replyTo.length > 0 && !has("Reply-To")) headers.push(["Reply-To", replyTo.join(", ")]);
  const messageId = text(email.message_id);
  if (messageId && !has("Message-ID")) headers.push(["Message-ID", messageId]);
  const attachments = Array.isArray(email.attachments) ? email.attachments : [];
  return AnymailInboundMessage.fromFields({
    headers,
    from: text(email.from),
    to: stringsOf(email.to).join(", ") || null,
    cc: stringsOf(email.cc).join(", ") || null,
    subject: text(email.subject),
    text: text(email.text),
    html: text(email.html),
    attachments: await Promise.all(attachments.map((item) => attachmentOf(item, context))),
  });
}

/** `/resend/inbound/` */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "json",
  signature: svixSignatureFor("inboundSecret"),
  async handle(request, context) {
    const event = jsonObjectBody(request, context, "inbound");
    if (event.type !== "email.received") {
      const type = typeof event.type === "string" && /^[a-z_.]{1,40}$/.test(event.type);
      throw new AnymailConfigurationError(
        `You seem to have set Resend's *${type ? event.type : "tracking"}* webhook to ` +
          `Anymail's Resend *inbound* webhook URL. Send it to the /resend/tracking/ URL instead.`,
        { espName: context.espName },
      );
    }
    const data = isRecord(event.data) ? event.data : {};
    if (typeof data.email_id !== "string" || data.email_id === "") {
      throw badPayload(context, "inbound", "the email.received event has no data.email_id");
    }
    return [
      new AnymailInboundEvent({
        eventId: svixHeader(request, "id") ?? null,
        timestamp: parseDate(event.created_at),
        message: await fetchInboundMessage(data.email_id, context),
        espEvent: event,
      }),
    ];
  },
};
