/**
 * @module
 * Mailjet's JSON (Send API answers and webhook bodies) carries MessageIDs above 2^53 as bare
 * numbers, which `JSON.parse` rounds. Parsed once here, keeping them exact: the fast path
 * quotes every unsafe integer literal and hands the text to the native `JSON.parse`;
 * lossless-json (about 7x slower) runs only when that cannot decide.
 */
import { parseJsonLossless } from "../../util/lossless-json.js";

/**
 * An integer literal of 16 or more digits where a JSON value starts (after `:`, `,` or `[`),
 * not part of a decimal or exponent. Inside a string the same text may occur; quoting it there
 * always breaks the JSON (a string followed directly by a number), so the fallback sees it.
 */
const BIG_INTEGER = /([:,[]\s*)(-?[1-9]\d{15,})(?![\d.eE])/g;

/**
 * Parses JSON like `JSON.parse`, except that an integer outside ±(2^53 − 1) becomes a string
 * of its exact digits (as `parseJsonLossless` does). Throws SyntaxError on bad JSON.
 *
 * @example
 * parseBigJson('{"MessageID": 1152921519812251571}') // { MessageID: "1152921519812251571" }
 */
export function parseBigJson(text: string): unknown {
  let quoted = false;
  const rewritten = text.replace(BIG_INTEGER, (match, lead: string, digits: string) => {
    if (Number.isSafeInteger(Number(digits))) return match;
    quoted = true;
    return `${lead}"${digits}"`;
  });
  if (!quoted) return JSON.parse(text);
  try {
    return JSON.parse(rewritten);
  } catch {
    // a quoted number inside a string, or bad JSON: let the exact parser decide
    return parseJsonLossless(text);
  }
}
