/**
 * @module
 * Raw MIME → the parts of an AnymailInboundMessage, through mailparser (which decodes
 * transfer encodings and charsets with iconv-lite).
 */
import { readMime, type ReadAttachment } from "./mime-reader.js";
import { EmailAddress } from "../sender/address.js";
import { decodeMimeWords } from "../util/mime-words.js";
import { firstHeader } from "../util/header-list.js";

/** What a message or part is, as a MIME entity. */
export interface PartInfo {
  /** The Content-Type header value (with parameters), or null. */
  contentType: string | null;
  /** "inline", "attachment" (lower-cased, no parameters), or null. */
  disposition: string | null;
  filename: string | null;
  /** Content-ID without angle brackets. */
  contentId: string | null;
  /** Belongs in `inlineAttachments` (has a Content-ID and is shown inline). */
  inline: boolean;
  /** Decoded content bytes (a whole message for message/rfc822). */
  content: Buffer;
}

/** Everything AnymailInboundMessage is built from. */
export interface MessageParts {
  headers: Array<[string, string]>;
  part: PartInfo;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  /** Bcc, where the ESP reports it (it never travels in the message itself). */
  bcc: EmailAddress[];
  subject: string | null;
  date: Date | null;
  text: string | null;
  html: string | null;
  children: MessageParts[];
}

/** `<abc@x>` → `abc@x` */
export function unquoteContentId(value: string | null | undefined): string | null {
  const trimmed = (value ?? "")
    .trim()
    .replace(/^<(.*)>$/s, "$1")
    .trim();
  return trimmed || null;
}

/**
 * A Date header as a Date, or null when missing or not an RFC 5322 date. Date.parse alone
 * is too lenient ("1" is a date to it), so the day-month-year-time shape is required first.
 */
export function parseDateHeader(value: string | null | undefined): Date | null {
  if (!value) return null;
  const cleaned = value
    .replace(/\([^)]*\)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!/\d{1,2} [A-Za-z]{3} \d{2,4} \d{1,2}:\d{2}/.test(cleaned)) return null;
  const ms = Date.parse(cleaned);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** One raw header line (possibly folded) → `[name, decoded value]`. */
function headerFromLine(line: string): [string, string] | null {
  const colon = line.indexOf(":");
  if (colon <= 0) return null;
  const value = line
    .slice(colon + 1)
    .replace(/\r?\n(?=[ \t])/g, "")
    .trim();
  return [line.slice(0, colon).trim(), decodeMimeWords(value)];
}

/** A structured value from mailparser's header map, back to text. */
function headerText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toUTCString();
  if (value && typeof value === "object") {
    if ("text" in value) return String(value.text);
    if ("value" in value) {
      const params = ("params" in value ? value.params : {}) as Record<string, string>;
      const rendered = Object.entries(params).map(([key, param]) => `${key}="${param}"`);
      return [String(value.value), ...rendered].join("; ");
    }
  }
  return String(value);
}

/**
 * The part of mailparser's AddressObject read here (typed locally: @types/mailparser is not a
 * dependency of anymail's users, and this module's declarations are published).
 */
interface ParsedAddress {
  address?: string;
  name: string;
  group?: ParsedAddress[];
}

/** mailparser's addresses (groups flattened) → EmailAddress; entries without an address are dropped. */
export function toEmailAddresses(
  field: { value: ParsedAddress[] } | Array<{ value: ParsedAddress[] }> | undefined,
): EmailAddress[] {
  const result: EmailAddress[] = [];
  const walk = (entries: ParsedAddress[]) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group);
      else if (entry.address && entry.address.includes("@")) {
        result.push(new EmailAddress(entry.address, entry.name ?? ""));
      }
    }
  };
  for (const object of Array.isArray(field) ? field : field ? [field] : []) walk(object.value);
  return result;
}

function dispositionOf(value: string | null): string | null {
  return value ? value.split(";")[0].trim().toLowerCase() || null : null;
}

async function attachmentParts(attachment: ReadAttachment): Promise<MessageParts> {
  const headers: Array<[string, string]> = [];
  for (const [name, value] of attachment.headers) headers.push([name, headerText(value)]);
  const disposition = attachment.contentDisposition?.toLowerCase() ?? null;
  const contentId = unquoteContentId(attachment.cid ?? firstHeader(headers, "content-id"));
  const part: PartInfo = {
    contentType: firstHeader(headers, "content-type") ?? attachment.contentType ?? null,
    disposition,
    filename: attachment.filename ?? null,
    contentId,
    // an image in multipart/related without a Content-Disposition is shown inline too
    inline:
      contentId !== null && (disposition === "inline" || (!disposition && !!attachment.related)),
    content: attachment.content,
  };
  if (attachment.contentType?.toLowerCase() === "message/rfc822") {
    // a forwarded message: its own headers and bodies, this part's MIME facts
    return { ...(await parseMime(attachment.content)), part };
  }
  return leafPart(headers, part);
}

/** A part that is not a message (an attachment): its headers and MIME facts, nothing else. */
export function leafPart(headers: MessageParts["headers"], part: PartInfo): MessageParts {
  return {
    headers,
    part,
    from: null,
    to: [],
    cc: [],
    bcc: [],
    subject: null,
    date: null,
    text: null,
    html: null,
    children: [],
  };
}

/** Parses a raw message into MessageParts. */
export async function parseMime(raw: Buffer | string): Promise<MessageParts> {
  const bytes = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw;
  const parsed = await readMime(bytes);
  const headers: Array<[string, string]> = [];
  for (const { line } of parsed.headerLines) {
    const header = headerFromLine(line);
    if (header) headers.push(header);
  }
  const contentType = firstHeader(headers, "content-type");
  const disposition = firstHeader(headers, "content-disposition");
  const from = toEmailAddresses(parsed.from);
  return {
    headers,
    part: {
      contentType,
      disposition: dispositionOf(disposition),
      filename: null,
      contentId: unquoteContentId(firstHeader(headers, "content-id")),
      inline: false,
      content: bytes,
    },
    from: from[0] ?? null,
    to: toEmailAddresses(parsed.to),
    cc: toEmailAddresses(parsed.cc),
    bcc: toEmailAddresses(parsed.bcc),
    subject: firstHeader(headers, "subject"),
    date: parseDateHeader(firstHeader(headers, "date")),
    text: parsed.text,
    html: parsed.html,
    children: await Promise.all(parsed.attachments.map(attachmentParts)),
  };
}
