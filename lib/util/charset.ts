/**
 * @module
 * Bytes → text in any charset, through iconv-lite: Node 20's TextDecoder maps windows-1252
 * 0x80–0x9F to C1 controls (0x80 → U+0080, not €), and knows few legacy charsets.
 */
import type iconvLite from "iconv-lite";
import { lazyRequire } from "./lazy-require.js";

// iconv-lite's tables load with the first decode, not with every process
const loadIconv = lazyRequire<typeof iconvLite>("iconv-lite");

/** What to do with bytes that are invalid in the charset (Python's `errors`). */
export type DecodeErrors = "replace" | "strict" | "ignore";

/** The charset names mail uses that iconv-lite spells differently. */
const ALIASES: Record<string, string> = {
  "x-sjis": "shift_jis",
  "x-user-defined": "windows-1252",
  "ks_c_5601-1987": "cp949",
  "unicode-1-1-utf-7": "utf7",
};

/** Decodes bytes; an unknown or missing charset decodes as UTF-8. */
export function decodeBytes(
  bytes: Buffer,
  charset?: string | null,
  errors: DecodeErrors = "replace",
): string {
  const iconv = loadIconv();
  let name = (charset ?? "").trim().toLowerCase() || "utf-8";
  name = ALIASES[name] ?? name;
  if (name === "us-ascii" || name === "ascii") name = "windows-1252";
  if (!iconv.encodingExists(name)) name = "utf-8";
  if (errors === "strict") {
    if (/^utf-?8$/.test(name)) return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const text = iconv.decode(bytes, name);
    if (text.includes("\uFFFD") && !iconv.encode(text, name).equals(bytes)) {
      throw new RangeError(`bytes are not valid ${name}`);
    }
    return text;
  }
  const text = iconv.decode(bytes, name);
  return errors === "ignore" ? text.replace(/\uFFFD/g, "") : text;
}
