/**
 * @module
 * A message → Scaleway TEM's `POST /regions/<region>/emails`, and its answer (one email
 * per recipient, with its status) → recipient statuses. Metadata and tags travel as
 * X-Metadata / X-Tags headers (JSON), as for other ESPs without those fields.
 */
import { sendJson } from "../../sender/send-json.js";
import { emailAndName, encodedAddress } from "../../sender/address.js";
import { joinUrl, type HttpResponse, apiResponseError } from "../../sender/http.js";
import { allRecipients, type NormalizedMessage, attachmentFilename } from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import { isRecord, lookup } from "../../util/records.js";
import type { SendContext, SendResult } from "../types.js";
import type { SendSettings } from "./index.js";

export interface ScalewayAddress {
  email: string;
  name?: string;
}

/** Scaleway's CreateEmail request (the fields Anymail sets; espExtra may add any other). */
export interface ScalewayEmail {
  project_id: string;
  from?: ScalewayAddress;
  to?: ScalewayAddress[];
  cc?: ScalewayAddress[];
  bcc?: ScalewayAddress[];
  subject?: string;
  text?: string;
  html?: string;
  attachments?: { name: string; type: string; content: string }[];
  additional_headers?: { key: string; value: string }[];
  [field: string]: unknown;
}

/** Scaleway's per-email status → Anymail's (it reports "sending" in practice). */
export const STATUSES = {
  unknown: "unknown",
  new: "queued",
  sending: "queued",
  sent: "sent",
  failed: "failed",
  canceled: "failed",
} as const satisfies Record<string, RecipientStatus["status"]>;

const NON_ASCII = /[\u0080-\uffff]/;

/** The region in the API URL template. */
export function apiUrlFor(settings: SendSettings): string {
  return settings.apiUrl.replace(/\{region\}/g, encodeURIComponent(settings.region));
}

/** Builds Scaleway's API call. Pure but for `ctx.unsupported`. */
export function buildRequest(message: NormalizedMessage, ctx: SendContext<SendSettings>) {
  // Scaleway builds an invalid message (it bounces or is lost) from a non-ASCII local part
  const fields = {
    from: message.fromAll,
    to: message.to,
    cc: message.cc,
    bcc: message.bcc,
    replyTo: message.replyTo,
  };
  for (const [field, list] of Object.entries(fields)) {
    if (list.some((address) => NON_ASCII.test(address.username))) {
      ctx.unsupported(`non-ASCII (EAI) addresses in ${field}`);
    }
  }
  const data: ScalewayEmail = { project_id: ctx.settings.projectId };
  if (message.from) data.from = emailAndName(message.from);
  if (message.to.length > 0) data.to = message.to.map(emailAndName);
  if (message.cc.length > 0) data.cc = message.cc.map(emailAndName);
  if (message.bcc.length > 0) data.bcc = message.bcc.map(emailAndName);
  if (message.subject) data.subject = message.subject;
  if (message.text) data.text = message.text;
  if (message.html) data.html = message.html;
  if (message.attachments.length > 0) {
    data.attachments = message.attachments.map((attachment) => ({
      name: attachmentFilename(attachment),
      type: attachment.contentType,
      content: attachment.content.toString("base64"),
    }));
  }
  const headers: { key: string; value: string }[] = [];
  if (message.replyTo.length > 0) {
    headers.push({ key: "Reply-To", value: message.replyTo.map(encodedAddress).join(", ") });
  }
  for (const [key, value] of Object.entries(message.headers)) headers.push({ key, value });
  if (message.metadata && Object.keys(message.metadata).length > 0) {
    headers.push({ key: "X-Metadata", value: ctx.serializeJson(message.metadata, "metadata") });
  }
  if (message.tags.length > 0) {
    headers.push({ key: "X-Tags", value: ctx.serializeJson(message.tags, "tags") });
  }
  if (headers.length > 0) data.additional_headers = headers;
  if (message.espExtra) Object.assign(data, message.espExtra);
  return {
    // the same for every send of this sender: built once
    url: ctx.memo("scaleway-emails-url", () => joinUrl(apiUrlFor(ctx.settings), "emails")),
    headers: { "X-Auth-Token": ctx.settings.secretKey },
    body: data,
  };
}

/** `{ emails: [{ id, mail_rcpt, status }, …] }`: one email per recipient. */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: SendContext,
): SendResult {
  const json = response.json;
  const emails = isRecord(json) ? json.emails : undefined;
  if (!Array.isArray(emails))
    throw apiResponseError(response, ctx.espName, "no emails in Scaleway's answer");
  const byAddress = new Map<string, RecipientStatus>();
  for (const email of emails) {
    if (!isRecord(email) || typeof email.mail_rcpt !== "string") continue;
    byAddress.set(email.mail_rcpt.toLowerCase(), {
      status: lookup(STATUSES, email.status) ?? "unknown",
      messageId: typeof email.id === "string" ? email.id : null,
    });
  }
  const recipients: Record<string, RecipientStatus> = {};
  for (const address of allRecipients(message)) {
    recipients[address.addrSpec] = byAddress.get(address.addrSpec.toLowerCase()) ?? {
      status: "unknown",
      messageId: null,
    };
  }
  return { recipients, espResponse: response.toEspResponse() };
}

/** The adapter's `send`: `buildRequest`, one JSON POST, `parseResponse`. */
export const send = sendJson(buildRequest, parseResponse);
