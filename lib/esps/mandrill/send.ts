/**
 * @module
 * Mandrill sending: a normalized message → one messages/send (or send-template) JSON call,
 * and Mandrill's per-recipient answer → recipient statuses. Spec: esps/mandrill.txt.
 */
import { AnymailAPIError, AnymailError } from "../../errors.js";
import type { EmailAddress } from "../../sender/address.js";
import { isHtml, type JsonObject, type NormalizedMessage } from "../../sender/message.js";
import type { RecipientStatus, SendStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import { isRecord, lookup } from "../../util/records.js";
import { joinUrl, type HttpResponse } from "../../sender/http.js";
import type { SendSettings } from "./index.js";

type Context = SendContext<SendSettings>;

/** The adapter's `send`: build, post, parse. */
export async function send(message: NormalizedMessage, ctx: Context): Promise<SendResult> {
  const { url, body } = buildRequest(message, ctx);
  // the key travels in the body, as Mandrill's API wants
  const response = await ctx.http.postJson(url, body);
  return parseResponse(response, message, ctx);
}

/** Mandrill's answer statuses that are also the spec's; anything else reads as "unknown". */
const RECIPIENT_STATUSES = {
  sent: "sent",
  queued: "queued",
  // a send_at message is held by Mandrill until then: that is queued (8.1 said "unknown")
  scheduled: "queued",
  rejected: "rejected",
  invalid: "invalid",
} as const satisfies Record<string, SendStatus>;

/** One entry of Mandrill's `message.to`. */
interface MandrillRecipient {
  email: string;
  name?: string;
  type: "to" | "cc" | "bcc";
}

/** One entry of `message.attachments` or `message.images` (images are named by Content-ID). */
interface MandrillFile {
  type: string;
  name: string;
  content: string;
}

/** The JSON body of messages/send.json and messages/send-template.json. */
export interface MandrillPayload {
  key: string;
  message: JsonObject;
  template_name?: string;
  template_content?: unknown;
  send_at?: string;
  [topLevel: string]: unknown;
}

export interface MandrillRequest {
  url: string;
  body: MandrillPayload;
}

/** Builds the Mandrill API call for a normalized message (pure: no I/O). */
export function buildRequest(
  message: NormalizedMessage,
  ctx: Pick<Context, "espName" | "settings" | "unsupported">,
): MandrillRequest {
  const { settings } = ctx;
  const unsupported = (feature: string) => ctx.unsupported(feature);
  const msg: JsonObject = {};
  const payload: MandrillPayload = { key: settings.apiKey, message: msg };

  // from: null leaves from_email out, so the stored template's From is used
  if (message.from) {
    msg.from_email = message.from.addrSpec;
    if (message.from.displayName) msg.from_name = message.from.displayName;
  }
  const to: MandrillRecipient[] = [
    ...message.to.map((address) => toRecipient(address, "to")),
    ...message.cc.map((address) => toRecipient(address, "cc")),
    ...message.bcc.map((address) => toRecipient(address, "bcc")),
  ];
  if (to.length > 0) msg.to = to;
  if (message.subject !== null) msg.subject = message.subject;

  const headers: Record<string, string> = {};
  if (message.replyTo.length > 0) {
    headers["Reply-To"] = message.replyTo.map((address) => address.address).join(", ");
  }
  Object.assign(headers, message.headers);
  if (Object.keys(headers).length > 0) msg.headers = headers;

  if (message.text !== null) msg.text = message.text;
  const html = [
    ...(message.html === null ? [] : [message.html]),
    ...message.alternatives.filter((alt) => isHtml(alt.contentType)).map((alt) => alt.content),
  ];
  if (html.length > 1) unsupported("multiple html parts");
  if (html.length > 0) msg.html = html[0];

  for (const attachment of message.attachments) {
    const field = attachment.inline ? "images" : "attachments";
    const file: MandrillFile = {
      type: attachment.contentType,
      // Mandrill finds inline images by name, which must be the Content-ID
      name: attachment.inline ? (attachment.cid ?? "") : (attachment.filename ?? ""),
      content: attachment.content.toString("base64"),
    };
    ((msg[field] as MandrillFile[] | undefined) ?? (msg[field] = [])).push(file);
  }

  // Mandrill always generates the envelope mailbox itself; only the domain is used
  if (message.envelopeSender) msg.return_path_domain = message.envelopeSender.domain;
  if (message.metadata) msg.metadata = message.metadata;
  if (message.mergeMetadata) {
    msg.recipient_metadata = Object.entries(message.mergeMetadata).map(([rcpt, values]) => ({
      rcpt,
      values,
    }));
  }
  if (message.tags.length > 0) msg.tags = message.tags;
  if (message.trackOpens !== null) msg.track_opens = message.trackOpens;
  if (message.trackClicks !== null) msg.track_clicks = message.trackClicks;
  if (message.sendAt) payload.send_at = formatMandrillDate(message.sendAt);
  if (message.templateId !== null) {
    payload.template_name = String(message.templateId);
    // send-template requires template_content, even when empty
    payload.template_content = [];
  }
  if (message.mergeData) {
    msg.merge_vars = Object.entries(message.mergeData).map(([rcpt, data]) => ({
      rcpt,
      vars: Object.keys(data)
        .sort()
        .map((name) => ({ name, content: data[name] })),
    }));
  }
  if (message.mergeGlobalData) msg.global_merge_vars = toNameContent(message.mergeGlobalData);

  if (message.espExtra) mergeEspExtra(payload, message.espExtra, ctx.espName);
  // hide batch recipients from each other (esps/mandrill.txt "forces … preserve_recipients")
  if (message.isBatch) msg.preserve_recipients = false;

  const endpoint =
    payload.template_name === undefined ? "messages/send.json" : "messages/send-template.json";
  return { url: joinUrl(settings.apiUrl, endpoint), body: payload };
}

/**
 * Mandrill's answer (a list of `{email, status, _id, reject_reason}`) → recipient statuses,
 * keyed by the address as the message spelled it. A status Mandrill adds later reads as
 * "unknown", never as an error: the message was accepted.
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: Pick<Context, "espName">,
): SendResult {
  const body = response.json;
  if (!Array.isArray(body)) throw invalidResponse(ctx.espName, body);
  const spelledAs = new Map<string, string>();
  for (const address of [...message.to, ...message.cc, ...message.bcc]) {
    spelledAs.set(address.addrSpec.toLowerCase(), address.addrSpec);
  }
  const recipients: Record<string, RecipientStatus> = {};
  for (const item of body) {
    if (!isRecord(item) || typeof item.email !== "string") throw invalidResponse(ctx.espName, body);
    const status: SendStatus = lookup(RECIPIENT_STATUSES, item.status) ?? "unknown";
    // _id is missing for invalid and rejected recipients
    const messageId = typeof item._id === "string" ? item._id : null;
    recipients[spelledAs.get(item.email.toLowerCase()) ?? item.email] = { status, messageId };
  }
  return { recipients, espResponse: response.toEspResponse() };
}

/** Mandrill dates: "YYYY-MM-DD HH:MM:SS" in UTC. */
export function formatMandrillDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

function toRecipient(address: EmailAddress, type: MandrillRecipient["type"]): MandrillRecipient {
  return address.displayName
    ? { email: address.addrSpec, name: address.displayName, type }
    : { email: address.addrSpec, type };
}

function toNameContent(data: JsonObject): { name: string; content: unknown }[] {
  return Object.entries(data).map(([name, content]) => ({ name, content }));
}

/**
 * espExtra: top-level keys at the root, `message` shallow-merged into the message; the
 * simple dict forms of `template_content` and `message.recipient_metadata` are converted
 * to Mandrill's lists (esps/mandrill.txt "esp_extra support").
 */
function mergeEspExtra(payload: MandrillPayload, extra: JsonObject, espName: string): void {
  for (const [key, value] of Object.entries(extra)) {
    if (key === "message") continue;
    payload[key] = key === "template_content" && isRecord(value) ? toNameContent(value) : value;
  }
  const extraMessage = extra.message;
  if (extraMessage === undefined || extraMessage === null) return;
  if (!isRecord(extraMessage)) {
    throw new AnymailError(`${espName}: espExtra.message must be an object of message fields.`, {
      espName,
    });
  }
  for (const [key, value] of Object.entries(extraMessage)) {
    payload.message[key] =
      key === "recipient_metadata" && isRecord(value)
        ? Object.keys(value)
            .sort()
            .map((rcpt) => ({ rcpt, values: value[rcpt] }))
        : value;
  }
}

function invalidResponse(espName: string, body: unknown): AnymailAPIError {
  return new AnymailAPIError(
    `${espName}: invalid API response format (expected a list of recipient results)`,
    { espName, response: body },
  );
}
