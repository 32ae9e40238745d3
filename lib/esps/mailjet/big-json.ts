/**
 * @module
 * Mailjet's JSON (Send API answers and webhook bodies) carries MessageIDs above 2^53 as bare
 * numbers, which `JSON.parse` rounds. Parsed once here, keeping them exact: the fast path
 * quotes every unsafe integer literal and hands the text to the native `JSON.parse`;
 * lossless-json (about 7x slower) runs only when that cannot decide.
 */
import { parseJsonLossless } from "../../util/lossless-json.js";

/** Shortest digit run that can be an unsafe integer (2^53 has 16 digits). */
const MIN_DIGITS = 16;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

// what a regex's \s matches, so the scan decides exactly as the pattern it replaced
// (`([:,[]\s*)(-?[1-9]\d{15,})(?![\d.eE])`); JSON's own whitespace comes first
function isSpace(code: number): boolean {
  if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) return true;
  return (code === 0x0b || code === 0x0c || code > 0x7f) && /\s/.test(String.fromCharCode(code));
}

const MAX_SAFE = String(Number.MAX_SAFE_INTEGER); // 16 digits

/**
 * Whether the digits text[start, end) (no leading zero) are at most 2^53 − 1, compared as
 * text: converting 16+ digits with Number() takes V8's slow path, a microsecond each.
 */
function isSafeDigits(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length !== MAX_SAFE.length) return length < MAX_SAFE.length;
  return text.slice(start, end) <= MAX_SAFE;
}

/**
 * Where the unsafe integer literals of `text` are, as [start, end) pairs: an integer of 16 or
 * more digits (not starting with 0, optionally negative) where a JSON value starts (after
 * `:`, `,` or `[`), not part of a decimal or exponent. Inside a string the same text may
 * occur; quoting it there always breaks the JSON (a string followed directly by a number), so
 * the fallback sees it. A run of 16 digits covers one of every 16th character, so only those
 * are looked at (issue #19: a regex over the whole text cost as much as the parse).
 */
function unsafeIntegers(text: string): number[] {
  const found: number[] = [];
  const length = text.length;
  let scanned = 0; // the end of the last run examined: runs are looked at once
  for (let probe = MIN_DIGITS - 1; probe < length; probe += MIN_DIGITS) {
    if (probe < scanned || !isDigit(text.charCodeAt(probe))) continue;
    // a run of 16 through the probe reaches 8 before it or 8 after it: most short runs
    // (timestamps, small ids) are dismissed without walking them
    if (!isDigit(text.charCodeAt(probe - 8)) && !isDigit(text.charCodeAt(probe + 8))) continue;
    let start = probe;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    let end = probe + 1;
    while (end < length && isDigit(text.charCodeAt(end))) end++;
    scanned = end;
    if (end - start < MIN_DIGITS || text.charCodeAt(start) === 0x30) continue;
    const next = text.charCodeAt(end); // NaN past the end
    if (next === 0x2e || next === 0x65 || next === 0x45) continue; // . e E
    let before = start - 1;
    const negative = text.charCodeAt(before) === 0x2d;
    if (negative) before--;
    while (before >= 0 && isSpace(text.charCodeAt(before))) before--;
    const lead = text.charCodeAt(before);
    if (lead !== 0x3a && lead !== 0x2c && lead !== 0x5b) continue; // : , [
    if (isSafeDigits(text, start, end)) continue;
    found.push(negative ? start - 1 : start, end);
  }
  return found;
}

/**
 * Parses JSON like `JSON.parse`, except that an integer outside ±(2^53 − 1) becomes a string
 * of its exact digits (as `parseJsonLossless` does). Throws SyntaxError on bad JSON.
 *
 * @example
 * parseBigJson('{"MessageID": 1152921519812251571}') // { MessageID: "1152921519812251571" }
 */
export function parseBigJson(text: string): unknown {
  const spans = unsafeIntegers(text);
  if (spans.length === 0) return JSON.parse(text);
  let rewritten = "";
  let from = 0;
  for (let i = 0; i < spans.length; i += 2) {
    rewritten += `${text.slice(from, spans[i])}"${text.slice(spans[i], spans[i + 1])}"`;
    from = spans[i + 1];
  }
  rewritten += text.slice(from);
  try {
    return JSON.parse(rewritten);
  } catch {
    // a quoted number inside a string, or bad JSON: let the exact parser decide
    return parseJsonLossless(text);
  }
}
