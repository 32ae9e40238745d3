/**
 * @module
 * Sendinblue (Brevo) sending: a normalized message → one `POST smtp/email` JSON call (API
 * v3), and its `{messageId}` (or batch `{messageIds}`) answer → "queued" recipients.
 * Spec: esps/sendinblue.txt; scheduledAt and messageVersions as Brevo's API has them now.
 */
import { AnymailAPIError, AnymailError } from "../../errors.js";
import type { EmailAddress } from "../../sender/address.js";
import { joinUrl, type HttpResponse } from "../../sender/http.js";
import {
  isHtml,
  setHeader,
  type NormalizedMessage,
  attachmentFilename,
} from "../../sender/message.js";
import { perToRecipient, sameStatusForAll } from "../../sender/recipients.js";
import type { RecipientStatus } from "../../sender/status.js";
import { decodeBytes } from "../../util/charset.js";
import { encodeMimeWords, isPrintableAscii } from "../../util/mime-words.js";
import { shallowMerge } from "../../util/deep-merge.js";
import { isRecord } from "../../util/records.js";
import type { SendContext, SendResult } from "../types.js";
import { messageVersions } from "./batch.js";
import type { SendSettings } from "./index.js";

/** Brevo's `{email, name}` address object. */
export interface BrevoAddress {
  email: string;
  name?: string;
}

/** The JSON body of `smtp/email`. */
export interface BrevoPayload {
  sender?: BrevoAddress;
  to?: BrevoAddress[];
  cc?: BrevoAddress[];
  bcc?: BrevoAddress[];
  replyTo?: BrevoAddress;
  subject?: string;
  headers?: Record<string, string>;
  textContent?: string;
  htmlContent?: string;
  attachment?: { name: string; content: string }[];
  tags?: string[];
  templateId?: number;
  params?: Record<string, unknown>;
  scheduledAt?: string;
  messageVersions?: ReturnType<typeof messageVersions>;
  [espExtra: string]: unknown;
}

/** What `send` posts. */
export interface BrevoRequest {
  url: string;
  headers: Record<string, string>;
  body: BrevoPayload;
}

type BuildContext = Pick<
  SendContext<SendSettings>,
  "espName" | "settings" | "unsupported" | "serializeJson"
>;

// Metadata travels as JSON in this header and comes back in tracking events
export const METADATA_HEADER = "X-Mailin-custom";

/** The adapter's `send`. */
export async function send(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): Promise<SendResult> {
  const { url, headers, body } = buildRequest(message, ctx);
  const response = await ctx.http.postJson(url, body, headers);
  return {
    recipients: parseResponse(response, message, ctx),
    espResponse: response.toEspResponse(),
  };
}

/**
 * Builds the smtp/email call for a normalized message (pure).
 * @example buildRequest(message, ctx).body.sender // { email: "from@example.com" }
 */
export function buildRequest(message: NormalizedMessage, ctx: BuildContext): BrevoRequest {
  const body: BrevoPayload = {};
  // from: null leaves the sender out, so a template's own sender is used
  if (message.from) body.sender = toAddress(message.from);
  if (message.to.length > 0) body.to = message.to.map(toAddress);
  if (message.cc.length > 0) body.cc = message.cc.map(toAddress);
  if (message.bcc.length > 0) body.bcc = message.bcc.map(toAddress);
  // one Reply-To only: the core keeps the first when more are ignored (features.replyTo "single")
  if (message.replyTo.length > 0) body.replyTo = toAddress(message.replyTo[0]);
  if (message.subject) body.subject = message.subject;

  const headers = shallowMerge(message.headers);
  for (const [name, value] of Object.entries(headers)) {
    checkHeaderValue(`the "${name}" header`, value, ctx);
  }
  if (message.metadata) {
    const json = ctx.serializeJson(message.metadata, "metadata");
    checkHeaderValue("metadata", json, ctx);
    setHeader(headers, METADATA_HEADER, json);
  }
  if (Object.keys(headers).length > 0) body.headers = headers;

  const html = [
    ...(message.html ? [message.html] : []),
    ...message.alternatives.filter((alt) => isHtml(alt.contentType)).map((alt) => alt.content),
  ];
  if (html.length > 1) ctx.unsupported("multiple html parts");
  const hasBody = Boolean(message.text) || html.length > 0;
  // a template supplies the body; Brevo would silently ignore one sent with it
  const bodyAllowed = message.templateId === null || !hasBody;
  if (!bodyAllowed) ctx.unsupported("a text or html body with templateId");
  if (bodyAllowed && message.text) body.textContent = message.text;
  if (bodyAllowed && html.length > 0) body.htmlContent = html[0];

  // Brevo infers each attachment's type from its name's extension and always labels text
  // as UTF-8 (inline parts arrive here as plain attachments: features.inlineImages is false)
  const attachments = message.attachments.map((attachment) => ({
    name: attachmentFilename(attachment),
    content: utf8Content(attachment.content, attachment.contentType).toString("base64"),
  }));
  if (attachments.length > 0) body.attachment = attachments;

  if (message.tags.length > 0) body.tags = message.tags;
  if (message.templateId !== null)
    body.templateId = templateNumber(message.templateId, ctx.espName);
  if (message.mergeGlobalData) body.params = message.mergeGlobalData;
  if (message.sendAt) body.scheduledAt = message.sendAt.toISOString();
  if (message.isBatch) {
    // each `to` gets its own message; cc and bcc stay shared
    delete body.to;
    body.messageVersions = messageVersions(message, ctx);
  }
  if (message.espExtra) Object.assign(body, message.espExtra);

  return {
    url: joinUrl(ctx.settings.apiUrl, "smtp/email"),
    headers: { "api-key": ctx.settings.apiKey, Accept: "application/json" },
    body,
  };
}

/**
 * Brevo answers 201 `{messageId}`, or `{messageIds}` (one per message version, in the order
 * of `to`) for a batch, and no per-recipient detail: every recipient is "queued".
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: Pick<SendContext, "espName">,
): Record<string, RecipientStatus> {
  if (response.text.length === 0) return sameStatusForAll(message, "queued", null);
  const answer = response.json;
  const id = isRecord(answer) ? answer.messageId : undefined;
  if (typeof id === "string") return sameStatusForAll(message, "queued", id);
  const ids = isRecord(answer) ? answer.messageIds : undefined;
  if (Array.isArray(ids)) {
    // cc and bcc get each version: no one id is theirs
    const recipients = sameStatusForAll(message, "queued", null);
    const versions = perToRecipient(message, (_, index) => ({
      status: "queued",
      messageId: typeof ids[index] === "string" ? ids[index] : null,
    }));
    return shallowMerge(recipients, versions);
  }
  throw new AnymailAPIError(`${ctx.espName}: invalid API response format (no messageId)`, {
    espName: ctx.espName,
    response: response.toEspResponse(),
  });
}

/**
 * Brevo's `{email, name}`. Brevo drops a non-ASCII name that has a comma (or another RFC 5322
 * special) and sends a non-ASCII Reply-To name as raw 8-bit, so such names go RFC 2047-encoded.
 */
export function toAddress(address: EmailAddress): BrevoAddress {
  const name = address.displayName;
  if (!name) return { email: address.addrSpec };
  const needsEncoding = !isPrintableAscii(name) && /[()<>[\]:;@\\,."]/.test(name);
  return { email: address.addrSpec, name: needsEncoding ? encodeMimeWords(name) : name };
}

/**
 * Brevo sends custom header values as raw 8-bit UTF-8 (and decodes any encoded words we send
 * first), which mail servers may refuse: non-ASCII values are unsupported.
 */
export function checkHeaderValue(what: string, value: string, ctx: BuildContext): void {
  if (!isPrintableAscii(value) || value.includes("\\u")) {
    ctx.unsupported(`non-ASCII characters in ${what}`);
  }
}

/** Text in another charset as UTF-8: Brevo labels every text attachment charset=utf-8. */
function utf8Content(content: Buffer, contentType: string): Buffer {
  const [type, ...params] = contentType.split(";");
  if (!type.trim().toLowerCase().startsWith("text/")) return content;
  const charset = params
    .map((param) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(param)?.[1])
    .find(Boolean);
  if (!charset || /^(utf-?8|us-ascii|ascii)$/i.test(charset)) return content;
  return Buffer.from(decodeBytes(content, charset), "utf8");
}

/** Brevo template ids are numbers; "12" is accepted for 12. */
function templateNumber(templateId: string | number, espName: string): number {
  const id = typeof templateId === "number" ? templateId : Number(templateId.trim());
  if (!Number.isInteger(id) || id <= 0 || String(templateId).trim() === "") {
    throw new AnymailError(
      `${espName}: templateId must be the numeric ID of a Brevo template, not "${templateId}".`,
      { espName },
    );
  }
  return id;
}
