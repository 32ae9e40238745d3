/**
 * @module
 * JSON parsing that keeps big integers exact. Some ESPs send ids above 2^53 as bare JSON
 * numbers, which `JSON.parse` silently rounds; here they become strings of their digits.
 */

const SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length;
const LONG_DIGITS = new RegExp(`\\d{${SAFE_DIGITS},}`);
const NUMBER_CHAR = /[0-9eE.+-]/;

/** True for an integer literal (no fraction or exponent) that a double cannot hold exactly. */
function isUnsafeInteger(literal: string): boolean {
  if (!/^-?\d+$/.test(literal)) return false;
  const digits = literal.replace(/^-/, "").replace(/^0+(?=\d)/, "");
  return digits.length >= SAFE_DIGITS && !Number.isSafeInteger(Number(literal));
}

/**
 * Parses JSON like `JSON.parse`, except that an integer outside ±(2^53 − 1) is returned as
 * a string of its exact digits rather than a rounded number. Throws SyntaxError on bad JSON.
 *
 * @example
 * parseJsonLossless('{"MessageID": 1152921519812251571}') // { MessageID: "1152921519812251571" }
 */
export function parseJsonLossless(text: string): unknown {
  // no run of SAFE_DIGITS digits anywhere: nothing can be rounded
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  let quoted = "";
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = stringEnd(text, i + 1);
    } else if (ch === "-" || (ch >= "0" && ch <= "9")) {
      let end = i + 1;
      while (end < text.length && NUMBER_CHAR.test(text[end])) end++;
      const literal = text.slice(i, end);
      if (isUnsafeInteger(literal)) {
        quoted += `${text.slice(last, i)}"${literal}"`;
        last = end;
      }
      i = end;
    } else {
      i++;
    }
  }
  return JSON.parse(last === 0 ? text : quoted + text.slice(last));
}

/** The index just past the closing quote of a string whose body starts at `from`. */
function stringEnd(text: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote < 0) return text.length; // unterminated: JSON.parse reports it
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === "\\") backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}
