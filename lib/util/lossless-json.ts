/**
 * @module
 * JSON parsing that keeps big integers exact. Some ESPs send ids above 2^53 as bare JSON
 * numbers, which `JSON.parse` silently rounds; here they become strings of their digits.
 */
import type * as LosslessJson from "lossless-json";
import { lazyRequire } from "./lazy-require.js";

// the fallback parser of a rare case (parseBigJson): loaded when first needed
const loadLossless = lazyRequire<typeof LosslessJson>("lossless-json");

/** An integer literal a double cannot hold stays its digits; any other number is a double. */
function parseNumber(literal: string): number | string {
  const { isInteger, isSafeNumber } = loadLossless();
  return isInteger(literal) && !isSafeNumber(literal) ? literal : Number(literal);
}

/**
 * Parses JSON like `JSON.parse`, except that an integer outside ±(2^53 − 1) is returned as
 * a string of its exact digits rather than a rounded number. A repeated key keeps its last
 * value and `"__proto__"` stays an own property, as with `JSON.parse`. Throws SyntaxError
 * on bad JSON.
 *
 * @example
 * parseJsonLossless('{"MessageID": 1152921519812251571}') // { MessageID: "1152921519812251571" }
 */
export function parseJsonLossless(text: string): unknown {
  return loadLossless().parse(text, null, {
    parseNumber,
    onDuplicateKey: ({ newValue }) => newValue,
  });
}
