/**
 * @module
 * The raw MIME message of an Amazon SES SendRawEmail call, composed by nodemailer's
 * MailComposer (never by hand).
 */
import type MailComposer from "nodemailer/lib/mail-composer/index.js";
import type Mail from "nodemailer/lib/mailer/index.js";
import type { NormalizedMessage } from "../../sender/message.js";
import type { EmailAddress } from "../../sender/address.js";
import { lazyRequire } from "../../util/lazy-require.js";

// loaded by the first SES send, not by every process that imports anymail
const loadComposer = lazyRequire<typeof MailComposer>("nodemailer/lib/mail-composer/index.js");

/** Anymail's custom headers, read back by the tracking webhook (spec "Tags and metadata"). */
export const METADATA_HEADER = "X-Metadata";
export const TAG_HEADER = "X-Tag";

type ComposerHeader = {
  key: string;
  value: string | { prepared: true; foldLines: boolean; value: string };
};

/** What the MIME needs besides the normalized message. */
export interface MimeExtras {
  /** The metadata already serialized as JSON, or null. */
  metadataJson: string | null;
}

/**
 * Composes the message. Bcc never appears in the MIME (SES delivers to the call's
 * Destinations: the spec's 7.2 fix). Text parts are quoted-printable, never 8bit: SES's
 * open/click tracking rewrite garbles 8bit non-ASCII bodies (spec changelog 4.0).
 */
export async function composeMime(message: NormalizedMessage, extras: MimeExtras): Promise<Buffer> {
  const headers: ComposerHeader[] = [];
  let spoofedTo: string | undefined;
  for (const [name, value] of Object.entries(message.headers)) {
    // a To header is what recipients see; delivery still follows `to` (spec "spoofing")
    if (name.toLowerCase() === "to") spoofedTo = value;
    else headers.push(header(name, value));
  }
  if (extras.metadataJson !== null) headers.push(header(METADATA_HEADER, extras.metadataJson));
  for (const tag of message.tags) headers.push(header(TAG_HEADER, tag));

  const mail: Mail.Options = {
    from: addresses(message.fromAll),
    to: spoofedTo ?? addresses(message.to),
    cc: addresses(message.cc),
    replyTo: addresses(message.replyTo),
    subject: message.subject ?? undefined,
    text: message.text ?? undefined,
    html: message.html ?? undefined,
    alternatives: message.alternatives.map((part) => ({
      content: part.content,
      contentType: part.contentType,
    })),
    attachments: message.attachments.map((attachment) => ({
      filename: attachment.filename ?? false,
      content: attachment.content,
      contentType: attachment.contentType,
      cid: attachment.cid ?? undefined,
      contentDisposition: attachment.inline ? "inline" : "attachment",
      headers: attachment.headers,
    })),
    // @types/nodemailer omits the `{ prepared, foldLines }` value form that nodemailer accepts
    headers: headers as Mail.Headers,
    textEncoding: "quoted-printable",
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  const Composer = loadComposer();
  return new Composer(mail).compile().build();
}

/**
 * A custom header. MailComposer would turn any value with quotes or "=" (all JSON) into
 * RFC 2047 encoded-words; printable ASCII goes out verbatim so SES notifications show it
 * as sent. Non-ASCII values are still encoded (the tracking webhook decodes them).
 */
function header(key: string, raw: string): ComposerHeader {
  const value = raw.replace(/\r?\n|\r/g, " ");
  if (!/^[\x20-\x7e]*$/.test(value)) return { key, value };
  // RFC 5322's 998-character line limit: fold only a line that would break it
  const foldLines = key.length + 2 + value.length > 998;
  return { key, value: { prepared: true, foldLines, value } };
}

function addresses(list: readonly EmailAddress[]): Mail.Address[] | undefined {
  if (list.length === 0) return undefined;
  return list.map((address) => ({ name: address.displayName, address: address.addrSpec }));
}
