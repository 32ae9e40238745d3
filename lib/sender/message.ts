/**
 * @module
 * The message a caller sends (nodemailer-compatible fields plus the spec's Anymail
 * attributes in camelCase), and the normalized form every ESP adapter receives.
 */
import type { Readable } from "node:stream";
import type { AddressInput, AddressListInput, EmailAddress } from "./address.js";
import type { AnymailStatus } from "./status.js";
import { shallowMerge } from "../util/deep-merge.js";

/** A JSON-like object: metadata, merge data, espExtra. */
export type JsonObject = Record<string, unknown>;

/** An attachment as the caller gives it (nodemailer's fields). */
export interface AttachmentInput {
  /** The file name shown to recipients; for `path` attachments, the file's basename by default. */
  filename?: string | null;
  /**
   * The content: bytes, a string (UTF-8 text unless `encoding` says otherwise), or a
   * readable stream (read to its end when the message is sent).
   */
  content?: Buffer | Uint8Array | string | Readable;
  /** Read the content from this file path instead. */
  path?: string;
  /**
   * Fetch the content from this URL instead (https only by default, within the sender's
   * `urlAccess` size limit and deadline), or decode a data: URI.
   */
  href?: string;
  /** Extra request headers for `href`. */
  httpHeaders?: Record<string, string>;
  /** How a string `content` is encoded, e.g. "base64". */
  encoding?: BufferEncoding;
  /** MIME type; guessed from the filename when omitted. */
  contentType?: string;
  /** Content-ID (without angle brackets), for inline images. */
  cid?: string;
  /** "inline" or "attachment"; an attachment with a cid and no disposition is inline. */
  contentDisposition?: "attachment" | "inline";
  /** Extra MIME headers of this part. */
  headers?: Record<string, string>;
}

/** An alternative body part other than `text` and `html` (e.g. text/x-amp-html). */
export interface AlternativeInput {
  content: string;
  contentType: string;
}

/** A message to send. Any field may be null to drop a send default. */
export interface AnymailMessage {
  from?: AddressListInput | null;
  to?: AddressListInput | null;
  cc?: AddressListInput | null;
  bcc?: AddressListInput | null;
  replyTo?: AddressListInput | null;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  alternatives?: AlternativeInput[] | null;
  attachments?: AttachmentInput[] | null;
  /** Extra headers; names are case-insensitive. */
  headers?: Record<string, string | number> | null;

  /** The envelope sender (Return-Path), where the ESP supports it. */
  envelopeSender?: AddressInput | null;
  /** Metadata stored with the message and returned in tracking events. */
  metadata?: JsonObject | null;
  /** Per-recipient metadata keyed by `to` addr-spec; makes the send a batch send. */
  mergeMetadata?: Record<string, JsonObject> | null;
  tags?: string[] | null;
  trackOpens?: boolean | null;
  trackClicks?: boolean | null;
  /** Scheduled delivery: a Date, epoch seconds, or an ISO 8601 string. */
  sendAt?: Date | number | string | null;
  /** ESP-specific request fields (see each ESP's docs). */
  espExtra?: JsonObject | null;
  /** An ESP stored template. */
  templateId?: string | number | null;
  /** Per-recipient merge data keyed by `to` addr-spec; makes the send a batch send. */
  mergeData?: Record<string, JsonObject> | null;
  mergeGlobalData?: JsonObject | null;
  /** Per-recipient headers keyed by `to` addr-spec, in batch sends. */
  mergeHeaders?: Record<string, Record<string, string>> | null;

  /** Set by the sender: the normalized ESP response. */
  anymailStatus?: AnymailStatus;
  /** Set by the test ESP: the final parameters after defaults. */
  anymailTestParams?: NormalizedMessage;
}

/** Send defaults: any message field. */
export type SendDefaults = Partial<Omit<AnymailMessage, "anymailStatus" | "anymailTestParams">>;

/** An attachment after normalization: content loaded, type known. */
export interface NormalizedAttachment {
  filename: string | null;
  content: Buffer;
  contentType: string;
  /** Content-ID without angle brackets, or null. */
  cid: string | null;
  /** True for inline parts (disposition inline, or a cid with no disposition). */
  inline: boolean;
  headers: Record<string, string>;
}

/**
 * What an ESP adapter receives: addresses parsed, defaults merged, header rules applied,
 * attachments loaded, dates parsed, JSON data checked. Unset fields are null (or empty).
 */
export interface NormalizedMessage {
  /** The first From address (null: let the template supply it). */
  from: EmailAddress | null;
  /** Every From address (more than one only where the ESP allows it). */
  fromAll: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  replyTo: EmailAddress[];
  subject: string | null;
  text: string | null;
  html: string | null;
  alternatives: AlternativeInput[];
  attachments: NormalizedAttachment[];
  /** Extra headers (From/Reply-To already applied and removed); last of a case-variant wins. */
  headers: Record<string, string>;
  envelopeSender: EmailAddress | null;
  metadata: JsonObject | null;
  mergeMetadata: Record<string, JsonObject> | null;
  tags: string[];
  trackOpens: boolean | null;
  trackClicks: boolean | null;
  sendAt: Date | null;
  espExtra: JsonObject | null;
  templateId: string | number | null;
  mergeData: Record<string, JsonObject> | null;
  mergeGlobalData: JsonObject | null;
  mergeHeaders: Record<string, Record<string, string>> | null;
  /** True when mergeData, mergeMetadata or mergeHeaders is set: one message per `to`. */
  isBatch: boolean;
  /**
   * Addresses whose international domain was IDNA-encoded for the ESP: A-label addr-spec →
   * the addr-spec as the caller gave it (the core reports recipient statuses under the latter).
   */
  idnaAddrSpecs?: Record<string, string>;
}

/**
 * True when a part's Content-Type, parameters aside, is text/html.
 *
 * @example
 * isHtml("Text/HTML; charset=utf-8") // true
 */
export function isHtml(contentType: string): boolean {
  return contentType.split(";")[0].trim().toLowerCase() === "text/html";
}

/** The key under which `headers` holds a header, compared case-insensitively. */
export function headerKey(headers: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((key) => key.toLowerCase() === lower);
}

/** Looks up a header case-insensitively. */
export function getHeader(headers: Record<string, string>, name: string): string | undefined {
  const key = headerKey(headers, name);
  return key === undefined ? undefined : headers[key];
}

/** Sets a header, replacing any case variant of its name (the last one given wins). */
export function setHeader<V>(headers: Record<string, V>, name: string, value: V): void {
  const existing = headerKey(headers, name);
  if (existing !== undefined) delete headers[existing];
  headers[name] = value;
}

/**
 * `over`'s headers merged onto a copy of `base`: a header in `over` replaces `base`'s
 * whatever the case of its name (send defaults, per-recipient mergeHeaders).
 */
export function mergeHeaders<V>(
  base: Record<string, V>,
  over: Record<string, V>,
): Record<string, V> {
  const merged = shallowMerge(base);
  for (const [name, value] of Object.entries(over)) setHeader(merged, name, value);
  return merged;
}

/** Every recipient (to, cc, bcc) of a message. */
export function allRecipients(message: NormalizedMessage): EmailAddress[] {
  return [...message.to, ...message.cc, ...message.bcc];
}

/**
 * The name to send for an attachment: its filename, or "attachment" when it has none (ESP
 * APIs that take a name refuse an empty one, or drop the file).
 */
export function attachmentFilename(attachment: Pick<NormalizedAttachment, "filename">): string {
  return attachment.filename || "attachment";
}
