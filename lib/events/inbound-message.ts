/**
 * @module
 * AnymailInboundMessage: the spec's "Normalized inbound message" (04-receiving-inbound.txt),
 * built from raw MIME (through mailparser) or from the fields an ESP already parsed. Every
 * attachment is itself an AnymailInboundMessage, so a forwarded message/rfc822 attachment
 * reads like a message.
 */
import { EmailAddress } from "../sender/address.js";
import { decodeBytes, type DecodeErrors } from "../util/charset.js";
import { parseMime, type MessageParts } from "./inbound-parse.js";
import { fieldsToParts, type InboundFieldsInit } from "./inbound-fields.js";
import { firstHeader, headerValues } from "../util/header-list.js";

export type { InboundAttachmentInit, InboundFieldsInit } from "./inbound-fields.js";
export type { DecodeErrors } from "../util/charset.js";

/** `attachment.asFile()`'s result is a web-standard File (design.md). */
export type InboundFile = File;

/** `type/subtype; a="b"` → its parts. */
function splitContentType(value: string | null): { type: string; params: Record<string, string> } {
  const [type, ...rest] = (value ?? "").split(";");
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf("=");
    if (eq < 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    params[name] = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/s, "$1");
  }
  return { type: type.trim().toLowerCase(), params };
}

/** A filename safe to store under: no directories, no control characters. */
/**
 * The last path component of a sender's filename, control characters turned into spaces;
 * null when nothing usable is left (an empty name, ".", ".."): it can never name a folder.
 */
function lastPathComponent(name: string | null): string | null {
  if (name === null) return null;
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/\p{Cc}/gu, " ");
  return /^[.\s]*$/.test(base) ? null : base;
}

function safeFilename(name: string | null): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const printable = [...base].filter((ch) => ch >= " " && ch !== "\u007f").join("");
  const cleaned = printable.replace(/^\.+/, "").trim();
  return cleaned || "attachment";
}

/**
 * An inbound email message, or one MIME part (an attachment) of one.
 *
 * @example
 * emitter.on("inbound", (event) => {
 *   const message = event.message;
 *   console.log(message.fromEmail?.addrSpec, message.envelopeSender, message.subject);
 *   for (const attachment of message.attachments) save(attachment.asFile());
 * });
 */
export class AnymailInboundMessage {
  /** The addr-spec the ESP reports as the actual sender (the envelope MAIL FROM), or null. */
  envelopeSender: string | null = null;
  /** The addr-spec the message was delivered to (the envelope RCPT TO), or null. */
  envelopeRecipient: string | null = null;
  /** The ESP's spam score (often SpamAssassin's), or null. */
  spamScore: number | null = null;
  /** The ESP's yes/no spam verdict, or null. */
  spamDetected: boolean | null = null;
  /** The ESP's simplified plain-text body (quoted replies removed), or null. */
  strippedText: string | null = null;
  /** The ESP's simplified HTML body, or null. */
  strippedHtml: string | null = null;

  /** From, parsed; null when From is missing or invalid. */
  readonly fromEmail: EmailAddress | null;
  /** To, parsed; [] when missing or invalid. */
  readonly to: EmailAddress[];
  /** Cc, parsed; [] when missing or invalid. */
  readonly cc: EmailAddress[];
  /** Subject, decoded; null when there is no Subject header. */
  readonly subject: string | null;
  /**
   * Date, or null when missing or invalid. A `-0000` zone ("no zone information",
   * RFC 5322 §3.3) is read as UTC: JavaScript has no naive dates.
   */
  readonly date: Date | null;
  /** The plain-text body, or null. */
  readonly text: string | null;
  /** The HTML body, or null. */
  readonly html: string | null;
  /**
   * Attachments: every non-body part that is not in `contentIdMap`, [] when none. (An inline
   * part without a Content-ID, as Apple Mail places images, is here and in `inlines`.)
   */
  readonly attachments: AnymailInboundMessage[];
  /**
   * Inline parts by Content-ID without angle brackets: `cid:abc123` → `"abc123"`. A part is
   * here when it has a Content-ID and is shown inline (Content-Disposition inline, or no
   * disposition inside multipart/related); the first of a repeated Content-ID wins.
   */
  readonly contentIdMap: Record<string, AnymailInboundMessage>;
  /** Every inline part (Content-Disposition: inline), with or without a Content-ID, in order. */
  readonly inlines: AnymailInboundMessage[];

  readonly #headers: ReadonlyArray<readonly [string, string]>;
  readonly #part: MessageParts["part"];

  /** Use `fromRaw` or `fromFields`. */
  private constructor(parts: MessageParts) {
    this.#headers = parts.headers;
    this.#part = parts.part;
    this.fromEmail = parts.from;
    this.to = parts.to;
    this.cc = parts.cc;
    this.subject = parts.subject;
    this.date = parts.date;
    this.text = parts.text;
    this.html = parts.html;
    const children = parts.children.map((child) => new AnymailInboundMessage(child));
    this.attachments = [];
    this.contentIdMap = {};
    for (const child of children) {
      const cid = child.#part.contentId;
      if (cid && child.#part.inline && !Object.hasOwn(this.contentIdMap, cid)) {
        this.contentIdMap[cid] = child;
      } else this.attachments.push(child);
    }
    this.inlines = children.filter((child) => child.isInline() || child.#part.inline);
  }

  /** The spec's (8.1) name for `contentIdMap`. */
  get inlineAttachments(): Record<string, AnymailInboundMessage> {
    return this.contentIdMap;
  }

  /** Parses a raw RFC 5322 message (any charset, any transfer encoding). */
  static async fromRaw(raw: Buffer | string): Promise<AnymailInboundMessage> {
    return new AnymailInboundMessage(await parseMime(raw));
  }

  /** Builds a message from the fields an ESP already parsed (no MIME text needed). */
  static async fromFields(fields: InboundFieldsInit): Promise<AnymailInboundMessage> {
    return new AnymailInboundMessage(await fieldsToParts(fields));
  }

  /** Every header as `[name, value]`, in order, values decoded (RFC 2047). */
  get headers(): ReadonlyArray<readonly [string, string]> {
    return this.#headers;
  }

  /** The first value of a header, case-insensitively (`get("reply-to")`), or null. */
  get(name: string): string | null {
    return firstHeader(this.#headers, name);
  }

  /** Every value of a header, in order (`getAll("Received")`). */
  getAll(name: string): string[] {
    return headerValues(this.#headers, name);
  }

  /** This message or part, then every attachment below it, depth first. */
  *walk(): Generator<AnymailInboundMessage> {
    yield this;
    for (const child of [...this.attachments, ...Object.values(this.inlineAttachments)]) {
      yield* child.walk();
    }
  }

  /** `type/subtype`, lower-cased, as the sender declared it (default "text/plain"). */
  getContentType(): string {
    return splitContentType(this.#part.contentType).type || "text/plain";
  }

  /** `image` of `image/png`. */
  getContentMaintype(): string {
    return this.getContentType().split("/")[0];
  }

  /** `png` of `image/png`. */
  getContentSubtype(): string {
    return this.getContentType().split("/")[1] ?? "";
  }

  /** The declared charset, lower-cased, or null. */
  getContentCharset(): string | null {
    return splitContentType(this.#part.contentType).params.charset?.toLowerCase() ?? null;
  }

  /**
   * The sender's filename reduced to its last path component, control characters (CR, LF…)
   * turned into spaces; null without one, or when nothing usable is left ("..").
   * The raw value stays in the part's Content-Disposition/Content-Type headers.
   */
  getFilename(): string | null {
    return lastPathComponent(this.#part.filename);
  }

  /** "inline" or "attachment" (lower-cased, no parameters), or null without the header. */
  getContentDisposition(): string | null {
    return this.#part.disposition;
  }

  /** True exactly when Content-Disposition is inline. */
  isInline(): boolean {
    return this.#part.disposition === "inline";
  }

  /** The spec's (8.1) name for `isInline()`. */
  isInlineAttachment(): boolean {
    return this.isInline();
  }

  /** The Content-ID without angle brackets, or null. */
  getContentId(): string | null {
    return this.#part.contentId;
  }

  /** The content, with base64 or quoted-printable already decoded. */
  getContentBytes(): Buffer {
    return this.#part.content;
  }

  /**
   * The content as text. `charset` overrides the declared one; invalid bytes become
   * U+FFFD ("replace", the default), are dropped ("ignore"), or throw ("strict").
   */
  getContentText(charset?: string | null, errors: DecodeErrors = "replace"): string {
    return decodeBytes(this.#part.content, charset ?? this.getContentCharset(), errors);
  }

  /**
   * The counterpart of the spec's `as_uploaded_file()`: a web-standard File named after the
   * sender's filename with any directory part removed, typed with the declared content type.
   */
  asFile(): InboundFile {
    return new File([this.#part.content], safeFilename(this.#part.filename), {
      type: this.getContentType(),
    });
  }
}
