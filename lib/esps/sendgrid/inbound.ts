/**
 * @module
 * SendGrid Inbound Parse (`/sendgrid/inbound/`): a multipart post, either the raw MIME
 * message in `email` ("POST the raw, full MIME message") or SendGrid's parsed fields
 * (`headers`, `text`, `html`, `attachmentN` files described by `attachment-info`), each
 * field in the charset the `charsets` field names (esps/sendgrid.txt "Inbound webhook";
 * 08-changelog.txt v7.2).
 */
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage, type InboundAttachmentInit } from "../../events/inbound-message.js";
import { decodeBytes } from "../../util/charset.js";
import { parseMultipart } from "../../util/multipart.js";
import type { WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import { firstHeader } from "../../util/header-list.js";
import { badPayload, webhookHeader } from "../../util/payload.js";
import type { WebhookSettings } from "./index.js";

/** SendGrid's `attachment-info` entry for one `attachmentN` file. */
export interface SendGridAttachmentInfo {
  filename?: string;
  name?: string;
  type?: string;
  charset?: string;
  "content-id"?: string;
}

/** The post's text fields as bytes (first value of each), and its files. */
interface InboundPost {
  fields: Map<string, Buffer>;
  files: NonNullable<WebhookRequest["files"]>;
}

/** Builds the AnymailInboundEvent of one Inbound Parse post. */
export async function toInboundEvent(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
): Promise<AnymailInboundEvent> {
  const post = await readPost(request);
  const charsets = jsonField<Record<string, string>>(post, "charsets") ?? {};
  const field = (name: string): string | null => {
    const bytes = post.fields.get(name);
    return bytes === undefined ? null : decodeBytes(bytes, charsets[name]);
  };

  let message: AnymailInboundMessage;
  const raw = post.fields.get("email");
  if (raw !== undefined) {
    message = await AnymailInboundMessage.fromRaw(raw);
  } else if (post.fields.has("headers")) {
    message = await fromParsedFields(post, field);
  } else {
    throw badPayload(
      context,
      "inbound",
      "the post has neither an 'email' (raw MIME) nor a 'headers' field. " +
        "Point SendGrid's Inbound Parse (not the Event Webhook) here.",
    );
  }

  const envelope = jsonField<{ from?: unknown; to?: unknown }>(post, "envelope");
  if (envelope) {
    if (typeof envelope.from === "string") message.envelopeSender = envelope.from;
    const to = Array.isArray(envelope.to) ? envelope.to[0] : envelope.to;
    if (typeof to === "string") message.envelopeRecipient = to;
  }
  // SendGrid gives a score and SpamAssassin's report, but no yes/no verdict: spamDetected
  // stays null (esps/sendgrid.txt "Inbound"; issue #17 item 2)
  message.spamScore = parseScore(field("spam_score"));

  return new AnymailInboundEvent({
    // SendGrid gives no timestamp or id for an inbound post
    message,
    espEvent: Object.fromEntries([...post.fields].map(([name]) => [name, field(name)])),
  });
}

/** The `/sendgrid/inbound/` handler: a multipart (or urlencoded) form. */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "form",
  async handle(request, context) {
    return [await toInboundEvent(request, context)];
  },
};

async function fromParsedFields(
  post: InboundPost,
  field: (name: string) => string | null,
): Promise<AnymailInboundMessage> {
  const headers = parseHeaderBlock(field("headers") ?? "");
  const has = (name: string) => firstHeader(headers, name) !== null;
  // the headers block carries From, To, Subject…; the separate fields only fill gaps
  const fallback = (name: string) => (has(name) ? undefined : field(name));
  return AnymailInboundMessage.fromFields({
    headers,
    from: fallback("from"),
    to: fallback("to"),
    cc: fallback("cc"),
    subject: fallback("subject"),
    text: field("text"),
    html: field("html"),
    attachments: parsedAttachments(post),
  });
}

function parsedAttachments(post: InboundPost): InboundAttachmentInit[] {
  const info = jsonField<Record<string, SendGridAttachmentInfo>>(post, "attachment-info") ?? {};
  const files = post.files.filter((file) => /^attachment\d+$/.test(file.fieldName));
  // attachment1, attachment2, … attachment10 in number order
  files.sort((a, b) => Number(a.fieldName.slice(10)) - Number(b.fieldName.slice(10)));
  return files.map((file) => {
    const details = info[file.fieldName] ?? {};
    const contentId = details["content-id"] ?? null;
    return {
      filename: details.filename ?? file.filename ?? null,
      contentType: details.type ?? file.contentType,
      content: file.content,
      contentId,
      inline: contentId !== null,
    };
  });
}

/** Unfolds a raw header block into `[name, value]` pairs (values still RFC 2047-encoded). */
export function parseHeaderBlock(block: string): [string, string][] {
  const headers: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1][1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

function parseScore(value: string | null): number | null {
  if (value === null || value.trim() === "") return null;
  const score = Number(value);
  return Number.isFinite(score) ? score : null;
}

function jsonField<T>(post: InboundPost, name: string): T | null {
  const bytes = post.fields.get(name);
  if (bytes === undefined) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return value !== null && typeof value === "object" ? (value as T) : null;
  } catch {
    return null; // a malformed optional field is ignored, as django-anymail does
  }
}

/** The text fields as the bytes SendGrid sent: re-read from the raw multipart body. */
async function readPost(request: WebhookRequest): Promise<InboundPost> {
  const fields = new Map<string, Buffer>();
  const parts = await parseMultipart(request.rawBody, webhookHeader(request, "content-type"));
  for (const part of parts) {
    if (part.filename === null && !fields.has(part.name)) fields.set(part.name, part.content);
  }
  // urlencoded posts (or anything the raw read missed): the router's UTF-8 fields
  for (const [name, values] of Object.entries(request.form ?? {})) {
    if (!fields.has(name) && values.length > 0) fields.set(name, Buffer.from(values[0], "utf8"));
  }
  return { fields, files: request.files ?? [] };
}
