/**
 * @module
 * Mailjet sending: a NormalizedMessage → one Send API v3.1 request, and its answer →
 * per-recipient statuses. https://dev.mailjet.com/email/reference/send-emails#v3_1_post_send
 */
import { AnymailAPIError } from "../../errors.js";
import type { EmailAddress } from "../../sender/address.js";
import { redact, type HttpResponse } from "../../sender/http.js";
import {
  allRecipients,
  mergeHeaders,
  type JsonObject,
  type NormalizedMessage,
  attachmentFilename,
} from "../../sender/message.js";
import type { EspHttpResponse, RecipientStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import { deepMerge, shallowMerge } from "../../util/deep-merge.js";
import { isRecord } from "../../util/records.js";
import { parseBigJson } from "./big-json.js";
import type { SendSettings } from "./index.js";

type BuildContext = Pick<
  SendContext<SendSettings>,
  "settings" | "espName" | "unsupported" | "serializeJson"
>;

/** Mailjet's address object. */
export interface MailjetAddress {
  Email: string;
  Name?: string;
}

export interface MailjetAttachment {
  ContentType: string;
  Filename: string;
  Base64Content: string;
  ContentID?: string;
}

/** The fields anymail sets on Globals or on one Messages entry. */
export interface MailjetMessageFields {
  From?: MailjetAddress;
  Sender?: MailjetAddress;
  To?: MailjetAddress[];
  Cc?: MailjetAddress[];
  Bcc?: MailjetAddress[];
  ReplyTo?: MailjetAddress;
  Subject?: string;
  TextPart?: string;
  HTMLPart?: string;
  Headers?: Record<string, string>;
  Attachments?: MailjetAttachment[];
  InlinedAttachments?: MailjetAttachment[];
  EventPayload?: string;
  CustomCampaign?: string;
  TrackOpens?: "enabled" | "disabled";
  TrackClicks?: "enabled" | "disabled";
  TemplateID?: number;
  TemplateLanguage?: boolean;
  Variables?: JsonObject;
}

/** The Send API v3.1 body: everything but the recipients is in Globals. */
export interface MailjetSendPayload {
  Globals: MailjetMessageFields;
  Messages: MailjetMessageFields[];
  [rootOption: string]: unknown;
}

/** The Send API call for one message, before it becomes HTTP. */
export interface MailjetRequest {
  url: string;
  headers: Record<string, string>;
  body: MailjetSendPayload;
}

function toMailjetAddress(address: EmailAddress): MailjetAddress {
  return address.displayName
    ? { Email: address.addrSpec, Name: address.displayName }
    : { Email: address.addrSpec };
}

function enabled(on: boolean): "enabled" | "disabled" {
  return on ? "enabled" : "disabled";
}

/** Builds the Send API request. Pure apart from `ctx.unsupported` for data-dependent limits. */
export function buildRequest(message: NormalizedMessage, ctx: BuildContext): MailjetRequest {
  const globals: MailjetMessageFields = {};
  let messages: MailjetMessageFields[] = [];

  if (message.from) globals.From = toMailjetAddress(message.from);
  if (message.to.length > 0) {
    messages.push({ To: message.to.map(toMailjetAddress) });
  } else {
    // Mailjet requires To on every message: a cc- or bcc-only message cannot be expressed
    ctx.unsupported("messages without any `to` recipients");
  }
  if (message.cc.length > 0) globals.Cc = message.cc.map(toMailjetAddress);
  if (message.bcc.length > 0) globals.Bcc = message.bcc.map(toMailjetAddress);
  if (message.replyTo.length > 0) globals.ReplyTo = toMailjetAddress(message.replyTo[0]);
  if (message.subject !== null) globals.Subject = message.subject;
  // an empty text body stops a template's own text part from being used
  if (message.text) globals.TextPart = message.text;
  if (message.html !== null) globals.HTMLPart = message.html;
  if (Object.keys(message.headers).length > 0) globals.Headers = { ...message.headers };

  for (const attachment of message.attachments) {
    const item: MailjetAttachment = {
      ContentType: attachment.contentType,
      // Mailjet refuses an empty Filename (mj-0012): give it a name (issue #17 item 5)
      Filename: attachmentFilename(attachment),
      Base64Content: attachment.content.toString("base64"),
    };
    if (attachment.inline && attachment.cid !== null) {
      item.ContentID = attachment.cid;
      (globals.InlinedAttachments ??= []).push(item);
    } else {
      (globals.Attachments ??= []).push(item);
    }
  }

  if (message.envelopeSender) globals.Sender = toMailjetAddress(message.envelopeSender);
  if (message.metadata) globals.EventPayload = ctx.serializeJson(message.metadata, "metadata");
  if (message.tags.length > 0) globals.CustomCampaign = message.tags[0];
  if (message.trackOpens !== null) globals.TrackOpens = enabled(message.trackOpens);
  if (message.trackClicks !== null) globals.TrackClicks = enabled(message.trackClicks);
  if (message.templateId !== null) {
    const templateId = Number(message.templateId);
    if (Number.isSafeInteger(templateId) && templateId > 0) {
      globals.TemplateID = templateId; // Mailjet wants a number, never a string
      globals.TemplateLanguage = true;
    } else {
      ctx.unsupported(`templateId "${message.templateId}" (Mailjet needs the numeric template ID)`);
    }
  }
  if (message.mergeGlobalData) globals.Variables = { ...message.mergeGlobalData };

  if (message.isBatch) {
    messages = message.to.map((to) => batchMessage(to, message, ctx));
  }

  let payload: MailjetSendPayload = { Globals: globals, Messages: messages };
  if (message.espExtra) {
    // deep-merged everywhere but Messages, which an espExtra replaces whole (MJ-05)
    payload = deepMerge(payload, message.espExtra) as MailjetSendPayload;
  }

  const { apiKey, secretKey, apiUrl } = ctx.settings;
  return {
    url: `${apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`}send`,
    headers: {
      Authorization: `Basic ${Buffer.from(`${apiKey}:${secretKey}`).toString("base64")}`,
    },
    body: payload,
  };
}

/** One Messages entry of a batch send: one `to`, with its own merge data, metadata, headers. */
function batchMessage(
  to: EmailAddress,
  message: NormalizedMessage,
  ctx: Pick<SendContext, "serializeJson">,
): MailjetMessageFields {
  const entry: MailjetMessageFields = { To: [toMailjetAddress(to)] };
  const key = to.addrSpec;
  const mergeData = message.mergeData?.[key];
  if (mergeData) entry.Variables = { ...mergeData };
  const mergeMetadata = message.mergeMetadata?.[key];
  if (mergeMetadata) {
    entry.EventPayload = ctx.serializeJson(
      shallowMerge(message.metadata, mergeMetadata),
      `mergeMetadata["${key}"]`,
    );
  }
  const recipientHeaders = message.mergeHeaders?.[key];
  if (recipientHeaders) {
    // the whole header set, so it holds whether Mailjet merges or replaces Globals.Headers
    entry.Headers = mergeHeaders(message.headers, recipientHeaders);
  }
  return entry;
}

/** Send API statuses handed back to parseResponse rather than thrown: 4xx is a partial failure. */
export function acceptStatus(status: number): boolean {
  return (status >= 200 && status < 300) || (status >= 400 && status < 500);
}

interface MailjetSentRecipient {
  Email?: unknown;
  MessageID?: unknown;
}

interface MailjetMessageResult {
  Status?: unknown;
  To?: MailjetSentRecipient[];
  Cc?: MailjetSentRecipient[];
  Bcc?: MailjetSentRecipient[];
}

/**
 * The AnymailAPIError for an answer that is not a success. Mailjet's 4xx answers are read
 * here, not by the HTTP client, so the credentials are redacted here too.
 */
function apiError(
  ctx: Pick<SendContext<SendSettings>, "espName" | "settings">,
  response: HttpResponse,
  body: unknown,
  why: string,
) {
  const { espName } = ctx;
  const secrets = [ctx.settings.apiKey, ctx.settings.secretKey];
  const detail = isRecord(body) && typeof body.ErrorMessage === "string" ? body.ErrorMessage : "";
  const text = redact(detail || response.text.slice(0, 1000), secrets);
  return new AnymailAPIError(`${espName} API response ${response.status}: ${why}${text}`, {
    espName,
    statusCode: response.status,
    response: {
      status: response.status,
      headers: response.headers,
      body: redact(response.text, secrets),
    },
  });
}

/**
 * Maps the Send API answer to per-recipient statuses. Every MessageID is kept exact (they
 * exceed 2^53). A message with Status "success" → "sent" for each of its To/Cc/Bcc; a
 * recipient the answer does not report as sent → "failed" (Mailjet's errors name fields,
 * not recipients). A body with a top-level ErrorCode/ErrorMessage, or one that is not the
 * Send API's shape, is an AnymailAPIError.
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: Pick<SendContext<SendSettings>, "espName" | "settings">,
): SendResult {
  let body: unknown;
  try {
    body = parseBigJson(response.text);
  } catch {
    throw apiError(ctx, response, undefined, "");
  }
  if (!isRecord(body) || "ErrorCode" in body || !Array.isArray(body.Messages)) {
    throw apiError(ctx, response, body, "");
  }
  const recipients: readonly EmailAddress[] = allRecipients(message);

  // keys keep the case used in the message (CORE-12), whatever case Mailjet answers in
  const asSent = new Map(recipients.map((r) => [r.addrSpec.toLowerCase(), r.addrSpec]));
  const statuses: Record<string, RecipientStatus> = {};
  for (const result of body.Messages as unknown[]) {
    if (!isRecord(result)) throw apiError(ctx, response, body, "unexpected answer: ");
    const { Status, To = [], Cc = [], Bcc = [] } = result as MailjetMessageResult;
    const sent = [...To, ...Cc, ...Bcc];
    for (const recipient of sent) {
      if (!isRecord(recipient) || typeof recipient.Email !== "string") {
        throw apiError(ctx, response, body, "unexpected answer: ");
      }
      const id = recipient.MessageID;
      const email = asSent.get(recipient.Email.toLowerCase()) ?? recipient.Email;
      statuses[email] = {
        status: Status === "success" ? "sent" : "failed",
        messageId: typeof id === "string" || typeof id === "number" ? String(id) : null,
      };
    }
  }
  for (const recipient of recipients) {
    statuses[recipient.addrSpec] ??= { status: "failed", messageId: null };
  }

  const espResponse: EspHttpResponse = {
    status: response.status,
    headers: response.headers,
    body,
  };
  return { recipients: statuses, espResponse };
}

/** The adapter's `send`: build, call, parse. */
export async function send(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): Promise<SendResult> {
  const request = buildRequest(message, ctx);
  const response = await ctx.http.postJson(request.url, request.body, request.headers, {
    acceptStatus,
  });
  return parseResponse(response, message, ctx);
}
