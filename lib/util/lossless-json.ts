/**
 * @module
 * JSON parsing that keeps big integers exact. Some ESPs send ids above 2^53 as bare JSON
 * numbers, which `JSON.parse` silently rounds; here they become strings of their digits.
 */

const SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER).length;

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
  let quoted = "";
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
    } else if (ch === "-" || (ch >= "0" && ch <= "9")) {
      let end = i + 1;
      while (end < text.length && /[0-9eE.+-]/.test(text[end])) end++;
      const literal = text.slice(i, end);
      if (isUnsafeInteger(literal)) {
        quoted += `${text.slice(last, i)}"${literal}"`;
        last = end;
      }
      i = end - 1;
    }
  }
  return JSON.parse(last === 0 ? text : quoted + text.slice(last));
}
