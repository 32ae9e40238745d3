/**
 * @module
 * Mailjet Parse API (inbound) posts → AnymailInboundEvents.
 * https://dev.mailjet.com/email/guides/parse-api/
 *
 * Mailjet posts the message already taken apart: the top-level headers, the text and html
 * bodies, and each attachment's own headers with its content (always base64) under a
 * ContentRef key. The original multipart nesting is not recoverable, so the message is
 * re-assembled as one fresh multipart/mixed MIME message (text and html as an alternative
 * pair, then every attachment with its original headers) and parsed like any raw message.
 */
import { randomBytes } from "node:crypto";
import { AnymailError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import type { WebhookContext, WebhookHandler } from "../types.js";
import { parseBody } from "./webhook-body.js";
import { isRecord } from "../../util/records.js";
import { badPayload } from "../../util/payload.js";
import type { WebhookSettings } from "./index.js";

type Context = Pick<WebhookContext, "espName">;

/** Header values as Mailjet posts them: a string, or a list for a repeated header. */
export type MailjetHeaders = Record<string, string | string[]>;

export interface MailjetPart {
  Headers?: MailjetHeaders;
  /** "Text-part", "Html-part", "Attachment<N>" or "InlineAttachment<N>": a key of the payload. */
  ContentRef?: string;
}

/** A Parse API post. */
export interface MailjetInboundPayload {
  Sender?: string;
  Recipient?: string;
  Date?: string;
  From?: string;
  Subject?: string;
  Headers?: MailjetHeaders;
  Parts?: MailjetPart[];
  "Text-part"?: string;
  "Html-part"?: string;
  SpamAssassinScore?: string;
  CustomID?: string;
  Payload?: string;
  [contentRef: string]: unknown;
}

/** What an inbound event is built from: the re-assembled message and Mailjet's extras. */
export interface MailjetInboundParts {
  raw: Buffer;
  envelopeSender: string | null;
  envelopeRecipient: string | null;
  spamScore: number | null;
}

// replaced by the multipart structure built here
const STRUCTURAL_HEADERS = new Set(["content-type", "content-transfer-encoding", "mime-version"]);
const HEADER_NAME = /^[!-9;-~]+$/;

/** Mailjet's header object → [name, value] pairs, repeated headers in order. */
export function flattenHeaders(headers: unknown, ctx: Context): [string, string][] {
  if (headers === undefined) return [];
  if (!isRecord(headers)) throw badPayload(ctx, "inbound", "Headers is not an object");
  const pairs: [string, string][] = [];
  for (const [name, values] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) continue; // not a header name: cannot be written back
    for (const value of Array.isArray(values) ? values : [values]) {
      if (value === null || value === undefined || typeof value === "object") continue;
      // a line break inside a value would start a new header: unfold instead
      pairs.push([name, String(value).replace(/\r\n|\r|\n/g, " ")]);
    }
  }
  return pairs;
}

function headerLines(pairs: readonly [string, string][]): string {
  return pairs.map(([name, value]) => `${name}: ${value}\r\n`).join("");
}

function base64Lines(content: Buffer): string {
  return (content.toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

function newBoundary(): string {
  return `anymail-mailjet-${randomBytes(12).toString("hex")}`;
}

function multipart(subtype: string, parts: string[]): string {
  const boundary = newBoundary();
  const body = parts.map((part) => `--${boundary}\r\n${part}\r\n`).join("");
  return `Content-Type: multipart/${subtype}; boundary="${boundary}"\r\n\r\n${body}--${boundary}--`;
}

function textPart(subtype: "plain" | "html", text: string): string {
  return (
    `Content-Type: text/${subtype}; charset="utf-8"\r\n` +
    `Content-Transfer-Encoding: base64\r\n\r\n${base64Lines(Buffer.from(text, "utf8"))}`
  );
}

type AttachmentRef = MailjetPart & { ContentRef: string };

function attachmentPart(part: AttachmentRef, payload: MailjetInboundPayload, ctx: Context): string {
  const ref = part.ContentRef;
  const content = payload[ref];
  if (typeof content !== "string") throw badPayload(ctx, "inbound", `part ${ref} has no content`);
  const headers = flattenHeaders(part.Headers, ctx).filter(
    ([name]) => name.toLowerCase() !== "content-transfer-encoding",
  );
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (!has("content-type")) headers.unshift(["Content-Type", "application/octet-stream"]);
  if (!has("content-disposition")) {
    headers.push(["Content-Disposition", ref.startsWith("Inline") ? "inline" : "attachment"]);
  }
  headers.push(["Content-Transfer-Encoding", "base64"]);
  // Mailjet always posts attachment content base64-encoded
  return `${headerLines(headers)}\r\n${base64Lines(Buffer.from(content, "base64"))}`;
}

/** A Parse API post → a raw MIME message plus the envelope and spam score. */
export function toInboundParts(payload: MailjetInboundPayload, ctx: Context): MailjetInboundParts {
  const headers = flattenHeaders(payload.Headers, ctx).filter(
    ([name]) => !STRUCTURAL_HEADERS.has(name.toLowerCase()),
  );
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (!has("from") && typeof payload.From === "string") headers.push(["From", payload.From]);
  if (!has("subject") && typeof payload.Subject === "string") {
    headers.push(["Subject", payload.Subject]);
  }

  const bodies: string[] = [];
  if (typeof payload["Text-part"] === "string")
    bodies.push(textPart("plain", payload["Text-part"]));
  if (typeof payload["Html-part"] === "string") bodies.push(textPart("html", payload["Html-part"]));
  const parts = payload.Parts ?? [];
  if (!Array.isArray(parts)) throw badPayload(ctx, "inbound", "Parts is not a list");
  const attachments = parts
    .filter((part): part is AttachmentRef => isRecord(part) && typeof part.ContentRef === "string")
    .filter((part) => /Attachment/.test(part.ContentRef))
    .map((part) => attachmentPart(part, payload, ctx));

  const content =
    bodies.length > 1 ? [multipart("alternative", bodies)] : bodies.length === 1 ? bodies : [];
  const all = [...content, ...attachments];
  const body =
    attachments.length > 0
      ? multipart("mixed", all)
      : (all[0] ?? `Content-Type: text/plain; charset="utf-8"\r\n\r\n`);
  const raw = `${headerLines(headers)}MIME-Version: 1.0\r\n${body}\r\n`;

  const score = Number.parseFloat(String(payload.SpamAssassinScore ?? ""));
  return {
    raw: Buffer.from(raw, "utf8"),
    envelopeSender: typeof payload.Sender === "string" ? payload.Sender : null,
    envelopeRecipient: typeof payload.Recipient === "string" ? payload.Recipient : null,
    spamScore: Number.isFinite(score) ? score : null,
  };
}

/** Checks the post is a Parse API payload, naming the likely misconfiguration when not. */
export function toInboundPayload(body: unknown, ctx: Context): MailjetInboundPayload {
  if (Array.isArray(body) || (isRecord(body) && "event" in body)) {
    throw new AnymailError(
      `You seem to have set ${ctx.espName}'s event (tracking) webhook to Anymail's Mailjet ` +
        `inbound webhook URL. Use the tracking URL (…/mailjet/tracking/) for events.`,
      { espName: ctx.espName },
    );
  }
  if (!isRecord(body)) throw badPayload(ctx, "inbound", "the body is not a Parse API object");
  return body as MailjetInboundPayload;
}

/** One Parse API post → one inbound event. */
export async function toInboundEvent(
  payload: MailjetInboundPayload,
  ctx: Context,
): Promise<AnymailInboundEvent> {
  const parts = toInboundParts(payload, ctx);
  const message = await AnymailInboundMessage.fromRaw(parts.raw);
  message.envelopeSender = parts.envelopeSender;
  message.envelopeRecipient = parts.envelopeRecipient;
  message.spamScore = parts.spamScore;
  // Mailjet gives no spam verdict, no event id, and no receipt time (its Date is the send time)
  return new AnymailInboundEvent({ message, espEvent: payload });
}

/** `/mailjet/inbound/`: the raw body, parsed once here (as the tracking route does). */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "raw",
  async handle(request, context) {
    const body = parseBody(request, context, "inbound");
    return [await toInboundEvent(toInboundPayload(body, context), context)];
  },
};
