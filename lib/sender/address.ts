/**
 * @module
 * RFC 5322 address parsing and formatting. Strict where it matters: an unquoted display
 * name containing a comma is an error, never a silently truncated address.
 */
import { AnymailInvalidAddress } from "../errors.js";
import { encodeMimeWords, isPrintableAscii } from "../util/mime-words.js";

/** An address given by the caller: a string (may hold several, comma-separated) or an object. */
export type AddressInput = string | { name?: string | null; address: string };
export type AddressListInput = AddressInput | readonly AddressInput[];

// Characters that force a display name into quotes (RFC 5322 "specials").
const SPECIALS = /[()<>[\]:;@\\,."]/;

/** One parsed email address. */
export class EmailAddress {
  /** `user@example.com` */
  readonly addrSpec: string;
  /** The display name, "" when none. */
  readonly displayName: string;

  constructor(addrSpec: string, displayName = "") {
    this.addrSpec = addrSpec;
    this.displayName = displayName;
  }

  /** The part before the last `@`. */
  get username(): string {
    const at = this.addrSpec.lastIndexOf("@");
    return at < 0 ? this.addrSpec : this.addrSpec.slice(0, at);
  }

  /** The part after the last `@`. */
  get domain(): string {
    const at = this.addrSpec.lastIndexOf("@");
    return at < 0 ? "" : this.addrSpec.slice(at + 1);
  }

  #address?: string;

  /** The full address, `Display Name <user@example.com>`, quoting the name when needed. */
  get address(): string {
    return (this.#address ??= formatAddress(this.displayName, this.addrSpec));
  }

  toString(): string {
    return this.address;
  }

  toJSON(): string {
    return this.address;
  }
}

/** Formats a display name and addr-spec as RFC 5322 text. */
export function formatAddress(displayName: string, addrSpec: string): string {
  if (!displayName) return addrSpec;
  const name = SPECIALS.test(displayName)
    ? `"${displayName.replace(/(["\\])/g, "\\$1")}"`
    : displayName;
  return `${name} <${addrSpec}>`;
}

function invalid(input: string, field: string, why: string): AnymailInvalidAddress {
  return new AnymailInvalidAddress(
    `Invalid email address "${input}" in ${field}: ${why}. ` +
      `(A display name containing a comma or parentheses must be double-quoted.)`,
  );
}

// what can make a comma not separate addresses (or hide one): quotes, comments, escapes
const LIST_SYNTAX = /[,"(\\]/;

/** Splits an address list on commas that are outside quotes, angle brackets and comments. */
function splitAddressList(text: string): string[] {
  if (!LIST_SYNTAX.test(text)) {
    // one address, the common case: no character-by-character walk
    const single = text.trim();
    return single ? [single] : [];
  }
  const parts: string[] = [];
  let current = "";
  let inQuotes = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && (inQuotes || comment > 0) && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '"' && comment === 0) inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (ch === "(") comment++;
      else if (ch === ")" && comment > 0) comment--;
      else if (ch === "<" && comment === 0) angle++;
      else if (ch === ">" && comment === 0 && angle > 0) angle--;
      else if (ch === "," && angle === 0 && comment === 0) {
        parts.push(current);
        current = "";
        continue;
      }
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

// a local part or domain without quotes: none of what ends or separates an address
const LOCAL_OR_DOMAIN = String.raw`[^\s@<>()",;:\\[\]]+`;
const ADDR_SPEC = new RegExp(`^${LOCAL_OR_DOMAIN}@${LOCAL_OR_DOMAIN}$`);
const QUOTED_LOCAL_ADDR_SPEC = new RegExp(String.raw`^"(?:[^"\\]|\\.)*"@${LOCAL_OR_DOMAIN}$`);

function checkAddrSpec(addrSpec: string, input: string, field: string): string {
  if (!ADDR_SPEC.test(addrSpec) && !QUOTED_LOCAL_ADDR_SPEC.test(addrSpec)) {
    throw invalid(input, field, "not a valid addr-spec");
  }
  const domain = addrSpec.slice(addrSpec.lastIndexOf("@") + 1);
  if (domain.startsWith(".") || domain.endsWith(".") || domain.includes("..")) {
    throw invalid(input, field, "malformed domain");
  }
  return addrSpec;
}

function unquote(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/\\(.)/g, "$1");
  }
  return trimmed;
}

/** Parses one address (exactly one) from text. */
function parseOne(text: string, field: string): EmailAddress {
  const angleStart = text.lastIndexOf("<");
  if (angleStart >= 0) {
    if (!text.endsWith(">")) throw invalid(text, field, "text after the closing '>'");
    const addrSpec = checkAddrSpec(text.slice(angleStart + 1, -1).trim(), text, field);
    const rawName = text.slice(0, angleStart).trim();
    const quoted = rawName.startsWith('"') && rawName.endsWith('"') && rawName.length >= 2;
    if (!quoted && /[<>@,;:\\"[\]]/.test(rawName)) {
      throw invalid(text, field, "unquoted special characters in the display name");
    }
    return new EmailAddress(addrSpec, unquote(rawName));
  }
  // `user@example.com (Display Name)`: the old comment form
  const comment = /^(\S+)\s*\((.*)\)$/.exec(text);
  if (comment) return new EmailAddress(checkAddrSpec(comment[1], text, field), comment[2].trim());
  return new EmailAddress(checkAddrSpec(text, text, field));
}

// one address as nearly every caller writes it, `user@example.com` or `Name <user@example.com>`,
// with nothing a full parse would treat differently (no quotes, comments, commas or escapes):
// read with one match, to the same EmailAddress the full parse would give
// (its domain is dot-separated labels: a malformed one takes the full parse, which names the fault)
const LABEL = String.raw`[^\s@<>()",;:\\[\].]+`;
const SIMPLE_ADDR_SPEC = `${LOCAL_OR_DOMAIN}@${LABEL}(?:\\.${LABEL})*`;
const SIMPLE_ADDRESS = new RegExp(
  String.raw`^\s*(?:([^<>@,;:\\"()[\]]*?)\s*<(${SIMPLE_ADDR_SPEC})>|(${SIMPLE_ADDR_SPEC}))\s*$`,
);

function parseSimple(text: string): EmailAddress | undefined {
  const match = SIMPLE_ADDRESS.exec(text);
  return match ? new EmailAddress(match[2] ?? match[3], match[1] ?? "") : undefined;
}

/** Parses an address list (strings may hold several comma-separated addresses). */
export function parseAddressList(
  input: AddressListInput | null | undefined,
  field = "address",
): EmailAddress[] {
  if (input === null || input === undefined) return [];
  const items: readonly AddressInput[] = Array.isArray(input) ? input : [input as AddressInput];
  const result: EmailAddress[] = [];
  for (const item of items) {
    if (typeof item === "string") {
      const simple = parseSimple(item);
      if (simple) {
        result.push(simple);
        continue;
      }
      const parts = splitAddressList(item);
      if (parts.length === 0 && item.trim() !== "") throw invalid(item, field, "empty address");
      for (const part of parts) result.push(parseOne(part, field));
    } else if (item instanceof EmailAddress) {
      result.push(item);
    } else if (item && typeof item === "object" && typeof item.address === "string") {
      const addrSpec = checkAddrSpec(item.address.trim(), item.address, field);
      result.push(new EmailAddress(addrSpec, (item.name ?? "").trim()));
    } else {
      throw new AnymailInvalidAddress(`Invalid email address in ${field}: ${String(item)}`);
    }
  }
  return result;
}

/** Parses exactly one address; more than one, or none, is an error. */
export function parseSingleAddress(input: AddressInput, field = "address"): EmailAddress {
  const list = parseAddressList(input, field);
  if (list.length !== 1) {
    throw new AnymailInvalidAddress(
      `Expected exactly one email address in ${field}, got ${list.length}`,
    );
  }
  return list[0];
}

/** An address as most JSON APIs take it: `{ email, name }`, without `name` when there is none. */
export function emailAndName(address: EmailAddress): { email: string; name?: string } {
  return address.displayName
    ? { email: address.addrSpec, name: address.displayName }
    : { email: address.addrSpec };
}

/**
 * An address for a header anymail writes itself (`Name <addr>`): a display name that is not
 * printable ASCII is RFC 2047-encoded, as raw header text must be.
 */
export function encodedAddress(address: EmailAddress): string {
  if (isPrintableAscii(address.displayName)) return address.address;
  return formatAddress(encodeMimeWords(address.displayName), address.addrSpec);
}
