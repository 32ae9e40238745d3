/**
 * @module
 * nodemailer's message fields (`sendMail(data)`, with the transporter's defaults applied) as
 * an AnymailMessage. The types here are local and structural, so that anymail's published
 * types do not need @types/nodemailer.
 */
import type { Readable } from "node:stream";
import mimeTypes from "nodemailer/lib/mime-funcs/mime-types.js";
import { AnymailUnsupportedFeature } from "../errors.js";
import { parseAddressList, type AddressListInput } from "../sender/address.js";
import {
  setHeader,
  type AlternativeInput,
  type AnymailMessage,
  type AttachmentInput,
} from "../sender/message.js";
import {
  fetchUrl,
  isUrlPath,
  loadText,
  pathString,
  type ContentAccess,
  type PathInput,
  type NodemailerContent,
} from "./content.js";
import { listHeaders, type ListOption } from "./list-headers.js";

/** A nodemailer address: `"a@example.com"`, `"Name <a@example.com>"` or `{ name, address }`. */
export type NodemailerAddress = string | { name?: string; address: string };
type AddressField = NodemailerAddress | NodemailerAddress[];

/** nodemailer's `headers`: an object (a value may repeat, or be `{ prepared, value }`) or a list. */
export type NodemailerHeaders =
  | Record<string, string | string[] | { prepared?: boolean; value: string }>
  | Array<{ key: string; value: string }>;

/** The attachment fields nodemailer takes. */
export interface NodemailerAttachment {
  filename?: string | false;
  content?: string | Buffer | Uint8Array | Readable;
  /** A file path, an http(s) URL or a data: URI. */
  path?: PathInput | false;
  /** A URL to fetch the content from. */
  href?: string | false;
  httpHeaders?: Record<string, string>;
  encoding?: string;
  contentType?: string;
  contentDisposition?: "attachment" | "inline";
  cid?: string;
  headers?: NodemailerHeaders;
  raw?: unknown;
}

/** The fields of `transporter.sendMail(data)` that the anymail transport understands. */
export interface NodemailerMailData {
  from?: AddressField;
  sender?: NodemailerAddress;
  to?: AddressField;
  cc?: AddressField;
  bcc?: AddressField;
  replyTo?: AddressField;
  inReplyTo?: NodemailerAddress;
  references?: string | string[];
  subject?: string;
  text?: NodemailerContent;
  html?: NodemailerContent;
  watchHtml?: NodemailerContent;
  amp?: NodemailerContent;
  alternatives?: Array<NodemailerContent & { contentType?: string }>;
  attachments?: NodemailerAttachment[];
  headers?: NodemailerHeaders;
  list?: ListOption;
  priority?: "high" | "normal" | "low";
  /** `from: false` (nodemailer's "no envelope sender") is the same as no `from`. */
  envelope?: {
    from?: NodemailerAddress | false;
    to?: AddressField;
    cc?: AddressField;
    bcc?: AddressField;
  };
  messageId?: string;
  disableFileAccess?: boolean;
  disableUrlAccess?: boolean;
  /** Fields the transport cannot pass to an ESP; sending throws when they are set. */
  raw?: unknown;
  icalEvent?: unknown;
  attachDataUrls?: boolean;
  dsn?: unknown;
}

// Set by nodemailer's MailMessage for every message, so a send must not fail on them.
const PRIORITY_HEADERS = {
  high: { "X-Priority": "1 (Highest)", "X-MSMail-Priority": "High", Importance: "High" },
  low: { "X-Priority": "5 (Lowest)", "X-MSMail-Priority": "Low", Importance: "Low" },
} as const;

function unsupported(what: string): never {
  throw new AnymailUnsupportedFeature(
    `The anymail nodemailer transport cannot send ${what} through an ESP's API`,
  );
}

/** Flattens nodemailer's headers into one value per name. */
function flattenHeaders(headers: NodemailerHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const entries: Array<[string, unknown]> = Array.isArray(headers)
    ? headers.map(({ key, value }) => [key, value])
    : Object.entries(headers ?? {});
  for (const [name, value] of entries) {
    const values = (Array.isArray(value) ? value : [value]).filter(
      (v) => v !== undefined && v !== null && v !== "",
    );
    if (values.length > 1) unsupported(`a repeated ${name} header`);
    if (values.length === 0) continue;
    const single = values[0] as string | { value: string };
    setHeader(out, name, typeof single === "object" ? String(single.value) : String(single));
  }
  return out;
}

/** `<id@host>`: message ids in In-Reply-To and References are bracketed. */
function bracketed(id: string): string {
  const trimmed = id.trim();
  return trimmed.startsWith("<") ? trimmed : `<${trimmed}>`;
}

/**
 * The name nodemailer gives an attachment without one: the last segment of its path or URL
 * (a data: URI has none), else `attachment-N`, with an extension from its type when the name
 * has none.
 */
function defaultName(input: NodemailerAttachment, path: string | undefined, index: number): string {
  const location = path ?? (input.href || "");
  const segment = location.startsWith("data:") ? "" : location.split("/").pop()!.split("?")[0];
  const name = segment || `attachment-${index + 1}`;
  if (name.includes(".")) return name;
  const extension = mimeTypes.detectExtension(input.contentType ?? false);
  return `${name}.${extension === "*" ? "bin" : extension}`; // its table maps octet-stream to "*"
}

async function convertAttachment(
  input: NodemailerAttachment,
  index: number,
  access: ContentAccess,
): Promise<AttachmentInput> {
  if (input.raw !== undefined) unsupported("a raw MIME attachment");
  const what = `Attachment ${index}`;
  // nodemailer's composer leaves `path: false` on a data: URI it has decoded into `content`
  const path = input.path ? pathString(input.path) : undefined;
  const href = input.href || (path !== undefined && isUrlPath(path) ? path : undefined);
  const attachment: AttachmentInput = {
    filename: input.filename === false ? null : input.filename || defaultName(input, path, index),
    contentType: input.contentType,
    contentDisposition: input.contentDisposition,
    cid: input.cid,
    headers: input.headers ? flattenHeaders(input.headers) : undefined,
  };
  if (input.content !== undefined && input.content !== null) {
    attachment.content = input.content;
    attachment.encoding = input.encoding as BufferEncoding | undefined;
  } else if (href !== undefined) {
    attachment.content = await fetchUrl(href, access, what, input.httpHeaders);
  } else if (path !== undefined) {
    if (access.noFiles) throw new AnymailUnsupportedFeature(`${what}: file access is disabled`);
    attachment.path = path;
  }
  return attachment;
}

/** The recipients of nodemailer's `envelope`, when it names different ones than the headers. */
function checkEnvelopeRecipients(data: NodemailerMailData): void {
  const envelope = data.envelope;
  if (!envelope || (!envelope.to && !envelope.cc && !envelope.bcc)) return;
  const specs = (fields: Array<AddressField | undefined>): string[] =>
    fields
      .flatMap((f) => parseAddressList(f as AddressListInput | undefined, "envelope"))
      .map((a) => a.addrSpec.toLowerCase())
      .sort();
  const envelopeTo = specs([envelope.to, envelope.cc, envelope.bcc]);
  const headerTo = specs([data.to, data.cc, data.bcc]);
  if (
    new Set(envelopeTo).size !== new Set(headerTo).size ||
    envelopeTo.some((a) => !headerTo.includes(a))
  ) {
    unsupported("envelope recipients that differ from to, cc and bcc");
  }
}

/** Converts nodemailer's message data into an AnymailMessage, loading URL and stream bodies. */
export async function toAnymailMessage(
  data: NodemailerMailData,
  access: ContentAccess,
): Promise<AnymailMessage> {
  if (data.raw !== undefined) unsupported("a raw MIME message");
  if (data.icalEvent !== undefined) unsupported("icalEvent");
  if (data.attachDataUrls) unsupported("attachDataUrls");
  if (data.dsn !== undefined) unsupported("DSN options");
  checkEnvelopeRecipients(data);

  const headers = flattenHeaders(data.headers);
  if (data.sender) setHeader(headers, "Sender", parseAddressList(data.sender, "sender")[0].address);
  if (data.messageId) setHeader(headers, "Message-ID", bracketed(data.messageId));
  if (data.inReplyTo) {
    const id = typeof data.inReplyTo === "string" ? data.inReplyTo : data.inReplyTo.address;
    setHeader(headers, "In-Reply-To", bracketed(id));
  }
  if (data.references) {
    const ids = Array.isArray(data.references) ? data.references : data.references.split(/\s+/);
    setHeader(headers, "References", ids.filter(Boolean).map(bracketed).join(" "));
  }
  // nodemailer sets these after the caller's headers, so they win as they do over SMTP
  const priority = String(data.priority ?? "").toLowerCase();
  if (priority === "high" || priority === "low")
    for (const [n, v] of Object.entries(PRIORITY_HEADERS[priority])) setHeader(headers, n, v);
  if (data.list)
    for (const [n, v] of Object.entries(listHeaders(data.list))) setHeader(headers, n, v);

  const text = async (value: NodemailerContent | undefined, what: string) =>
    value === undefined || value === null ? undefined : loadText(value, access, what);
  const alternatives: AlternativeInput[] = [];
  if (data.watchHtml) {
    alternatives.push({
      content: await loadText(data.watchHtml, access, "watchHtml"),
      contentType: "text/watch-html",
    });
  }
  if (data.amp) {
    alternatives.push({
      content: await loadText(data.amp, access, "amp"),
      contentType: "text/x-amp-html",
    });
  }
  for (const [i, alternative] of (data.alternatives ?? []).entries()) {
    alternatives.push({
      content: await loadText(alternative, access, `Alternative ${i}`),
      contentType: alternative.contentType ?? "application/octet-stream",
    });
  }

  return {
    from: data.from as AddressListInput | undefined,
    to: data.to as AddressListInput | undefined,
    cc: data.cc as AddressListInput | undefined,
    bcc: data.bcc as AddressListInput | undefined,
    replyTo: data.replyTo as AddressListInput | undefined,
    subject: data.subject,
    text: await text(data.text, "text"),
    html: await text(data.html, "html"),
    alternatives: alternatives.length > 0 ? alternatives : undefined,
    attachments: data.attachments
      ? await Promise.all(data.attachments.map((a, i) => convertAttachment(a, i, access)))
      : undefined,
    headers: Object.keys(headers).length > 0 ? headers : undefined,
    envelopeSender: data.envelope?.from || undefined,
  };
}
