/**
 * @module
 * Brevo's inbound parsing webhook: `{"items": [...]}`, one parsed email per item →
 * AnymailInboundEvents. Brevo posts attachment metadata only; each attachment's content is
 * downloaded from its API (`GET inbound/attachments/<token>`) with the API key.
 * @see https://developers.brevo.com/docs/inbound-parse-webhooks
 */
import { AnymailAPIError, AnymailConfigurationError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage, type InboundAttachmentInit } from "../../events/inbound-message.js";
import { joinUrl, userAgentFor } from "../../sender/http.js";
import { badPayload, jsonObjectBody, stringOrNull } from "../../util/payload.js";
import { isRecord } from "../../util/records.js";
import type { WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import type { WebhookSettings } from "./index.js";

/** One attachment as Brevo describes it (the content is fetched by DownloadToken). */
export interface BrevoInboundAttachment {
  Name?: string;
  ContentType?: string;
  ContentLength?: number;
  ContentID?: string;
  DownloadToken?: string;
}

/** One item of Brevo's inbound payload (the fields Anymail reads). */
export interface BrevoInboundItem {
  /** Documented as a list of recipient UUIDs; in practice one id for this received email. */
  Uuid?: string[];
  /** Header name → value, or every value of a repeated header. From, To, Subject… are here. */
  Headers?: Record<string, string | string[]>;
  RawTextBody?: string;
  RawHtmlBody?: string;
  ExtractedMarkdownMessage?: string;
  SpamScore?: number;
  Attachments?: BrevoInboundAttachment[];
  [field: string]: unknown;
}

type InboundContext = WebhookContext<WebhookSettings>;

// Brevo retries a webhook that takes too long; a stalled download must not hold it open
const DOWNLOAD_TIMEOUT_MS = 20_000;

async function handle(request: WebhookRequest, context: InboundContext) {
  const body = jsonObjectBody(request, context, "inbound");
  const items = body.items;
  if (!Array.isArray(items)) {
    throw badPayload(
      context,
      "inbound",
      typeof body.event === "string"
        ? "this is a tracking event. You seem to have set Brevo's *tracking* webhook to " +
            "Anymail's *inbound* URL: point it at /sendinblue/tracking/ (or /brevo/tracking/)."
        : 'expected Brevo\'s inbound payload, {"items": [...]}',
    );
  }
  if (!items.every(isRecord)) throw badPayload(context, "inbound", "an item is not an object");
  const events: AnymailInboundEvent[] = [];
  for (const item of items as BrevoInboundItem[]) events.push(await toInboundEvent(item, context));
  return events;
}

/** One parsed email → an inbound event (its attachments downloaded). */
export async function toInboundEvent(
  item: BrevoInboundItem,
  context: InboundContext,
): Promise<AnymailInboundEvent> {
  const attachments: InboundAttachmentInit[] = [];
  for (const attachment of Array.isArray(item.Attachments) ? item.Attachments : []) {
    if (isRecord(attachment)) attachments.push(await downloadAttachment(attachment, context));
  }
  // From, To, Cc, Subject and Date come from the headers, parsed as the raw MIME route does
  const message = await AnymailInboundMessage.fromFields({
    headers: headerList(item.Headers),
    text: stringOrNull(item.RawTextBody),
    html: stringOrNull(item.RawHtmlBody),
    attachments,
  });
  message.envelopeSender = unbracket(message.get("Return-Path"));
  message.envelopeRecipient = unbracket(message.get("Delivered-To"));
  message.strippedText = stringOrNull(item.ExtractedMarkdownMessage);
  // documented as a "Spam.Score" object; payloads carry a number in SpamScore
  message.spamScore = typeof item.SpamScore === "number" ? item.SpamScore : null;
  return new AnymailInboundEvent({
    eventId: Array.isArray(item.Uuid) ? stringOrNull(item.Uuid[0]) : null,
    // Brevo gives no time of receipt
    timestamp: null,
    message,
    espEvent: item,
  });
}

/** Headers as Brevo gives them: a string, or a list for a repeated header. */
function headerList(headers: unknown): [string, string][] {
  if (!isRecord(headers)) return [];
  const list: [string, string][] = [];
  for (const [name, values] of Object.entries(headers)) {
    for (const value of Array.isArray(values) ? values : [values]) {
      if (typeof value === "string") list.push([name, value]);
    }
  }
  return list;
}

function unbracket(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed.startsWith("<") && trimmed.endsWith(">") ? trimmed.slice(1, -1) : trimmed;
}

/** GET inbound/attachments/<token> with the API key; the answer's Content-Type wins (it has the charset). */
async function downloadAttachment(
  attachment: BrevoInboundAttachment,
  context: InboundContext,
): Promise<InboundAttachmentInit> {
  const { apiKey, apiUrl } = context.settings;
  if (!apiKey) {
    throw new AnymailConfigurationError(
      `${context.espName} inbound webhook: the message has attachments, which Anymail downloads ` +
        `through Brevo's API: set the router's sendinblue apiKey option (or ANYMAIL_BREVO_API_KEY).`,
      { espName: context.espName },
    );
  }
  const token = attachment.DownloadToken;
  if (typeof token !== "string" || token === "") {
    throw badPayload(context, "inbound", "an attachment has no DownloadToken");
  }
  const url = joinUrl(apiUrl, `inbound/attachments/${encodeURIComponent(token)}`);
  let response: Response;
  let content: Buffer;
  try {
    response = await context.fetch(url, {
      headers: { "api-key": apiKey, Accept: "*/*", "User-Agent": userAgentFor("sendinblue") },
      redirect: "error",
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
    content = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new AnymailAPIError(
      `${context.espName}: could not download inbound attachment "${attachment.Name ?? ""}"`,
      { espName: context.espName, cause: error },
    );
  }
  if (!response.ok) {
    throw new AnymailAPIError(
      `${context.espName}: downloading inbound attachment "${attachment.Name ?? ""}" ` +
        `answered HTTP ${response.status}`,
      { espName: context.espName, statusCode: response.status },
    );
  }
  return {
    filename: stringOrNull(attachment.Name),
    contentType: response.headers.get("content-type") || stringOrNull(attachment.ContentType),
    content,
    contentId: stringOrNull(attachment.ContentID),
    // Brevo marks no disposition: a part with a Content-ID is the html's inline image
    inline: typeof attachment.ContentID === "string" && attachment.ContentID !== "",
  };
}

/** `/sendinblue/inbound/` (and `/brevo/inbound/`). */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "json",
  handle,
};
