/**
 * @module
 * A message → Resend's `POST /emails` (or `/emails/batch`, one message per `to`), and its
 * answer → recipient statuses. Metadata and tags travel as X-Metadata / X-Tags headers
 * (JSON), which Resend echoes in its webhooks: its own tags allow only ASCII letters,
 * digits, `_` and `-`.
 */
import { sendJson } from "../../sender/send-json.js";
import mimeTypes from "nodemailer/lib/mime-funcs/mime-types.js";
import type { EmailAddress } from "../../sender/address.js";
import { joinUrl, type HttpResponse, apiResponseError } from "../../sender/http.js";
import {
  mergeHeaders,
  type JsonObject,
  type NormalizedAttachment,
  type NormalizedMessage,
} from "../../sender/message.js";
import { perToRecipient, sameStatusForAll } from "../../sender/recipients.js";
import type { SendContext, SendResult } from "../types.js";
import { shallowMerge } from "../../util/deep-merge.js";
import { isRecord } from "../../util/records.js";
import type { SendSettings } from "./index.js";
import { stringsOf } from "../../util/payload.js";

/** One email of Resend's API (the fields Anymail sets; espExtra may add any other). */
export interface ResendEmail {
  from?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  reply_to?: string[];
  subject?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: ResendAttachment[];
  scheduled_at?: string;
  [field: string]: unknown;
}

export interface ResendAttachment {
  /** base64 */
  content: string;
  filename: string;
  content_type: string;
  content_id?: string;
}

export interface ResendRequest {
  url: string;
  headers: Record<string, string>;
  body: ResendEmail | ResendEmail[];
}

const OCTET_STREAM = "application/octet-stream";

function baseType(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

/**
 * Resend silently drops a message whose attachment has no filename, or one whose extension
 * does not match its type: refuse those rather than lose the message.
 */
function toAttachment(
  attachment: NormalizedAttachment,
  ctx: SendContext<SendSettings>,
): ResendAttachment {
  let filename = attachment.filename ?? "";
  const type = baseType(attachment.contentType);
  if (filename && ctx.settings.verifyAttachmentExtensions) {
    const guessed = mimeTypes.detectMimeType(filename);
    if (guessed !== OCTET_STREAM && guessed !== type) {
      ctx.unsupported(`attachments of type ${type} with name ${JSON.stringify(filename)}`);
    }
  }
  if (!filename) {
    const extension = mimeTypes.detectExtension(type);
    if (extension && extension !== "bin") filename = `attachment.${extension}`;
    else ctx.unsupported(`unnamed attachments of type ${type}`);
  }
  const result: ResendAttachment = {
    content: attachment.content.toString("base64"),
    filename,
    content_type: attachment.contentType,
  };
  if (attachment.inline) {
    if (attachment.cid) result.content_id = attachment.cid;
    else ctx.unsupported("inline attachments without Content-ID");
  }
  return result;
}

/** ISO 8601 in UTC, without milliseconds when there are none. */
export function scheduledAt(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, "Z");
}

const addresses = (list: readonly EmailAddress[]) => list.map((address) => address.address);

/** The fields every message of the send shares. */
function buildBase(message: NormalizedMessage, ctx: SendContext<SendSettings>): ResendEmail {
  const data: ResendEmail = {};
  if (message.from) data.from = message.from.address;
  if (message.to.length > 0) data.to = addresses(message.to);
  if (message.cc.length > 0) data.cc = addresses(message.cc);
  if (message.bcc.length > 0) data.bcc = addresses(message.bcc);
  if (message.replyTo.length > 0) data.reply_to = addresses(message.replyTo);
  if (message.subject !== null) data.subject = message.subject;
  const headers: Record<string, string> = shallowMerge(message.headers);
  if (message.metadata) headers["X-Metadata"] = ctx.serializeJson(message.metadata, "metadata");
  if (message.tags.length > 0) headers["X-Tags"] = ctx.serializeJson(message.tags, "tags");
  if (Object.keys(headers).length > 0) data.headers = headers;
  if (message.text !== null) data.text = message.text;
  if (message.html !== null) data.html = message.html;
  if (message.attachments.length > 0) {
    data.attachments = message.attachments.map((attachment) => toAttachment(attachment, ctx));
  }
  if (message.sendAt) data.scheduled_at = scheduledAt(message.sendAt);
  return data;
}

/** One batch entry for `to`: its own To, X-Metadata (global merged with its own) and headers. */
function forRecipient(
  base: ResendEmail,
  to: EmailAddress,
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): ResendEmail {
  const data: ResendEmail = shallowMerge(base, { to: [to.address] });
  let headers: Record<string, string> = shallowMerge(base.headers);
  const metadata = message.mergeMetadata?.[to.addrSpec];
  if (metadata) {
    const merged: JsonObject = shallowMerge(message.metadata, metadata);
    headers["X-Metadata"] = ctx.serializeJson(merged, "mergeMetadata");
  }
  const own = message.mergeHeaders?.[to.addrSpec];
  if (own) headers = mergeHeaders(headers, own);
  if (Object.keys(headers).length > 0) data.headers = headers;
  return data;
}

/** Builds Resend's API call. Pure but for `ctx.unsupported`. */
export function buildRequest(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): ResendRequest {
  // Resend has no server-side templates: merge data can only be empty (= a batch send)
  const mergeData = Object.values(message.mergeData ?? {});
  if (mergeData.some((data) => Object.keys(data).length > 0)) {
    ctx.unsupported("mergeData (Resend has no server-side templates)");
  }
  const base = buildBase(message, ctx);
  if (message.espExtra) Object.assign(base, message.espExtra);
  const headers = {
    Authorization: `Bearer ${ctx.settings.apiKey}`,
    Accept: "application/json",
  };
  if (!message.isBatch) {
    return { url: joinUrl(ctx.settings.apiUrl, "emails"), headers, body: base };
  }
  // Resend's batch endpoint takes neither attachments nor scheduled_at
  if (base.attachments) ctx.unsupported("attachments in a batch send");
  if (base.scheduled_at) ctx.unsupported("sendAt in a batch send");
  delete base.attachments;
  delete base.scheduled_at;
  const body = message.to.map((to) => forRecipient(base, to, message, ctx));
  return { url: joinUrl(ctx.settings.apiUrl, "emails/batch"), headers, body };
}

/**
 * `{ id }` for one email; `{ data: [{ id }, …] }` for a batch, in `to` order. Resend only
 * queues: every recipient is "queued" (batch cc/bcc have no single message id).
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: SendContext,
): SendResult {
  const json = response.json;
  const espResponse = response.toEspResponse();
  if (!message.isBatch) {
    const id = isRecord(json) ? json.id : undefined;
    if (typeof id !== "string")
      throw apiResponseError(response, ctx.espName, "no id in Resend's answer");
    return { recipients: sameStatusForAll(message, "queued", id), espResponse };
  }
  const data = isRecord(json) ? json.data : undefined;
  const ids = stringsOf(
    (Array.isArray(data) ? data : []).map((item) => (isRecord(item) ? item.id : undefined)),
  );
  if (ids.length !== message.to.length || ids.length !== (data as unknown[]).length) {
    throw apiResponseError(
      response,
      ctx.espName,
      "Resend's batch answer has no id for every message",
    );
  }
  return {
    recipients: {
      ...sameStatusForAll(message, "queued", null),
      ...perToRecipient(message, (_, index) => ({
        status: "queued",
        messageId: ids[index],
      })),
    },
    espResponse,
  };
}

/** The adapter's `send`: `buildRequest`, one JSON POST, `parseResponse`. */
export const send = sendJson(buildRequest, parseResponse);
