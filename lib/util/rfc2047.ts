/**
 * @module
 * Decodes RFC 2047 encoded-words in a header value, as SES reports the headers of a sent
 * message verbatim (a non-ASCII X-Tag or X-Metadata was sent encoded).
 */
import iconv from "iconv-lite";

const ENCODED_WORD = /=\?([^?*]+)(?:\*[^?]*)?\?([BbQq])\?([^?]*)\?=/g;
// whitespace between two adjacent encoded-words is not part of the text (RFC 2047 §6.2)
const BETWEEN_WORDS = /(\?=)\s+(?==\?)/g;

/** The header value with every encoded-word decoded; unknown charsets stay as they are. */
export function decodeHeaderWords(value: string): string {
  if (!value.includes("=?")) return value;
  return value
    .replace(BETWEEN_WORDS, "$1")
    .replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
      if (!iconv.encodingExists(charset)) return word;
      const bytes =
        encoding.toUpperCase() === "B"
          ? Buffer.from(text, "base64")
          : Buffer.from(
              text
                .replace(/_/g, " ")
                .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
                  String.fromCharCode(parseInt(hex, 16)),
                ),
              "latin1",
            );
      return iconv.decode(bytes, charset);
    });
}
