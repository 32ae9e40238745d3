/**
 * @module
 * RFC 2047 encoded words in header values (`=?iso-8859-1?q?caf=E9?=`), in any charset.
 */
import type mimeFuncs from "nodemailer/lib/mime-funcs/index.js";
import { decodeBytes } from "./charset.js";
import { lazyRequire } from "./lazy-require.js";

// loaded with the first header that needs encoding, not with import("anymail")
const loadMimeFuncs = lazyRequire<typeof mimeFuncs>("nodemailer/lib/mime-funcs/index.js");

const WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/y;

function qBytes(data: string): Buffer {
  const text = data.replace(/_/g, " ");
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === "=" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

/**
 * Decodes every encoded word. Whitespace between two encoded words is dropped (RFC 2047
 * §6.2), and adjacent words in one charset are joined as bytes first, so a multi-byte
 * character split across two words survives.
 */
export function decodeMimeWords(value: string): string {
  let out = "";
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  let gap = "";
  const flush = () => {
    if (pending) out += decodeBytes(Buffer.concat(pending.bytes), pending.charset);
    pending = null;
  };
  let i = 0;
  while (i < value.length) {
    WORD.lastIndex = i;
    const match = WORD.exec(value);
    if (match) {
      // RFC 2231 allows a language after '*': =?utf-8*en?q?…?=
      const charset = match[1].split("*")[0].toLowerCase();
      const bytes =
        match[2].toUpperCase() === "B" ? Buffer.from(match[3], "base64") : qBytes(match[3]);
      if (pending && pending.charset === charset) pending.bytes.push(bytes);
      else {
        flush();
        pending = { charset, bytes: [bytes] };
      }
      gap = "";
      i = WORD.lastIndex;
      continue;
    }
    const ch = value[i++];
    if (pending && /[ \t\r\n]/.test(ch)) {
      gap += ch;
      continue;
    }
    flush();
    out += gap + ch;
    gap = "";
  }
  flush();
  return out + gap;
}

/** True when a header value is printable ASCII only (needs no encoded words). */
export function isPrintableAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

/**
 * A display name as RFC 2047 encoded words (UTF-8, base64) when it is not printable ASCII;
 * printable ASCII is returned as is. For APIs that take a name field and mishandle Unicode.
 *
 * @example
 * encodeMimeWords("Jürgen, Müller") // "=?UTF-8?B?SsO8cmdlbiwgTcO8bGxlcg==?="
 */
export function encodeMimeWords(value: string): string {
  if (isPrintableAscii(value)) return value;
  return loadMimeFuncs().encodeWords(value, "B", 52);
}
