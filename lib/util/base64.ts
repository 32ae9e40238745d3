/**
 * @module
 * Strict base64 decoding for webhook payloads: Buffer.from(…, "base64") silently skips
 * characters that are not base64, so garbage would decode to garbage instead of a 400.
 */

// 1 for the base64 alphabet, 2 for whitespace (MIME folds base64 into lines)
const CLASS = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
  CLASS[c.charCodeAt(0)] = 1;
}
for (const c of " \t\r\n\f\v") CLASS[c.charCodeAt(0)] = 2;

/** True when `text` is base64 (optionally folded with whitespace, up to two `=` of padding). */
export function isBase64(text: string): boolean {
  let i = 0;
  const n = text.length;
  // a table lookup per character: far cheaper than a regex on multi-MiB attachments
  for (; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || CLASS[code] === 0) break;
  }
  let padding = 0;
  for (; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code === 61 /* = */ && ++padding <= 2) continue;
    if (code < 128 && CLASS[code] === 2) continue;
    return false;
  }
  return true;
}

/**
 * The decoded bytes, or null when `text` is not base64. (Like Node's decoder, it also
 * takes the URL-safe alphabet's `-` and `_`.)
 */
export function decodeBase64Strict(text: string): Buffer | null {
  const bytes = Buffer.from(text, "base64");
  // Node's decoder skips what it can't read. For a length that is a multiple of 4 (all
  // padded, unfolded base64), any skipped character shortens the result below the expected
  // length, so a full-length result needs no second pass over a multi-MiB attachment.
  if (text.length % 4 === 0 && bytes.length === Buffer.byteLength(text, "base64")) return bytes;
  return isBase64(text) ? bytes : null;
}
