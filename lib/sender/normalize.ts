/**
 * @module
 * Turns a message (with defaults merged) into the NormalizedMessage adapters receive:
 * addresses parsed, header rules applied (spec "Additional headers"), attachments loaded,
 * dates parsed, JSON data checked.
 */
import { DEFAULT_URL_ACCESS, fetchUrl, type UrlAccessOptions } from "../util/fetch-url.js";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import type mimeTypes from "nodemailer/lib/mime-funcs/mime-types.js";
import { toJsonValue } from "../util/json.js";
import { AnymailError, AnymailInvalidAddress } from "../errors.js";
import { idnaEncode, needsIdna } from "../util/idna.js";
import {
  EmailAddress,
  parseAddressList,
  parseSingleAddress,
  type AddressInput,
} from "./address.js";
import {
  getHeader,
  headerKey,
  setHeader,
  type AttachmentInput,
  type JsonObject,
  type NormalizedAttachment,
  type NormalizedMessage,
  type SendDefaults,
} from "./message.js";
import { lazyRequire } from "../util/lazy-require.js";

// nodemailer's table of types (90 kB): loaded with the first attachment without a type
const loadMimeTypes = lazyRequire<typeof mimeTypes>("nodemailer/lib/mime-funcs/mime-types.js");

/** Parses `sendAt`: a Date, epoch seconds, or a string as JavaScript's Date parses it. */
export function parseSendAt(value: Date | number | string): Date {
  const date =
    value instanceof Date
      ? new Date(value.getTime())
      : typeof value === "number"
        ? new Date(value * 1000)
        : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new AnymailError(`Invalid sendAt ${JSON.stringify(String(value))}: not a date`);
  }
  return date;
}

/** Strips the angle brackets of a Content-ID. */
export function bareContentId(cid: string): string {
  return cid.trim().replace(/^<(.*)>$/, "$1");
}

/** Reads a stream attachment (nodemailer accepts `content` as a stream) to its end. */
async function readStream(stream: Readable, index: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array | string));
  } catch (error) {
    throw new AnymailError(`Cannot read attachment ${index} from its stream`, { cause: error });
  }
  return Buffer.concat(chunks);
}

/** How the sender may fetch attachment content by URL (`href`). */
export interface NormalizeOptions {
  urlAccess?: UrlAccessOptions;
}

/** The attachment's bytes: at once when given in memory, else read from the stream, file or URL. */
function attachmentContent(
  input: AttachmentInput,
  index: number,
  options: NormalizeOptions,
): Buffer | Promise<Buffer> {
  if (input.content !== undefined && input.content !== null) {
    return typeof input.content === "string"
      ? Buffer.from(input.content, input.encoding ?? "utf8")
      : input.content instanceof Readable
        ? readStream(input.content, index)
        : Buffer.from(input.content);
  }
  if (input.path) {
    const path = input.path;
    return readFile(path).catch((error: unknown) => {
      throw new AnymailError(`Cannot read attachment ${index} from ${path}`, { cause: error });
    });
  }
  if (input.href) {
    const access = { url: { ...DEFAULT_URL_ACCESS, ...options.urlAccess }, noUrls: false };
    return fetchUrl(input.href, access, `attachment ${index}`, input.httpHeaders);
  }
  throw new AnymailError(`Attachment ${index} has neither content nor path (nor href)`);
}

/** Every attachment normalized; synchronous unless one must be read from a stream, file or URL. */
function normalizeAttachments(
  inputs: readonly AttachmentInput[] | null | undefined,
  options: NormalizeOptions,
): NormalizedAttachment[] | Promise<NormalizedAttachment[]> {
  if (!inputs || inputs.length === 0) return [];
  const contents = inputs.map((input, index) => {
    // a bad attachment after one being read must not leave that read's failure unhandled
    try {
      return attachmentContent(input, index, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  });
  const finish = (buffers: Buffer[]) =>
    inputs.map((input, index) => describeAttachment(input, index, buffers[index]));
  return contents.every(Buffer.isBuffer)
    ? finish(contents as Buffer[])
    : Promise.all(contents).then(finish);
}

function describeAttachment(
  input: AttachmentInput,
  index: number,
  content: Buffer,
): NormalizedAttachment {
  const filename =
    input.filename || (input.path ? basename(input.path) : null) || hrefFilename(input.href);
  const contentType =
    input.contentType ??
    (filename ? loadMimeTypes().detectMimeType(filename) : "application/octet-stream");
  const cid = input.cid ? bareContentId(input.cid) : null;
  const inline =
    input.contentDisposition === "inline" ||
    (cid !== null && input.contentDisposition === undefined);
  for (const name of Object.keys(input.headers ?? {})) {
    checkHeaderName(name, `the headers of attachment ${index}`);
  }
  return { filename, content, contentType, cid, inline, headers: { ...input.headers } };
}

// RFC 5322 field-name: printable ASCII except the colon (so no space either)
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * Throws unless `name` is an RFC 5322 header field name: a name with a colon, space or line
 * break would let a value start a second header (a forged From: or Subject:) in raw MIME.
 */
export function checkHeaderName(name: string, where: string): void {
  if (!FIELD_NAME.test(name)) {
    throw new AnymailError(
      `Invalid header name ${JSON.stringify(name)} in ${where}: a header name is printable ` +
        `ASCII without spaces or colons (RFC 5322).`,
    );
  }
}

/** Header names are case-insensitive: the last one given wins (design.md). */
function normalizeHeaders(
  headers: Record<string, string | number> | null | undefined,
  where = "headers",
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    checkHeaderName(name, where);
    // a line break in a value would start a new header line wherever an ESP writes MIME
    setHeader(out, name, String(value).replace(/\r\n|\r|\n/g, " "));
  }
  return out;
}

function takeHeader(headers: Record<string, string>, name: string): string | undefined {
  const key = headerKey(headers, name);
  if (key === undefined) return undefined;
  const value = headers[key];
  delete headers[key];
  return value;
}

function nonEmpty<T extends object>(value: T | null | undefined): T | null {
  return value && Object.keys(value).length > 0 ? value : null;
}

function jsonObject(value: JsonObject | null | undefined, what: string): JsonObject | null {
  return value === null || value === undefined ? null : toJsonValue<JsonObject>(value, what);
}

/**
 * Sends international domains as A-labels (IDNA 2008, UTS #46), as every ESP's API expects:
 * rewrites each address, and re-keys per-recipient data to match. A domain IDNA 2008
 * refuses (an emoji domain) is an AnymailInvalidAddress. Mutates `message`.
 */
function encodeDomains(message: NormalizedMessage): void {
  // all-ASCII addresses (nearly every message) need no rewriting: one scan, no copies
  const fields = [message.fromAll, message.to, message.cc, message.bcc, message.replyTo];
  if (message.envelopeSender) fields.push([message.envelopeSender]);
  // (an all-ASCII addr-spec has an all-ASCII domain: no slicing the domain out to know)
  if (!fields.some((addresses) => addresses.some((a) => needsIdna(a.addrSpec)))) return;
  const given: Record<string, string> = {};
  const encode = (address: EmailAddress, field: string): EmailAddress => {
    const ascii = idnaEncode(address.domain);
    if (ascii === null) {
      throw new AnymailInvalidAddress(
        `Invalid email address in ${field}: ${address.addrSpec} (its domain is not a valid ` +
          `internationalized domain name under IDNA 2008)`,
      );
    }
    if (ascii === address.domain) return address;
    const encoded = new EmailAddress(`${address.username}@${ascii}`, address.displayName);
    given[encoded.addrSpec] = address.addrSpec;
    return encoded;
  };
  const list = (addresses: EmailAddress[], field: string) => addresses.map((a) => encode(a, field));
  message.fromAll = list(message.fromAll, "from");
  message.from = message.fromAll[0] ?? null;
  message.to = list(message.to, "to");
  message.cc = list(message.cc, "cc");
  message.bcc = list(message.bcc, "bcc");
  message.replyTo = list(message.replyTo, "replyTo");
  if (message.envelopeSender)
    message.envelopeSender = encode(message.envelopeSender, "envelopeSender");
  if (Object.keys(given).length === 0) return;
  const byGiven = Object.fromEntries(
    Object.entries(given).map(([ascii, original]) => [original, ascii]),
  );
  const rekey = <T>(table: Record<string, T> | null): Record<string, T> | null =>
    table &&
    Object.fromEntries(Object.entries(table).map(([key, value]) => [byGiven[key] ?? key, value]));
  message.mergeData = rekey(message.mergeData);
  message.mergeMetadata = rekey(message.mergeMetadata);
  message.mergeHeaders = rekey(message.mergeHeaders);
  message.idnaAddrSpecs = given;
}

/** The last path segment of an http(s) URL, as the file's name ("report.pdf"); null for data: URIs. */
function hrefFilename(href: string | undefined): string | null {
  if (!href || !/^https?:/i.test(href)) return null;
  try {
    const name = decodeURIComponent(new URL(href).pathname.split("/").pop() ?? "");
    return name || null;
  } catch {
    return null;
  }
}

/**
 * Builds the NormalizedMessage from a message whose defaults are already merged: at once
 * when every attachment is in memory (no promise, no ticks on the send path), else a
 * promise that settles once streams, files and URLs are read.
 */
export function normalizeMessage(
  merged: SendDefaults,
  options: NormalizeOptions = {},
): NormalizedMessage | Promise<NormalizedMessage> {
  const message = buildNormalized(merged, options);
  if (message instanceof Promise) {
    return message.then((read) => {
      encodeDomains(read);
      return read;
    });
  }
  encodeDomains(message);
  return message;
}

function buildNormalized(
  merged: SendDefaults,
  options: NormalizeOptions,
): NormalizedMessage | Promise<NormalizedMessage> {
  const headers = normalizeHeaders(merged.headers);
  let fromAll = parseAddressList(merged.from, "from");
  let envelopeSender = merged.envelopeSender
    ? parseSingleAddress(merged.envelopeSender as AddressInput, "envelopeSender")
    : null;
  let replyTo = parseAddressList(merged.replyTo, "replyTo");

  // Django SMTP compatibility (spec "Additional headers")
  const replyToHeader = takeHeader(headers, "Reply-To");
  if (replyToHeader !== undefined) replyTo = parseAddressList(replyToHeader, "Reply-To header");
  const fromHeader = takeHeader(headers, "From");
  if (fromHeader !== undefined) {
    const original = fromAll;
    fromAll = parseAddressList(fromHeader, "From header");
    if (!envelopeSender && original.length > 0) envelopeSender = original[0];
  }
  const toHeader = getHeader(headers, "To");
  if (toHeader !== undefined) parseAddressList(toHeader, "To header");

  const mergeData = jsonObject(merged.mergeData, "mergeData") as NormalizedMessage["mergeData"];
  const mergeMetadata = jsonObject(
    merged.mergeMetadata,
    "mergeMetadata",
  ) as NormalizedMessage["mergeMetadata"];
  const mergeHeaders = merged.mergeHeaders
    ? Object.fromEntries(
        Object.entries(merged.mergeHeaders).map(([rcpt, h]) => [
          rcpt,
          normalizeHeaders(h, `mergeHeaders for ${rcpt}`),
        ]),
      )
    : null;

  // an HTML alternative is the HTML body when there is none (Django's attach_alternative habit)
  let html = merged.html ?? null;
  const alternatives = [...(merged.alternatives ?? [])];
  const htmlAlternative = alternatives.findIndex(
    (a) => a.contentType.toLowerCase() === "text/html",
  );
  if (html === null && htmlAlternative >= 0)
    html = alternatives.splice(htmlAlternative, 1)[0].content;

  const to = parseAddressList(merged.to, "to");
  const cc = parseAddressList(merged.cc, "cc");
  const bcc = parseAddressList(merged.bcc, "bcc");
  // the fields after the attachments are checked once they are read (as before: an
  // unreadable attachment is reported ahead of bad metadata)
  const finish = (attachments: NormalizedAttachment[]): NormalizedMessage => ({
    from: fromAll[0] ?? null,
    fromAll,
    to,
    cc,
    bcc,
    replyTo,
    subject: merged.subject ?? null,
    text: merged.text ?? null,
    html,
    alternatives,
    attachments,
    headers,
    envelopeSender,
    metadata: nonEmpty(jsonObject(merged.metadata, "metadata")),
    mergeMetadata,
    tags: (merged.tags ?? []).map(String),
    trackOpens: merged.trackOpens ?? null,
    trackClicks: merged.trackClicks ?? null,
    sendAt:
      merged.sendAt === null || merged.sendAt === undefined ? null : parseSendAt(merged.sendAt),
    espExtra: nonEmpty(merged.espExtra ?? null),
    templateId: merged.templateId ?? null,
    mergeData,
    mergeGlobalData: nonEmpty(jsonObject(merged.mergeGlobalData, "mergeGlobalData")),
    mergeHeaders,
    isBatch: mergeData !== null || mergeMetadata !== null || mergeHeaders !== null,
  });
  const attachments = normalizeAttachments(merged.attachments, options);
  return Array.isArray(attachments) ? finish(attachments) : attachments.then(finish);
}
