/**
 * @module
 * A message → MailerSend's `POST /email` (or `/bulk-email`), and its answer → recipient
 * statuses. MailerSend answers 202 with the message id in `X-Message-Id` and, when it
 * suppressed some recipients, a JSON body of warnings naming them.
 */
import { sendJson } from "../../sender/send-json.js";
import mimeTypes from "nodemailer/lib/mime-funcs/mime-types.js";
import { AnymailUnsupportedFeature } from "../../errors.js";
import { emailAndName } from "../../sender/address.js";
import { joinUrl, type HttpResponse, apiResponseError } from "../../sender/http.js";
import type { JsonObject, NormalizedAttachment, NormalizedMessage } from "../../sender/message.js";
import { allRecipients } from "../../sender/message.js";
import { sameStatusForAll } from "../../sender/recipients.js";
import type { RecipientStatus } from "../../sender/status.js";
import { deepMerge, shallowMerge } from "../../util/deep-merge.js";
import { isRecord } from "../../util/records.js";
import type { SendContext, SendResult } from "../types.js";
import { BATCH_SEND_MODES, type BatchSendMode, type SendSettings } from "./index.js";
import { stringsOf } from "../../util/payload.js";

export interface MailerSendAddress {
  email: string;
  name?: string;
}

/** One email of MailerSend's API (the fields Anymail sets; espExtra may add any other). */
export interface MailerSendEmail {
  from?: MailerSendAddress;
  to?: MailerSendAddress[];
  cc?: MailerSendAddress[];
  bcc?: MailerSendAddress[];
  reply_to?: MailerSendAddress;
  subject?: string;
  text?: string;
  html?: string;
  in_reply_to?: string;
  precedence_bulk?: boolean;
  headers?: { name: string; value: string }[];
  attachments?: { filename: string; content: string; disposition: string; id?: string }[];
  send_at?: number;
  tags?: string[];
  settings?: { track_opens?: boolean; track_clicks?: boolean };
  template_id?: string;
  personalization?: { email: string; data: JsonObject }[];
  [field: string]: unknown;
}

export interface MailerSendRequest {
  url: string;
  headers: Record<string, string>;
  body: MailerSendEmail | MailerSendEmail[];
  bulk: boolean;
}

/** MailerSend's suppression warnings: the recipients named in them were not sent to. */
const SUPPRESSION_WARNINGS = ["ALL_SUPPRESSED", "SOME_SUPPRESSED"];

/**
 * MailerSend takes the type from the filename (it has no content type field): an unnamed
 * attachment gets a generic name with its type's extension.
 */
function toAttachment(attachment: NormalizedAttachment) {
  let filename = attachment.filename ?? "";
  if (!filename) {
    const extension = mimeTypes.detectExtension(attachment.contentType.split(";")[0].trim());
    filename = `attachment.${extension}`;
  }
  return {
    filename,
    content: attachment.content.toString("base64"),
    disposition: attachment.inline ? "inline" : "attachment",
    ...(attachment.inline && attachment.cid ? { id: attachment.cid } : {}),
  };
}

/**
 * MailerSend has fields for In-Reply-To and Precedence; its general `headers` is for
 * Enterprise accounts only, so only other headers go there.
 */
function applyHeaders(data: MailerSendEmail, headers: Record<string, string>): void {
  const rest: { name: string; value: string }[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === "in-reply-to") data.in_reply_to = value;
    else if (lower === "precedence") {
      data.precedence_bulk = ["bulk", "junk", "list"].includes(value.trim().toLowerCase());
    } else rest.push({ name, value });
  }
  if (rest.length > 0) data.headers = rest;
}

function buildEmail(message: NormalizedMessage): MailerSendEmail {
  const data: MailerSendEmail = {};
  if (message.from) data.from = emailAndName(message.from);
  if (message.to.length > 0) data.to = message.to.map(emailAndName);
  if (message.cc.length > 0) data.cc = message.cc.map(emailAndName);
  if (message.bcc.length > 0) data.bcc = message.bcc.map(emailAndName);
  if (message.subject !== null) data.subject = message.subject;
  // the core has refused (or trimmed) extra Reply-To addresses: MailerSend takes one
  if (message.replyTo.length > 0) data.reply_to = emailAndName(message.replyTo[0]);
  applyHeaders(data, message.headers);
  if (message.text !== null) data.text = message.text;
  if (message.html !== null) data.html = message.html;
  if (message.attachments.length > 0) data.attachments = message.attachments.map(toAttachment);
  if (message.sendAt) data.send_at = Math.floor(message.sendAt.getTime() / 1000);
  if (message.tags.length > 0) data.tags = message.tags;
  if (message.trackOpens !== null || message.trackClicks !== null) {
    data.settings = {};
    if (message.trackClicks !== null) data.settings.track_clicks = message.trackClicks;
    if (message.trackOpens !== null) data.settings.track_opens = message.trackOpens;
  }
  if (message.templateId !== null) data.template_id = String(message.templateId);
  return data;
}

/** `mergeGlobalData` overlaid with the recipient's `mergeData`. */
function personalizationFor(email: string, message: NormalizedMessage) {
  const own = message.mergeData?.[email];
  return { email, data: shallowMerge(message.mergeGlobalData, own) };
}

/** espExtra is deep-merged; its `api_token` and `batch_send_mode` are Anymail's own keys. */
function applyEspExtra(data: MailerSendEmail, ctx: SendContext<SendSettings>, extra: JsonObject) {
  const { api_token: token, batch_send_mode: mode, ...rest } = extra;
  const merged = deepMerge(data, rest);
  let batchSendMode = ctx.settings.batchSendMode;
  if (mode !== undefined) {
    batchSendMode = BATCH_SEND_MODES.find((known) => known === mode);
    if (batchSendMode === undefined) {
      throw new AnymailUnsupportedFeature(
        `${ctx.espName}: espExtra batch_send_mode must be "use-bulk-email" or "expose-to-list"`,
        { espName: ctx.espName },
      );
    }
  }
  return {
    data: merged,
    token: typeof token === "string" && token ? token : undefined,
    batchSendMode,
  };
}

/**
 * Which endpoint a batch uses. `/email` with personalization shows every `to` to every
 * recipient; `/bulk-email` sends each its own message but answers only with a bulk id. Anymail
 * will not guess: several `to` need `batchSendMode` (even with ignoreUnsupportedFeatures).
 */
function isBulk(message: NormalizedMessage, mode: BatchSendMode | undefined, espName: string) {
  if (!message.isBatch) return false;
  if (mode === "use-bulk-email") return true;
  if (mode === "expose-to-list" || message.to.length <= 1) return false;
  throw new AnymailUnsupportedFeature(
    `${espName} needs the batchSendMode setting ("use-bulk-email" or "expose-to-list") ` +
      `for a batch send (mergeData) to several recipients: see docs/esps/mailersend.md`,
    { espName },
  );
}

/** Builds MailerSend's API call. Pure. */
export function buildRequest(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): MailerSendRequest {
  const extra = applyEspExtra(buildEmail(message), ctx, message.espExtra ?? {});
  const data = extra.data;
  const headers = {
    Authorization: `Bearer ${extra.token ?? ctx.settings.apiToken}`,
    Accept: "application/json",
  };
  const personalize = message.mergeData !== null || message.mergeGlobalData !== null;
  if (isBulk(message, extra.batchSendMode, ctx.espName)) {
    const body = (data.to ?? []).map((to) =>
      shallowMerge(
        data,
        personalize
          ? { to: [to], personalization: [personalizationFor(to.email, message)] }
          : { to: [to] },
      ),
    );
    return { url: joinUrl(ctx.settings.apiUrl, "bulk-email"), headers, body, bulk: true };
  }
  if (personalize) {
    data.personalization = (data.to ?? []).map((to) => personalizationFor(to.email, message));
  }
  return { url: joinUrl(ctx.settings.apiUrl, "email"), headers, body: data, bulk: false };
}

/** The addresses MailerSend's suppression warnings name; other warnings are errors. */
function suppressedEmails(json: Record<string, unknown>, response: HttpResponse, ctx: SendContext) {
  const errors = json.errors;
  const warnings = json.warnings ?? [];
  if (
    (Array.isArray(errors) && errors.length > 0) ||
    (isRecord(errors) && Object.keys(errors).length > 0)
  ) {
    throw apiResponseError(
      response,
      ctx.espName,
      `unexpected errors: ${response.text.slice(0, 500)}`,
    );
  }
  if (!Array.isArray(warnings))
    throw apiResponseError(response, ctx.espName, "warnings is not a list");
  return warnings.flatMap((warning) => {
    if (!isRecord(warning) || !SUPPRESSION_WARNINGS.includes(String(warning.type))) {
      throw apiResponseError(
        response,
        ctx.espName,
        `unexpected warning: ${response.text.slice(0, 500)}`,
      );
    }
    const recipients = Array.isArray(warning.recipients) ? warning.recipients : [];
    return stringsOf(
      recipients.map((recipient) => (isRecord(recipient) ? recipient.email : undefined)),
    );
  });
}

/**
 * `X-Message-Id`: queued (but for recipients a suppression warning names: rejected);
 * `bulk_email_id`: "bulk:<id>", status unknown until MailerSend has processed the bulk;
 * neither: every recipient was suppressed (failed).
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: SendContext,
): SendResult {
  const isJson = /^application\/json\b/i.test(response.headers["content-type"] ?? "");
  const json = isJson ? response.json : {};
  if (!isRecord(json))
    throw apiResponseError(response, ctx.espName, "the answer is not a JSON object");
  const headerId = response.headers["x-message-id"];
  let messageId: string | null = null;
  let status: RecipientStatus["status"] = "failed";
  if (headerId) [messageId, status] = [headerId, "queued"];
  else if (typeof json.bulk_email_id === "string") {
    [messageId, status] = [`bulk:${json.bulk_email_id}`, "unknown"];
  }
  const recipients = sameStatusForAll(message, status, messageId);
  const rejected = new Set(suppressedEmails(json, response, ctx).map((e) => e.toLowerCase()));
  for (const address of allRecipients(message)) {
    if (rejected.has(address.addrSpec.toLowerCase())) {
      recipients[address.addrSpec] = { status: "rejected", messageId: null };
    }
  }
  return { recipients, espResponse: response.toEspResponse() };
}

/** The adapter's `send`: `buildRequest`, one JSON POST, `parseResponse`. */
export const send = sendJson(buildRequest, parseResponse);
