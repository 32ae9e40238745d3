/**
 * @module
 * Mailjet's JSON (Send API answers and webhook bodies) carries MessageIDs above 2^53 as bare
 * numbers, which `JSON.parse` rounds. Parsed once here, keeping them exact: the fast path
 * quotes every unsafe integer literal and hands the text to the native `JSON.parse`;
 * lossless-json (about 7x slower) runs only when that cannot decide.
 */
import { parseJsonLossless } from "../../util/lossless-json.js";
import { utf8Text } from "../../util/text.js";

/** Shortest digit run that can be an unsafe integer (2^53 has 16 digits). */
const MIN_DIGITS = 16;

/** 2^53 − 1 as ASCII digits (16 of them). */
const MAX_SAFE = Buffer.from(String(Number.MAX_SAFE_INTEGER));

// an index past either end reads undefined, which is no digit
function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

// JSON's own whitespace: anything else before a number outside a string is bad JSON, which
// the native parser refuses whether or not the number was quoted
function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Where the unsafe integer literals of the UTF-8 `bytes` are, as [start, end) pairs: an
 * integer of 16 or more digits (not starting with 0, optionally negative) where a JSON value
 * starts (after `:`, `,` or `[`), not part of a decimal or exponent, above 2^53 − 1. Every
 * byte of a multi-byte character is ≥ 0x80, so ASCII structure reads the same as in text.
 * Inside a string the same digits may occur; quoting them there always breaks the JSON (a
 * string followed directly by a number), so the fallback sees it. A run of 16 digits covers
 * one of every 16th byte, so only those are looked at (issue #19: a regex over the whole text
 * cost as much as the parse).
 */
function unsafeIntegers(bytes: Buffer): number[] {
  const found: number[] = [];
  const length = bytes.length;
  let scanned = 0; // the end of the last run examined: runs are looked at once
  for (let probe = MIN_DIGITS - 1; probe < length; probe += MIN_DIGITS) {
    if (probe < scanned || !isDigit(bytes[probe])) continue;
    // a run of 16 through the probe reaches 8 before it or 8 after it: most short runs
    // (timestamps, small ids) are dismissed without walking them
    if (!isDigit(bytes[probe - 8]) && !isDigit(bytes[probe + 8])) continue;
    let start = probe;
    while (isDigit(bytes[start - 1])) start--;
    let end = probe + 1;
    while (isDigit(bytes[end])) end++;
    scanned = end;
    const digits = end - start;
    if (digits < MIN_DIGITS || bytes[start] === 0x30) continue;
    const next = bytes[end];
    if (next === 0x2e || next === 0x65 || next === 0x45) continue; // . e E
    let before = start - 1;
    const negative = bytes[before] === 0x2d;
    if (negative) before--;
    while (isJsonSpace(bytes[before])) before--;
    const lead = bytes[before];
    if (lead !== 0x3a && lead !== 0x2c && lead !== 0x5b) continue; // : , [
    // 16 digits are compared as text: Number() of 16+ digits takes V8's slow path
    if (digits === MAX_SAFE.length && bytes.compare(MAX_SAFE, 0, digits, start, end) <= 0) {
      continue;
    }
    found.push(negative ? start - 1 : start, end);
  }
  return found;
}

/** `text` with a double quote around each span. */
function quotedText(text: string, spans: number[]): string {
  let result = "";
  let from = 0;
  for (let i = 0; i < spans.length; i += 2) {
    result += `${text.slice(from, spans[i])}"${text.slice(spans[i], spans[i + 1])}"`;
    from = spans[i + 1];
  }
  return result + text.slice(from);
}

/**
 * Where {@link quotedBytesText} writes, kept between calls. A new Buffer past the 4 KiB pool
 * is an ArrayBuffer of its own, freed only by a garbage collection: one per request cost the
 * server ~20 µs of CPU time a 50-event request under load (issue #19; the Mailjet x50 ratio
 * went from 0.84 to 0.90–0.92 over four alternating runs each), though a loop in one process
 * could not tell the two apart. Bodies over {@link MAX_SCRATCH} get a Buffer of their own.
 */
let scratch = Buffer.allocUnsafe(0);
const MIN_SCRATCH = 64 * 1024;
const MAX_SCRATCH = 1024 * 1024;

/**
 * The text of `bytes` with a double quote around each span: one copy, then each piece moved
 * right within it, last first (`Buffer.copy` per piece makes a typed-array view per call).
 * Every byte of the result's length is written, so nothing of an earlier body shows through.
 */
function quotedBytesText(bytes: Buffer, spans: number[]): string {
  const size = bytes.length + spans.length;
  let out = scratch;
  if (out.length < size) {
    out = Buffer.allocUnsafe(Math.max(size, MIN_SCRATCH));
    if (out.length <= MAX_SCRATCH) scratch = out;
  }
  out.set(bytes, 0);
  let end = bytes.length; // the original end of the piece after the current span
  for (let i = spans.length - 2; i >= 0; i -= 2) {
    const start = spans[i];
    const stop = spans[i + 1];
    // i quotes precede this span, i + 2 precede what follows it
    out.copyWithin(stop + i + 2, stop, end);
    out[stop + i + 1] = 0x22;
    out.copyWithin(start + i + 1, start, stop);
    out[start + i] = 0x22;
    end = start;
  }
  return utf8Text(out.subarray(0, size));
}

/**
 * Parses JSON like `JSON.parse`, except that an integer outside ±(2^53 − 1) becomes a string
 * of its exact digits (as `parseJsonLossless` does). Throws SyntaxError on bad JSON. Given
 * the raw bytes of a large body, the rewrite happens on the bytes, so the text is built once:
 * a string of hundreds of KB lives in V8's large-object space, where each one costs ~0.4 ms.
 *
 * @example
 * parseBigJson('{"MessageID": 1152921519812251571}') // { MessageID: "1152921519812251571" }
 */
export function parseBigJson(input: string | Buffer): unknown {
  const bytes = typeof input === "string" ? Buffer.from(input) : input;
  const spans = unsafeIntegers(bytes);
  if (spans.length === 0) return JSON.parse(textOf(input));
  try {
    // an ASCII text (a Send API answer) has its byte offsets as string offsets: quoting the
    // text itself costs less than a byte copy decoded back (about 2 µs on a 1 KB answer)
    return JSON.parse(
      typeof input === "string" && input.length === bytes.length
        ? quotedText(input, spans)
        : quotedBytesText(bytes, spans),
    );
  } catch {
    // a quoted number inside a string, or bad JSON: let the exact parser decide
    return parseJsonLossless(textOf(input));
  }
}

// (a function, not a closure over the input: with the closure this function measured about
// 1 µs slower a call in a micro-benchmark)
function textOf(input: string | Buffer): string {
  return typeof input === "string" ? input : utf8Text(input);
}
