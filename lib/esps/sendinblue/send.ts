/**
 * @module
 * Sendinblue (Brevo) sending: a normalized message → one `POST smtp/email` JSON call (API
 * v3), and its `{messageId}` answer → "queued" for every recipient. Spec: esps/sendinblue.txt.
 */
import { AnymailAPIError, AnymailError } from "../../errors.js";
import { setting, type SettingSpecs } from "../../settings.js";
import type { EmailAddress } from "../../sender/address.js";
import { isHtml, type JsonObject, type NormalizedMessage } from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import { isRecord } from "../../util/records.js";
import { joinUrl } from "../../sender/http.js";

/** Options of `createSender("sendinblue", …)` (or `createSender("brevo", …)`). */
export interface SendinblueOptions {
  /**
   * Your v3 API key. Env: ANYMAIL_SENDINBLUE_API_KEY, ANYMAIL_BREVO_API_KEY, then
   * SENDINBLUE_API_KEY, BREVO_API_KEY.
   */
  apiKey?: string;
  /**
   * Base URL of the API (Brevo's current host; the old api.sendinblue.com still works).
   * @default "https://api.brevo.com/v3/"
   */
  apiUrl?: string;
}

export const SENDINBLUE_SEND_SETTINGS = {
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  apiUrl: setting.string({ default: "https://api.brevo.com/v3/" }),
} as const satisfies SettingSpecs;

/** Brevo's `{email, name}` address object. */
interface SendinblueAddress {
  email: string;
  name?: string;
}

/** The JSON body of `smtp/email`. */
export interface SendinbluePayload {
  sender?: SendinblueAddress;
  to?: SendinblueAddress[];
  cc?: SendinblueAddress[];
  bcc?: SendinblueAddress[];
  replyTo?: SendinblueAddress;
  subject?: string;
  headers?: Record<string, string>;
  textContent?: string;
  htmlContent?: string;
  attachment?: { name: string; content: string }[];
  tags?: string[];
  templateId?: number;
  params?: JsonObject;
  [espExtra: string]: unknown;
}

export interface SendinblueRequest {
  url: string;
  headers: Record<string, string>;
  json: SendinbluePayload;
}

// Metadata travels as JSON in this header and comes back in tracking events
const METADATA_HEADER = "X-Mailin-custom";

/**
 * Builds the smtp/email call for a normalized message.
 * @example buildRequest(message, { apiKey: "xkeysib-…", apiUrl: "https://api.brevo.com/v3/" }, ctx)
 */
export function buildRequest(
  message: NormalizedMessage,
  settings: { apiKey: string; apiUrl: string },
  ctx: Pick<SendContext, "unsupported" | "serializeJson" | "espName">,
): SendinblueRequest {
  const payload: SendinbluePayload = {};
  // from: null leaves the sender out, so a template's own sender is used
  if (message.from) payload.sender = toAddress(message.from);
  if (message.to.length > 0) payload.to = message.to.map(toAddress);
  if (message.cc.length > 0) payload.cc = message.cc.map(toAddress);
  if (message.bcc.length > 0) payload.bcc = message.bcc.map(toAddress);
  // one Reply-To only: the core keeps the first when more are ignored (features.replyTo "single")
  if (message.replyTo.length > 0) payload.replyTo = toAddress(message.replyTo[0]);
  if (message.subject) payload.subject = message.subject;

  const headers = { ...message.headers };
  if (message.metadata) {
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === METADATA_HEADER.toLowerCase()) delete headers[name];
    }
    headers[METADATA_HEADER] = ctx.serializeJson(message.metadata, "metadata");
  }
  if (Object.keys(headers).length > 0) payload.headers = headers;

  const html = [
    ...(message.html ? [message.html] : []),
    ...message.alternatives.filter((alt) => isHtml(alt.contentType)).map((alt) => alt.content),
  ];
  if (html.length > 1) ctx.unsupported("multiple html parts");
  const hasBody = Boolean(message.text) || html.length > 0;
  // a template supplies the body; Brevo would silently ignore one sent with it
  const bodyAllowed = message.templateId === null || !hasBody;
  if (!bodyAllowed) ctx.unsupported("a text or html body with templateId");
  if (bodyAllowed && message.text) payload.textContent = message.text;
  if (bodyAllowed && html.length > 0) payload.htmlContent = html[0];

  // Brevo infers each attachment's type from its name's extension (inline parts arrive
  // here as plain attachments: the core degrades them, features.inlineImages is false)
  const attachments = message.attachments.map((attachment) => ({
    name: attachment.filename ?? "",
    content: attachment.content.toString("base64"),
  }));
  if (attachments.length > 0) payload.attachment = attachments;

  if (message.tags.length > 0) payload.tags = message.tags;
  if (message.templateId !== null) payload.templateId = templateNumber(message.templateId);
  if (message.mergeGlobalData) payload.params = message.mergeGlobalData;
  if (message.espExtra) Object.assign(payload, message.espExtra);

  return {
    url: joinUrl(settings.apiUrl, "smtp/email"),
    headers: { "api-key": settings.apiKey, Accept: "application/json" },
    json: payload,
  };
}

/**
 * Brevo answers 201 `{messageId}` and gives no per-recipient detail: every recipient is
 * "queued" (later problems show up only in its logs and tracking events).
 */
export function parseResponse(
  body: unknown,
  message: NormalizedMessage,
  espName: string,
): Record<string, RecipientStatus> {
  let messageId: string | null = null;
  if (body !== "" && body !== undefined) {
    const id = isRecord(body) ? body.messageId : undefined;
    if (typeof id !== "string") {
      throw new AnymailAPIError(`${espName}: invalid API response format (no messageId)`, {
        espName,
        response: body,
      });
    }
    messageId = id;
  }
  const recipients: Record<string, RecipientStatus> = {};
  for (const address of [...message.to, ...message.cc, ...message.bcc]) {
    recipients[address.addrSpec] = { status: "queued", messageId };
  }
  return recipients;
}

/** The adapter's `send`. */
export async function sendSendinblue(
  message: NormalizedMessage,
  ctx: SendContext,
): Promise<SendResult> {
  const settings = { apiKey: String(ctx.settings.apiKey), apiUrl: String(ctx.settings.apiUrl) };
  const { url, headers, json } = buildRequest(message, settings, ctx);
  // serialized here so a value JSON cannot hold is an AnymailSerializationError naming it
  const body = ctx.serializeJson(json, "Sendinblue message");
  const response = await ctx.http.request({
    url,
    headers: { ...headers, "Content-Type": "application/json" },
    body,
  });
  const espResponse = response.toEspResponse();
  return {
    recipients: parseResponse(espResponse.body, message, ctx.espName),
    espResponse,
  };
}

function toAddress(address: EmailAddress): SendinblueAddress {
  return address.displayName
    ? { email: address.addrSpec, name: address.displayName }
    : { email: address.addrSpec };
}

/** Brevo template ids are numbers; "12" is accepted for 12. */
function templateNumber(templateId: string | number): number {
  const id = typeof templateId === "number" ? templateId : Number(templateId.trim());
  if (!Number.isInteger(id) || id <= 0 || String(templateId).trim() === "") {
    throw new AnymailError(
      `Sendinblue: templateId must be the numeric ID of a Brevo template, not "${templateId}".`,
      { espName: "Sendinblue" },
    );
  }
  return id;
}
