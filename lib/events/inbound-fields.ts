/**
 * @module
 * An ESP's already-parsed fields → the parts of an AnymailInboundMessage, for ESPs that post
 * fields (from, subject, text, attachments…) instead of raw MIME.
 */
import type { EmailAddress } from "../sender/address.js";
import { decodeMimeWords } from "../util/mime-words.js";
import {
  parseDateHeader,
  leafPart,
  parseMime,
  toEmailAddresses,
  unquoteContentId,
  type MessageParts,
  type PartInfo,
} from "./inbound-parse.js";
import { firstHeader } from "../util/header-list.js";
import { loadMailparser } from "./mime-reader.js";

/** One attachment as an ESP gives it. */
export interface InboundAttachmentInit {
  filename?: string | null;
  /** With parameters if any (`text/plain; charset=iso-8859-1`). @default "application/octet-stream" */
  contentType?: string | null;
  /** Decoded bytes (a string is taken as UTF-8). */
  content: Buffer | string;
  /** With or without angle brackets. */
  contentId?: string | null;
  /** Content-Disposition inline rather than attachment. */
  inline?: boolean;
}

/** The fields an ESP posts; headers fill in whatever is not given. */
export interface InboundFieldsInit {
  /** Raw header values may hold RFC 2047 encoded words; they are decoded. */
  headers?: ReadonlyArray<readonly [string, string]>;
  from?: string | null;
  to?: string | null;
  cc?: string | null;
  bcc?: string | null;
  subject?: string | null;
  date?: Date | string | null;
  text?: string | null;
  html?: string | null;
  attachments?: readonly InboundAttachmentInit[];
}

/**
 * An address header's value as the raw MIME route reads it (mailparser's own parser):
 * quoted names may hold commas, encoded words are decoded in names only. Lenient: what
 * does not parse is left out, as the spec says for headers.
 */
function addressList(
  parseAddressHeader: typeof import("mailparser").parseAddressHeader,
  value: string | null,
): EmailAddress[] {
  if (!value) return [];
  return toEmailAddresses(parseAddressHeader(value));
}

function toDate(value: Date | string | null | undefined): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  return parseDateHeader(value);
}

async function attachmentParts(init: InboundAttachmentInit): Promise<MessageParts> {
  const content = typeof init.content === "string" ? Buffer.from(init.content) : init.content;
  const contentType = init.contentType || "application/octet-stream";
  const disposition = init.inline ? "inline" : "attachment";
  const contentId = unquoteContentId(init.contentId);
  const headers: Array<[string, string]> = [
    ["Content-Type", contentType],
    [
      "Content-Disposition",
      init.filename ? `${disposition}; filename="${init.filename}"` : disposition,
    ],
  ];
  if (contentId) headers.push(["Content-ID", `<${contentId}>`]);
  const part: PartInfo = {
    contentType,
    disposition,
    filename: init.filename ?? null,
    contentId,
    inline: !!init.inline && contentId !== null,
    content,
  };
  if (contentType.split(";")[0].trim().toLowerCase() === "message/rfc822") {
    return { ...(await parseMime(content)), part };
  }
  return leafPart(headers, part);
}

/** Builds MessageParts from fields; a given field wins over the same header. */
export async function fieldsToParts(init: InboundFieldsInit): Promise<MessageParts> {
  const { parseAddressHeader } = await loadMailparser();
  const addresses = (value: string | null) => addressList(parseAddressHeader, value);
  const headers: Array<[string, string]> = (init.headers ?? []).map(([name, value]) => [
    name,
    decodeMimeWords(value),
  ]);
  const header = (name: string) => firstHeader(headers, name);
  // address lists are parsed from the undecoded value: a decoded "Smith, John" is two names
  const rawHeader = (name: string) => firstHeader(init.headers ?? [], name);
  // given fields become headers too, so get("Subject") agrees with .subject
  const given: Array<[string, string | null | undefined]> = [
    ["From", init.from],
    ["To", init.to],
    ["Cc", init.cc],
    ["Bcc", init.bcc],
    ["Subject", init.subject],
    ["Date", init.date instanceof Date ? init.date.toUTCString() : init.date],
  ];
  for (const [name, value] of given) {
    if (typeof value === "string" && header(name) === null) headers.push([name, value]);
  }
  const from = addresses(init.from ?? rawHeader("From"));
  return {
    headers,
    part: {
      contentType: header("Content-Type"),
      disposition: null,
      filename: null,
      contentId: null,
      inline: false,
      content: Buffer.alloc(0),
    },
    from: from[0] ?? null,
    to: addresses(init.to ?? rawHeader("To")),
    cc: addresses(init.cc ?? rawHeader("Cc")),
    bcc: addresses(init.bcc ?? rawHeader("Bcc")),
    subject: init.subject ?? header("Subject"),
    date: init.date instanceof Date ? toDate(init.date) : toDate(init.date ?? header("Date")),
    text: init.text ?? null,
    html: init.html ?? null,
    children: await Promise.all((init.attachments ?? []).map(attachmentParts)),
  };
}
