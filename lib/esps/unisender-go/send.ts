/**
 * @module
 * A message → Unisender Go's `POST email/send.json` (`{ message: { recipients, … } }`), and
 * its answer (`emails` sent, `failed_emails` with a reason) → recipient statuses. Every
 * recipient is its own message, so a batch is the same call with per-recipient
 * `substitutions` and `metadata`; the To/Cc headers make a normal send show everyone.
 */
import { randomUUID } from "node:crypto";
import mimeFuncs from "nodemailer/lib/mime-funcs/index.js";
import { formatAddress, type EmailAddress } from "../../sender/address.js";
import { joinUrl, type HttpResponse, apiResponseError } from "../../sender/http.js";
import {
  setHeader,
  type JsonObject,
  type NormalizedMessage,
  attachmentFilename,
} from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import { deepMerge, shallowMerge } from "../../util/deep-merge.js";
import { isRecord, lookup } from "../../util/records.js";
import type { SendContext, SendResult } from "../types.js";
import type { SendSettings } from "./index.js";

export interface UnisenderRecipient {
  email: string;
  substitutions?: JsonObject;
  metadata?: JsonObject;
}

/** Unisender Go's `message` (the fields Anymail sets; espExtra may add any other). */
export interface UnisenderMessage {
  recipients: UnisenderRecipient[];
  headers?: Record<string, string>;
  from_email?: string;
  from_name?: string;
  subject?: string;
  reply_to?: string;
  reply_to_name?: string;
  body?: { plaintext?: string; html?: string; amp?: string };
  attachments?: UnisenderAttachment[];
  inline_attachments?: UnisenderAttachment[];
  global_metadata?: JsonObject;
  options?: { send_at?: string };
  tags?: string[];
  track_links?: 0 | 1;
  track_read?: 0 | 1;
  template_id?: string;
  global_substitutions?: JsonObject;
  [field: string]: unknown;
}

export interface UnisenderAttachment {
  content: string;
  type: string;
  /** required: "" when unknown; the Content-ID for inline attachments */
  name: string;
}

export interface UnisenderRequest {
  url: string;
  headers: Record<string, string>;
  body: { message: UnisenderMessage };
  /** The generated message id of each recipient (lower-cased addr-spec). */
  messageIds: Map<string, string>;
}

/** Unisender Go `failed_emails` reason → status ("duplicate" recipients were sent once). */
export const FAILURE_STATUSES = {
  invalid: "invalid",
  permanent_unavailable: "rejected",
  temporary_unavailable: "failed",
  unsubscribed: "rejected",
} as const satisfies Record<string, RecipientStatus["status"]>;

/** The only header Unisender Go substitutes per recipient. */
const MERGE_HEADERS = ["List-Unsubscribe"];

const NON_ASCII = /[\u0080-\uffff]/;
/** Unisender Go refuses these in a To/Cc display name even when quoted. */
const TO_NAME_BUG = /[,<>@]/;
/** RFC 5322 specials: a Reply-To name with one is not quoted by Unisender Go. */
const SPECIALS = /[()<>[\]:;@\\,."]/;

const encodeWords = (text: string) => mimeFuncs.encodeWords(text, "B", 52);
/** Encodes a whole value as an encoded word, ASCII or not. */
const encodeWhole = (text: string) => mimeFuncs.encodeWord(text, "B", 52);

/** A To/Cc header entry, with Unisender Go's display-name problems worked around. */
function headerAddress(address: EmailAddress): string {
  const name = address.displayName;
  if (TO_NAME_BUG.test(name)) return formatAddress(encodeWhole(name), address.addrSpec);
  if (NON_ASCII.test(name)) return formatAddress(encodeWords(name), address.addrSpec);
  return address.address;
}

/** "YYYY-MM-DD hh:mm:ss" in UTC, as Unisender Go's send_at wants it. */
export function sendAtText(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** Recipients (to, cc, bcc) with their to_name, merge data, merge metadata and headers. */
function recipientsOf(message: NormalizedMessage, data: UnisenderMessage, ctx: SendContext) {
  return [...message.to, ...message.cc, ...message.bcc].map((address) => {
    const recipient: UnisenderRecipient = { email: address.addrSpec };
    const substitutions: JsonObject = {};
    if (address.displayName) substitutions.to_name = address.displayName;
    Object.assign(substitutions, message.mergeData?.[address.addrSpec] ?? {});
    for (const [name, value] of Object.entries(message.mergeHeaders?.[address.addrSpec] ?? {})) {
      const field = MERGE_HEADERS.find((known) => known.toLowerCase() === name.toLowerCase());
      if (!field) {
        ctx.unsupported(`${JSON.stringify(name)} in mergeHeaders (only List-Unsubscribe)`);
        continue;
      }
      const variable = `Header__${field.replace(/-/g, "_")}`;
      substitutions[variable] = value;
      setHeader((data.headers ??= {}), field, `{{${variable}}}`);
    }
    if (Object.keys(substitutions).length > 0) recipient.substitutions = substitutions;
    const metadata = message.mergeMetadata?.[address.addrSpec];
    if (metadata) recipient.metadata = shallowMerge(metadata);
    return recipient;
  });
}

function buildMessage(message: NormalizedMessage, ctx: SendContext<SendSettings>) {
  const data: UnisenderMessage = { recipients: [] };
  const headers: Record<string, string> = {};
  if (message.to.length > 0 && !message.isBatch) {
    headers.to = message.to.map(headerAddress).join(", ");
  }
  if (message.cc.length > 0) {
    // Unisender Go takes no Cc header without a To one, and a batch has none
    if (message.isBatch) ctx.unsupported("cc with a batch send");
    else headers.cc = message.cc.map(headerAddress).join(", ");
  }
  // Unisender Go sends non-ASCII header values as 8-bit ISO-8859-1: encode them here
  for (const [name, value] of Object.entries(message.headers)) {
    headers[name] = NON_ASCII.test(value) ? encodeWords(value) : value;
  }
  if (Object.keys(headers).length > 0) data.headers = headers;
  data.recipients = recipientsOf(message, data, ctx);
  if (message.from) {
    data.from_email = message.from.addrSpec;
    if (message.from.displayName) data.from_name = message.from.displayName;
  }
  if (message.subject) data.subject = message.subject;
  if (message.replyTo.length > 0) {
    const [replyTo] = message.replyTo;
    data.reply_to = replyTo.addrSpec;
    const name = replyTo.displayName;
    // Unisender Go neither encodes nor quotes the Reply-To name it writes
    if (name)
      data.reply_to_name = NON_ASCII.test(name) || SPECIALS.test(name) ? encodeWhole(name) : name;
  }
  const body: NonNullable<UnisenderMessage["body"]> = {};
  if (message.text) body.plaintext = message.text;
  if (message.html) body.html = message.html;
  const amp = message.alternatives.filter(
    (alt) => alt.contentType.toLowerCase() === "text/x-amp-html",
  );
  if (amp.length > 1) ctx.unsupported("multiple amp-html parts");
  if (amp.length > 0) body.amp = amp[0].content;
  if (Object.keys(body).length > 0) data.body = body;
  for (const attachment of message.attachments) {
    const inline = attachment.inline && attachment.cid !== null;
    const entry = {
      content: attachment.content.toString("base64"),
      type: attachment.contentType,
      name: inline ? (attachment.cid ?? "") : attachmentFilename(attachment),
    };
    (inline ? (data.inline_attachments ??= []) : (data.attachments ??= [])).push(entry);
  }
  if (message.metadata) data.global_metadata = message.metadata;
  if (message.sendAt) data.options = { send_at: sendAtText(message.sendAt) };
  if (message.tags.length > 0) data.tags = message.tags;
  if (message.trackClicks !== null) data.track_links = message.trackClicks ? 1 : 0;
  if (message.trackOpens !== null) data.track_read = message.trackOpens ? 1 : 0;
  if (message.templateId !== null) data.template_id = String(message.templateId);
  if (message.mergeGlobalData) data.global_substitutions = message.mergeGlobalData;
  return data;
}

/** Builds Unisender Go's API call. Pure but for `ctx.unsupported` and the generated ids. */
export function buildRequest(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): UnisenderRequest {
  const built = buildMessage(message, ctx);
  const data = message.espExtra ? deepMerge(built, message.espExtra) : built;
  const messageIds = new Map<string, string>();
  if (ctx.settings.generateMessageId) {
    for (const recipient of data.recipients) {
      // a repeated address gets the same id: Unisender Go sends to it once
      const key = recipient.email.toLowerCase();
      const id = messageIds.get(key) ?? randomUUID();
      messageIds.set(key, id);
      recipient.metadata = shallowMerge(recipient.metadata, { anymail_id: id });
    }
  }
  return {
    url: joinUrl(ctx.settings.apiUrl, "email/send.json"),
    headers: { "X-API-KEY": ctx.settings.apiKey, Accept: "application/json" },
    body: { message: data },
    messageIds,
  };
}

/**
 * `emails`: queued, with the generated id (else the `job_id`); `failed_emails`: not sent,
 * by reason. A "duplicate" is listed in both: it was sent once.
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: SendContext,
  messageIds: ReadonlyMap<string, string>,
): SendResult {
  const json = response.json;
  if (!isRecord(json) || json.status !== "success" || !Array.isArray(json.emails)) {
    throw apiResponseError(
      response,
      ctx.espName,
      `unexpected answer: ${response.text.slice(0, 500)}`,
    );
  }
  const jobId = typeof json.job_id === "string" ? json.job_id : null;
  const recipients: Record<string, RecipientStatus> = {};
  for (const email of json.emails) {
    if (typeof email !== "string") continue;
    recipients[email] = {
      status: "queued",
      messageId: messageIds.get(email.toLowerCase()) ?? jobId,
    };
  }
  const failed = isRecord(json.failed_emails) ? json.failed_emails : {};
  for (const [email, reason] of Object.entries(failed)) {
    if (reason === "duplicate") continue;
    recipients[email] = { status: lookup(FAILURE_STATUSES, reason) ?? "failed", messageId: null };
  }
  // keep the caller's spelling of each address where Unisender Go changed its case
  for (const address of [...message.to, ...message.cc, ...message.bcc]) {
    if (address.addrSpec in recipients) continue;
    const key = Object.keys(recipients).find(
      (k) => k.toLowerCase() === address.addrSpec.toLowerCase(),
    );
    if (key !== undefined) {
      recipients[address.addrSpec] = recipients[key];
      delete recipients[key];
    }
  }
  return { recipients, espResponse: response.toEspResponse() };
}

export async function send(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): Promise<SendResult> {
  const { url, headers, body, messageIds } = buildRequest(message, ctx);
  const response = await ctx.http.postJson(url, body, headers);
  return parseResponse(response, message, ctx, messageIds);
}
