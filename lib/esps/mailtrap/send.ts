/**
 * @module
 * A message → Mailtrap's `POST /send` (or `/batch`: a shared `base` plus one request per
 * `to`), to `/send/<sandboxId>` in a testing sandbox; its answer → recipient statuses.
 * Mailtrap answers with one message id per recipient, in to, cc, bcc order (a sandbox
 * answers with one id for all).
 */
import { sendJson } from "../../sender/send-json.js";
import { emailAndName, encodedAddress } from "../../sender/address.js";
import { joinUrl, type HttpResponse, apiResponseError } from "../../sender/http.js";
import {
  mergeHeaders,
  type JsonObject,
  type NormalizedMessage,
  attachmentFilename,
} from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import { deepMerge, shallowMerge } from "../../util/deep-merge.js";
import { isRecord } from "../../util/records.js";
import type { SendContext, SendResult } from "../types.js";
import { DEFAULT_API_URL, DEFAULT_SANDBOX_API_URL, type SendSettings } from "./index.js";
import { stringsOf } from "../../util/payload.js";

export interface MailtrapAddress {
  email: string;
  name?: string;
}

/** One email of Mailtrap's API (the fields Anymail sets; espExtra may add any other). */
export interface MailtrapEmail {
  from?: MailtrapAddress;
  to?: MailtrapAddress[];
  cc?: MailtrapAddress[];
  bcc?: MailtrapAddress[];
  reply_to?: MailtrapAddress;
  subject?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  attachments?: {
    content: string;
    type: string;
    filename: string;
    disposition?: "inline";
    content_id?: string;
  }[];
  custom_variables?: Record<string, string>;
  category?: string;
  template_uuid?: string;
  template_variables?: JsonObject;
  [field: string]: unknown;
}

export interface MailtrapBatch {
  base: MailtrapEmail;
  requests: MailtrapEmail[];
}

export interface MailtrapRequest {
  url: string;
  headers: Record<string, string>;
  body: MailtrapEmail | MailtrapBatch;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** Mailtrap's custom_variables are strings: numbers and booleans as their text, objects as JSON. */
function customVariables(metadata: JsonObject, ctx: SendContext): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    variables[key] =
      typeof value === "string"
        ? value
        : typeof value === "object" && value !== null
          ? ctx.serializeJson(value, `metadata ${key}`)
          : String(value);
  }
  return variables;
}

function buildBase(message: NormalizedMessage, ctx: SendContext<SendSettings>): MailtrapEmail {
  const data: MailtrapEmail = {};
  if (message.from) data.from = emailAndName(message.from);
  if (message.to.length > 0) data.to = message.to.map(emailAndName);
  if (message.cc.length > 0) data.cc = message.cc.map(emailAndName);
  if (message.bcc.length > 0) data.bcc = message.bcc.map(emailAndName);
  // an empty subject or text is left out, so a template's own applies
  if (message.subject) data.subject = message.subject;
  const headers: Record<string, string> = {};
  if (message.replyTo.length === 1) data.reply_to = emailAndName(message.replyTo[0]);
  else if (message.replyTo.length > 1) {
    // several Reply-To: only as a header, which Anymail must encode itself
    if (message.replyTo.some((address) => NON_ASCII.test(address.addrSpec))) {
      ctx.unsupported("non-ASCII addresses with several replyTo addresses");
    }
    headers["Reply-To"] = message.replyTo.map(encodedAddress).join(", ");
  }
  Object.assign(headers, message.headers);
  if (Object.keys(headers).length > 0) data.headers = headers;
  if (message.text) data.text = message.text;
  if (message.html !== null) data.html = message.html;
  if (message.attachments.length > 0) {
    data.attachments = message.attachments.map((attachment) => ({
      content: attachment.content.toString("base64"),
      type: attachment.contentType,
      // Mailtrap requires a filename, also for inline images
      filename: attachmentFilename(attachment),
      ...(attachment.inline ? { disposition: "inline" as const } : {}),
      ...(attachment.inline && attachment.cid ? { content_id: attachment.cid } : {}),
    }));
  }
  if (message.metadata) data.custom_variables = customVariables(message.metadata, ctx);
  // the core has refused (or trimmed) extra tags: Mailtrap takes one category
  if (message.tags.length > 0) data.category = message.tags[0];
  if (message.templateId !== null) data.template_uuid = String(message.templateId);
  if (message.mergeGlobalData) data.template_variables = shallowMerge(message.mergeGlobalData);
  return data;
}

/**
 * One batch request per `to`, cc and bcc repeated. A request's field replaces the base's
 * whole, so per-recipient variables and headers carry the base's merged in.
 */
function burst(base: MailtrapEmail, message: NormalizedMessage, ctx: SendContext): MailtrapBatch {
  const { to = [], cc, bcc, ...shared } = base;
  const requests = message.to.map((address, index) => {
    const request: MailtrapEmail = { to: [to[index]] };
    if (cc) request.cc = cc;
    if (bcc) request.bcc = bcc;
    const data = message.mergeData?.[address.addrSpec];
    if (data) request.template_variables = shallowMerge(shared.template_variables, data);
    const metadata = message.mergeMetadata?.[address.addrSpec];
    if (metadata) {
      request.custom_variables = shallowMerge(
        shared.custom_variables,
        customVariables(metadata, ctx),
      );
    }
    const headers = message.mergeHeaders?.[address.addrSpec];
    if (headers) request.headers = mergeHeaders(shared.headers ?? {}, headers);
    return request;
  });
  return { base: shared, requests };
}

function apiUrlOf(settings: SendSettings): string {
  return settings.apiUrl ?? (settings.sandboxId ? DEFAULT_SANDBOX_API_URL : DEFAULT_API_URL);
}

/** Builds Mailtrap's API call. Pure but for `ctx.unsupported`. */
export function buildRequest(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): MailtrapRequest {
  const built = buildBase(message, ctx);
  const base = message.espExtra ? deepMerge(built, message.espExtra) : built;
  const endpoint = message.isBatch ? "batch" : "send";
  const path = ctx.settings.sandboxId
    ? `${endpoint}/${encodeURIComponent(ctx.settings.sandboxId)}`
    : endpoint;
  return {
    url: joinUrl(apiUrlOf(ctx.settings), path),
    headers: { "Api-Token": ctx.settings.apiToken, Accept: "application/json" },
    body: message.isBatch ? burst(base, message, ctx) : base,
  };
}

/** One `{ success, message_ids }` (or `{ success: false, errors }`) for `recipients`. */
function statusesOf(
  answer: unknown,
  recipients: readonly string[],
  sandbox: boolean,
  response: HttpResponse,
  ctx: SendContext,
): Record<string, RecipientStatus> {
  const statuses: Record<string, RecipientStatus> = {};
  if (!isRecord(answer))
    throw apiResponseError(response, ctx.espName, "an answer is not a JSON object");
  if (answer.success !== true) {
    // this message of a batch failed (Mailtrap says why in its errors); the others went
    for (const email of recipients) statuses[email] = { status: "failed", messageId: null };
    return statuses;
  }
  const given: unknown[] = Array.isArray(answer.message_ids) ? answer.message_ids : [];
  const ids = stringsOf(given);
  // a sandbox answers with one id for every recipient
  const expected = sandbox ? 1 : recipients.length;
  if (!Array.isArray(answer.message_ids) || ids.length !== expected || given.length !== expected) {
    throw apiResponseError(
      response,
      ctx.espName,
      `expected ${expected} message_ids: ${response.text.slice(0, 300)}`,
    );
  }
  recipients.forEach((email, index) => {
    statuses[email] = { status: "queued", messageId: ids[sandbox ? 0 : index] };
  });
  return statuses;
}

export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): SendResult {
  const json = response.json;
  if (!isRecord(json) || json.success !== true || json.errors) {
    throw apiResponseError(
      response,
      ctx.espName,
      `Mailtrap did not report success: ${response.text.slice(0, 500)}`,
    );
  }
  const sandbox = Boolean(ctx.settings.sandboxId);
  const copies = [...message.cc, ...message.bcc].map((address) => address.addrSpec);
  const espResponse = response.toEspResponse();
  if (!message.isBatch) {
    const all = [...message.to.map((address) => address.addrSpec), ...copies];
    return { recipients: statusesOf(json, all, sandbox, response, ctx), espResponse };
  }
  const answers = json.responses;
  if (!Array.isArray(answers) || answers.length !== message.to.length) {
    throw apiResponseError(response, ctx.espName, `expected ${message.to.length} batch responses`);
  }
  const recipients: Record<string, RecipientStatus> = {};
  message.to.forEach((address, index) => {
    // cc and bcc go with every message of the batch: the last one's status stays
    Object.assign(
      recipients,
      statusesOf(answers[index], [address.addrSpec, ...copies], sandbox, response, ctx),
    );
  });
  return { recipients, espResponse };
}

/** The adapter's `send`: `buildRequest`, one JSON POST, `parseResponse`. */
export const send = sendJson(buildRequest, parseResponse);
