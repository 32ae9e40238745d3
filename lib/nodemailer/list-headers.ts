/**
 * @module
 * nodemailer's `list` option as List-* headers (RFC 2369, List-Id from RFC 2919), written
 * the way nodemailer writes them, so an ESP sends the same headers SMTP would have.
 */
// a default import: this CommonJS module's exports are not visible to Node's ESM as names
import mimeFuncs from "nodemailer/lib/mime-funcs/index.js";

/** One list URL: a URL or address, or one with a comment. */
export type ListUrl = string | { url: string; comment?: string };

/** nodemailer's `list`: `{ unsubscribe: …, help: …, id: … }`; arrays give several URLs. */
export type ListOption = Record<string, ListUrl | Array<ListUrl | ListUrl[]>>;

/** `<https://…>`, `<mailto:…>` for a bare address, `<http://…>` for anything else. */
function formatListUrl(raw: string): string {
  const url = raw.replace(/[\s<>]+/g, "");
  if (/^(https?|mailto|ftp):/.test(url)) return `<${url}>`;
  if (/^[^@]+@[^@]+$/.test(url)) return `<mailto:${url}>`;
  return `<http://${url}>`;
}

function formatComment(comment: string, quote: boolean): string {
  // one line only: a comment must not start a new header
  const line = comment.replace(/\r?\n|\r/g, " ");
  if (!mimeFuncs.isPlainText(line)) return mimeFuncs.encodeWord(line);
  return quote ? `"${line}"` : line;
}

function formatEntry(isId: boolean, entry: ListUrl): string {
  const { url, comment } = typeof entry === "string" ? { url: entry, comment: "" } : entry;
  if (!url) return "";
  if (isId) {
    // List-Id: "comment" <list.example.com>, without a scheme
    const id = formatListUrl(url).replace(/^<[^:]+:\/{0,2}/, "<");
    return comment ? `${formatComment(comment, true)} ${id}` : id;
  }
  return comment ? `${formatListUrl(url)} (${formatComment(comment, false)})` : formatListUrl(url);
}

/**
 * The List-* headers for nodemailer's `list` option. Where nodemailer would write one header
 * line per array item, the lines are joined with ", " (ESP APIs take one value per header,
 * and List-* values are comma-separated lists).
 */
export function listHeaders(list: ListOption): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [rawKey, value] of Object.entries(list)) {
    const key = rawKey.trim().toLowerCase();
    const lines = (Array.isArray(value) ? value : [value]).map((line) =>
      (Array.isArray(line) ? line : [line])
        .map((entry) => formatEntry(key === "id", entry))
        .filter(Boolean)
        .join(", "),
    );
    const joined = lines.filter(Boolean).join(", ");
    const name = key === "id" ? "List-ID" : `List-${key.charAt(0).toUpperCase()}${key.slice(1)}`;
    if (joined) headers[name] = joined;
  }
  return headers;
}
