/**
 * @module
 * Postmark's inbound JSON (the parsed message of Postmark's inbound processing) → the
 * fields of an AnymailInboundMessage, plus envelope and spam facts. Pure.
 */
import { decodeBase64Strict } from "../../util/base64.js";
import { formatAddress } from "../../sender/address.js";
import { headerValues } from "../../util/header-list.js";
import { validationFailure } from "../../util/payload.js";
import type { WebhookContext } from "../types.js";

type Context = Pick<WebhookContext, "espName">;

/** An address in FromFull / ToFull / CcFull. */
export interface PostmarkInboundAddress {
  Email?: string;
  Name?: string;
  MailboxHash?: string;
}

export interface PostmarkInboundAttachment {
  Name?: string;
  /** base64 */
  Content?: string;
  ContentType?: string;
  ContentLength?: number;
  /** present for parts with a Content-ID: inline images */
  ContentID?: string;
}

/** The fields of Postmark's inbound JSON that Anymail reads. */
export interface PostmarkInboundPayload {
  RecordType?: string;
  MessageID?: string;
  From?: string;
  FromFull?: PostmarkInboundAddress;
  To?: string;
  ToFull?: PostmarkInboundAddress[];
  Cc?: string;
  CcFull?: PostmarkInboundAddress[];
  Bcc?: string;
  /** The recipients not in To or Cc (Postmark reports them; they are in no header). */
  BccFull?: PostmarkInboundAddress[];
  /** The whole message as received, when "include raw email content" is on. */
  RawEmail?: string;
  OriginalRecipient?: string;
  ReplyTo?: string;
  Subject?: string;
  Date?: string;
  TextBody?: string;
  HtmlBody?: string;
  StrippedTextReply?: string;
  Headers?: { Name: string; Value: string }[];
  Attachments?: PostmarkInboundAttachment[];
  [field: string]: unknown;
}

/** The fields `AnymailInboundMessage.fromFields` takes. */
export interface InboundFields {
  headers: [string, string][];
  from?: string;
  to?: string;
  cc?: string;
  bcc?: string;
  subject?: string;
  date?: string;
  text?: string;
  html?: string;
  attachments: {
    filename?: string;
    contentType?: string;
    content: Buffer;
    contentId?: string;
    inline?: boolean;
  }[];
}

/** What the payload becomes: the message fields plus the envelope and spam facts. */
export interface InboundParts {
  fields: InboundFields;
  envelopeSender: string | null;
  envelopeRecipient: string | null;
  strippedText: string | null;
  spamDetected: boolean | null;
  spamScore: number | null;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function addressOf(full: PostmarkInboundAddress | undefined): string | undefined {
  if (!full || typeof full.Email !== "string" || full.Email === "") return undefined;
  return formatAddress(str(full.Name) ?? "", full.Email);
}

function addressList(list: unknown, fallback: unknown): string | undefined {
  if (!Array.isArray(list)) return str(fallback) || undefined;
  const addresses = list.map((item) => addressOf(item as PostmarkInboundAddress)).filter(Boolean);
  return addresses.length > 0 ? addresses.join(", ") : undefined;
}

/**
 * The envelope sender: the Return-Path header; failing that, the envelope-from that
 * Postmark's one Received-SPF header records when SPF passed (or was neutral).
 */
function envelopeSenderOf(headers: [string, string][]): string | null {
  const returnPath = headerValues(headers, "Return-Path")[0];
  if (returnPath !== undefined) {
    const addrSpec = returnPath.trim().replace(/^<(.*)>$/, "$1");
    return addrSpec === "" ? null : addrSpec;
  }
  const spf = headerValues(headers, "Received-SPF");
  if (spf.length !== 1 || !/^\s*(pass|neutral)\b/i.test(spf[0])) return null;
  return /envelope-from=("?)([^";\s]+)\1/i.exec(spf[0])?.[2] ?? null;
}

function attachmentsOf(list: unknown, ctx: Context): InboundFields["attachments"] {
  if (list === undefined || list === null) return [];
  const badPayload = (why: string) => validationFailure(ctx, `inbound payload: ${why}`);
  if (!Array.isArray(list)) throw badPayload("Attachments is not a list");
  return list.map((item: PostmarkInboundAttachment, index) => {
    if (typeof item !== "object" || item === null)
      throw badPayload(`attachment ${index} is not an object`);
    const content = item.Content ?? "";
    const bytes = typeof content === "string" ? decodeBase64Strict(content) : null;
    if (bytes === null) throw badPayload(`attachment ${index} has no base64 Content`);
    const contentId = str(item.ContentID) || undefined;
    return {
      filename: str(item.Name) || undefined,
      contentType: str(item.ContentType) || undefined,
      content: bytes,
      contentId,
      inline: contentId !== undefined,
    };
  });
}

/** Postmark's inbound JSON → the parts of an AnymailInboundMessage. Pure. */
export function toInboundParts(payload: PostmarkInboundPayload, ctx: Context): InboundParts {
  if (payload.Headers !== undefined && !Array.isArray(payload.Headers)) {
    throw validationFailure(ctx, "inbound payload: Headers is not a list");
  }
  const headers: [string, string][] = (payload.Headers ?? [])
    .filter((h) => typeof h?.Name === "string" && typeof h.Value === "string")
    .map((h) => [h.Name, h.Value]);
  // Postmark lifts Reply-To out of the headers into its own field
  const replyTo = str(payload.ReplyTo);
  if (replyTo && headerValues(headers, "Reply-To").length === 0)
    headers.push(["Reply-To", replyTo]);

  const spamStatus = headerValues(headers, "X-Spam-Status")[0];
  const bcc = addressList(payload.BccFull, payload.Bcc);
  const spamScore = Number.parseFloat(headerValues(headers, "X-Spam-Score")[0] ?? "");
  return {
    fields: {
      headers,
      from: addressOf(payload.FromFull) ?? (str(payload.From) || undefined),
      to: addressList(payload.ToFull, payload.To),
      cc: addressList(payload.CcFull, payload.Cc),
      subject: str(payload.Subject),
      date: str(payload.Date) || undefined,
      text: str(payload.TextBody),
      html: str(payload.HtmlBody),
      // RawEmail, when present, replaces these (inbound.ts): don't decode attachments twice
      ...(bcc === undefined ? {} : { bcc }),
      attachments:
        typeof payload.RawEmail === "string" ? [] : attachmentsOf(payload.Attachments, ctx),
    },
    envelopeSender: envelopeSenderOf(headers),
    envelopeRecipient: str(payload.OriginalRecipient) || null,
    strippedText: str(payload.StrippedTextReply) ?? null,
    spamDetected: spamStatus === undefined ? null : /^\s*yes\b/i.test(spamStatus),
    spamScore: Number.isFinite(spamScore) ? spamScore : null,
  };
}
