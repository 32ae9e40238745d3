/**
 * @module
 * A message → Postal's `POST /api/v1/send/message`, and its answer → recipient statuses.
 * Postal answers HTTP 200 also for errors: its JSON `status` says which.
 */
import { sendJson } from "../../sender/send-json.js";
import type { EmailAddress } from "../../sender/address.js";
import { joinUrl, type HttpResponse, apiResponseError } from "../../sender/http.js";
import { allRecipients, type NormalizedMessage, attachmentFilename } from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import { isRecord } from "../../util/records.js";
import type { SendContext, SendResult } from "../types.js";
import type { SendSettings } from "./index.js";

/** Postal's send-message parameters (the ones Anymail sets; espExtra may add any other). */
export interface PostalMessage {
  from?: string;
  sender?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  reply_to?: string;
  subject?: string;
  tag?: string;
  plain_body?: string;
  html_body?: string;
  headers?: Record<string, string>;
  attachments?: { name: string; content_type: string; data: string }[];
  [field: string]: unknown;
}

export interface PostalRequest {
  url: string;
  headers: Record<string, string>;
  body: PostalMessage;
}

const addresses = (list: readonly EmailAddress[]) => list.map((address) => address.address);

/** Builds Postal's API call. Pure. */
export function buildRequest(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): PostalRequest {
  const data: PostalMessage = {};
  if (message.from) data.from = message.from.address;
  if (message.envelopeSender) data.sender = message.envelopeSender.address;
  if (message.to.length > 0) data.to = addresses(message.to);
  if (message.cc.length > 0) data.cc = addresses(message.cc);
  if (message.bcc.length > 0) data.bcc = addresses(message.bcc);
  // the core has refused (or trimmed) extra Reply-To addresses and tags: Postal takes one
  if (message.replyTo.length > 0) data.reply_to = message.replyTo[0].address;
  if (message.subject !== null) data.subject = message.subject;
  if (message.tags.length > 0) data.tag = message.tags[0];
  if (message.text !== null) data.plain_body = message.text;
  if (message.html !== null) data.html_body = message.html;
  if (Object.keys(message.headers).length > 0) data.headers = { ...message.headers };
  if (message.attachments.length > 0) {
    data.attachments = message.attachments.map((attachment) => ({
      name: attachmentFilename(attachment),
      content_type: attachment.contentType,
      data: attachment.content.toString("base64"),
    }));
  }
  if (message.espExtra) Object.assign(data, message.espExtra);
  return {
    url: joinUrl(ctx.settings.apiUrl, "api/v1/send/message"),
    headers: { "X-Server-API-Key": ctx.settings.apiKey, Accept: "application/json" },
    body: data,
  };
}

/**
 * `{ status: "success", data: { messages: { <address>: { id, token } } } }`: every
 * recipient queued with its own message id. Any other status is an error carrying
 * Postal's code and message.
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: SendContext,
): SendResult {
  const json = response.json;
  if (!isRecord(json))
    throw apiResponseError(response, ctx.espName, `not JSON: ${response.text.slice(0, 300)}`);
  const data = isRecord(json.data) ? json.data : {};
  if (json.status !== "success") {
    const detail = [data.code, data.message].filter((part) => typeof part === "string");
    throw apiResponseError(
      response,
      ctx.espName,
      `${String(json.status)}: ${detail.join(": ") || response.text}`,
    );
  }
  const messages = isRecord(data.messages) ? data.messages : {};
  // Postal keys its answer by address, lower-cased; any other spelling is looked up ignoring case
  let byAddress: Map<string, unknown> | undefined;
  const entryFor = (addrSpec: string): unknown => {
    const lower = addrSpec.toLowerCase();
    if (Object.hasOwn(messages, lower)) return messages[lower];
    byAddress ??= new Map(Object.entries(messages).map(([key, v]) => [key.toLowerCase(), v]));
    return byAddress.get(lower);
  };
  const recipients: Record<string, RecipientStatus> = {};
  for (const address of allRecipients(message)) {
    const entry = entryFor(address.addrSpec);
    const id = isRecord(entry) ? entry.id : undefined;
    recipients[address.addrSpec] =
      typeof id === "number" || typeof id === "string"
        ? { status: "queued", messageId: String(id) }
        : { status: "unknown", messageId: null };
  }
  return { recipients, espResponse: response.toEspResponse() };
}

/** The adapter's `send`: `buildRequest`, one JSON POST, `parseResponse`. */
export const send = sendJson(buildRequest, parseResponse);
