/**
 * @module
 * Internationalized domain names for sending: IDNA 2008 with UTS #46 processing, as
 * django-anymail 14+ does (Python's `idna.encode(domain, uts46=True)`). tr46 does the UTS #46
 * mapping (case folding, normalization, bidi, joiners, hyphens, lengths); on top, every code
 * point of every label must be one IDNA 2008 allows (RFC 5892), which UTS #46 alone does not
 * check: symbols and emoji are refused, as IDNA 2008 refuses them.
 */
import type tr46 from "tr46";
import { lazyRequire } from "./lazy-require.js";

// loaded by the first non-ASCII domain only
const loadTr46 = lazyRequire<typeof tr46>("tr46");

const PROCESSING = {
  checkBidi: true,
  checkHyphens: true,
  checkJoiners: true,
  useSTD3ASCIIRules: true,
  transitionalProcessing: false,
} as const;

// RFC 5892 LetterDigits (Ll Lo Lm Mn Mc Nd), the hyphen, and the CONTEXTJ/CONTEXTO code
// points (joiners, middle dot, Greek keraia, Hebrew geresh/gershayim, katakana middle dot,
// Arabic-Indic digits); tr46's checkJoiners covers the joiners' context rules.
const IDNA2008_LABEL =
  /^(?:[\p{Ll}\p{Lo}\p{Lm}\p{Mn}\p{Mc}\p{Nd}\-\u00b7\u0375\u05f3\u05f4\u30fb]|\u200c|\u200d)+$/u;

const ASCII = /^\p{ASCII}*$/u;

/** RFC 5892 appendix A: where the CONTEXTO code points may stand. */
function contextOk(label: string): boolean {
  const chars = [...label];
  return (
    chars.every((ch, i) => {
      switch (ch) {
        case "\u00b7": // middle dot: only in "l·l" (Catalan)
          return chars[i - 1] === "l" && chars[i + 1] === "l";
        case "\u0375": // Greek keraia: before a Greek letter
          return /\p{Script=Greek}/u.test(chars[i + 1] ?? "");
        case "\u05f3":
        case "\u05f4": // Hebrew geresh/gershayim: after a Hebrew letter
          return /\p{Script=Hebrew}/u.test(chars[i - 1] ?? "");
        case "\u30fb": // katakana middle dot: in a Japanese label
          return /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(
            label.replace(/\u30fb/g, ""),
          );
        default:
          return true;
      }
    }) && !(/[\u0660-\u0669]/.test(label) && /[\u06f0-\u06f9]/.test(label))
  );
}

/** True when `domain` has a character beyond ASCII: only such a domain has an A-label form to find. */
export function needsIdna(domain: string): boolean {
  return !ASCII.test(domain);
}

/**
 * The A-label (Punycode) form of a domain, or null when IDNA 2008 refuses it. An ASCII
 * domain is returned unchanged.
 *
 * @example
 * idnaEncode("Bücher.example") // "xn--bcher-kva.example"
 * idnaEncode("👍.example")     // null
 */
export function idnaEncode(domain: string): string | null {
  if (!needsIdna(domain)) return domain;
  const tr46 = loadTr46();
  const { domain: unicode, error } = tr46.toUnicode(domain, PROCESSING);
  if (error) return null;
  for (const label of unicode.split(".")) {
    if (ASCII.test(label)) continue;
    if (!IDNA2008_LABEL.test(label) || !contextOk(label)) return null;
  }
  return tr46.toASCII(domain, { ...PROCESSING, verifyDNSLength: true });
}
