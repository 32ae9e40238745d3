/**
 * @module
 * What both SES API versions share: the build context, the SES Message Tag from
 * `messageTagName`, the "no send defaults for standard fields" rule, and addresses in the
 * forms SES's API fields take (IDN domains in Punycode, names RFC 2047-encoded).
 */
import { domainToASCII } from "node:url";
import { AnymailConfigurationError } from "../../errors.js";
import { formatAddress, type EmailAddress } from "../../sender/address.js";
import type { AnymailMessage, NormalizedMessage } from "../../sender/message.js";
import { encodeMimeWords, isPrintableAscii } from "../../util/mime-words.js";
import type { SendContext } from "../types.js";
import type { SendSettings } from "./index.js";

/** What building a request needs from the send context. */
export type BuildContext = Pick<
  SendContext<SendSettings>,
  "espName" | "settings" | "original" | "unsupported" | "serializeJson"
>;

// SES Message Tag names and values: "A-Z a-z 0-9 - and _ only", at most 256 characters.
const MESSAGE_TAG_CHARS = /^[A-Za-z0-9_-]{1,256}$/;

// Standard message fields that SES takes only from the message itself (spec "No global
// send defaults for non-Anymail options"); a send default for one is unsupported.
const STANDARD_FIELDS = [
  "from",
  "to",
  "cc",
  "bcc",
  "replyTo",
  "subject",
  "text",
  "html",
  "alternatives",
  "attachments",
  "headers",
] as const satisfies readonly (keyof AnymailMessage & keyof NormalizedMessage)[];

// Fields a caller may also give as a header of the same name.
const HEADER_NAMES: Partial<Record<(typeof STANDARD_FIELDS)[number], string>> = {
  from: "from",
  replyTo: "reply-to",
};

/** The single SES Message Tag from `messageTagName` and the message's one tag, or null. */
export function messageTag(
  tags: readonly string[],
  settings: SendSettings,
  ctx: BuildContext,
): { Name: string; Value: string } | null {
  const name = settings.messageTagName;
  if (!name || tags.length === 0) return null;
  if (!MESSAGE_TAG_CHARS.test(name)) {
    throw new AnymailConfigurationError(
      `${ctx.espName} messageTagName "${name}" may use only letters, digits, "_" and "-"`,
      { espName: ctx.espName },
    );
  }
  if (tags.length > 1) ctx.unsupported("multiple tags with the messageTagName setting");
  if (!MESSAGE_TAG_CHARS.test(tags[0])) {
    ctx.unsupported(`tag "${tags[0]}" as an SES Message Tag (letters, digits, "_" and "-" only)`);
    return null;
  }
  return { Name: name, Value: tags[0] };
}

/** Standard fields filled only by send defaults are unsupported (spec; 8.1 raises too). */
export function checkNoStandardDefaults(message: NormalizedMessage, ctx: BuildContext): void {
  const original = ctx.original;
  const headerNames = Object.keys(original.headers ?? {}).map((name) => name.toLowerCase());
  for (const field of STANDARD_FIELDS) {
    const value = message[field];
    const present = Array.isArray(value)
      ? value.length > 0
      : typeof value === "object" && value !== null
        ? Object.keys(value).length > 0
        : value !== null && value !== "";
    if (!present || original[field] !== undefined) continue;
    const header = HEADER_NAMES[field];
    if (header && headerNames.includes(header)) continue;
    ctx.unsupported(`send defaults for "${field}" with ${ctx.espName}`);
  }
}

/** addr-spec with an IDN domain in Punycode, as SES requires for envelope addresses. */
export function asciiAddrSpec(address: EmailAddress): string {
  const ascii = domainToASCII(address.domain);
  return ascii ? `${address.username}@${ascii}` : address.addrSpec;
}

/**
 * A full address for SES's API fields, display name kept (#17 item 7): printable ASCII names
 * quoted as RFC 5322 needs, others RFC 2047-encoded, the domain in Punycode.
 */
export function sesAddress(address: EmailAddress): string {
  const name = address.displayName;
  const addrSpec = asciiAddrSpec(address);
  if (isPrintableAscii(name)) return formatAddress(name, addrSpec);
  return `${encodeMimeWords(name)} <${addrSpec}>`;
}

/**
 * The checks of a raw (non-template) send, in both API versions, and the metadata JSON for
 * its X-Metadata header. `mergeExtras` names why mergeMetadata/mergeHeaders are refused.
 */
export function checkRawSend(
  message: NormalizedMessage,
  ctx: BuildContext,
  mergeExtras: string,
): string | null {
  checkNoStandardDefaults(message, ctx);
  if (message.mergeData !== null) ctx.unsupported("mergeData without templateId");
  if (message.mergeGlobalData !== null) ctx.unsupported("mergeGlobalData without templateId");
  if (message.mergeMetadata !== null) ctx.unsupported(`mergeMetadata ${mergeExtras}`);
  if (message.mergeHeaders !== null) ctx.unsupported(`mergeHeaders ${mergeExtras}`);
  return message.metadata === null ? null : ctx.serializeJson(message.metadata, "metadata");
}
