/**
 * @module
 * Bytes to text for webhook bodies, which are nearly always ASCII (JSON escapes, percent-
 * encoding, base64 attachments).
 */
import { isAscii } from "node:buffer";

/**
 * The bytes decoded as UTF-8 (malformed sequences become U+FFFD, as `toString("utf8")` does).
 * ASCII bytes read the same in Latin-1, whose decoding is a plain copy: on a 1 MiB body that
 * is ~0.4 ms against ~1.5 ms for V8's UTF-8 decoder, and the check costs ~40 µs.
 */
export function utf8Text(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}
