/**
 * @module
 * Loads the content nodemailer lets a caller give in several forms (a string, bytes, a
 * stream, `{ path }`, `{ href }`, a data: URI), with URL fetches kept inside a size limit
 * and a deadline.
 */
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { AnymailError } from "../errors.js";
import { DEFAULT_URL_ACCESS, fetchUrl, safeUrl, type UrlAccessOptions } from "../util/fetch-url.js";

export { DEFAULT_URL_ACCESS, fetchUrl, safeUrl, type UrlAccessOptions };

/** What the transport may read besides inline content (nodemailer's own switches included). */
export interface ContentAccess {
  url: Required<UrlAccessOptions>;
  /** nodemailer's `disableFileAccess` */
  noFiles: boolean;
  /** nodemailer's `disableUrlAccess` */
  noUrls: boolean;
}

/** A file path or URL: a string, a WHATWG URL, or a legacy `url.parse()` object. */
export type PathInput = string | { href?: string | null };

/** The path or URL as a string. */
export function pathString(path: PathInput): string {
  return typeof path === "string" ? path : (path.href ?? "");
}

/** Content as nodemailer accepts it for text, html, alternatives and attachments. */
export type NodemailerContent =
  | string
  | Buffer
  | Uint8Array
  | Readable
  | {
      content?: string | Buffer | Uint8Array | Readable;
      path?: PathInput;
      href?: string;
      httpHeaders?: Record<string, string>;
      encoding?: string;
    };

/** True for `path` values nodemailer treats as a URL rather than a file. */
export function isUrlPath(path: string): boolean {
  return /^(https?|data):/i.test(path);
}

async function readAll(stream: Readable, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array | string));
  } catch (error) {
    throw new AnymailError(`${what}: cannot read its stream`, { cause: error });
  }
  return Buffer.concat(chunks);
}

/**
 * Loads a text or html body, or an alternative's content, as a string. Files are read only
 * when file access is allowed; URLs within the URL limits.
 */
export async function loadText(
  value: NodemailerContent,
  access: ContentAccess,
  what: string,
): Promise<string> {
  if (typeof value === "string") return value;
  if (value instanceof Readable) return (await readAll(value, what)).toString("utf8");
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  const encoding = (value.encoding ?? "utf8") as BufferEncoding;
  if (value.content !== undefined) {
    return typeof value.content === "string"
      ? Buffer.from(value.content, encoding).toString("utf8")
      : loadText(value.content, access, what);
  }
  const href = value.href ?? (value.path !== undefined ? pathString(value.path) : undefined);
  if (href === undefined) throw new AnymailError(`${what}: no content, path or href`);
  if (value.href !== undefined || isUrlPath(href)) {
    return (await fetchUrl(href, access, what, value.httpHeaders)).toString("utf8");
  }
  if (access.noFiles) throw new AnymailError(`${what}: file access is disabled`);
  try {
    return await readFile(href, "utf8");
  } catch (error) {
    throw new AnymailError(`${what}: cannot read ${href}`, { cause: error });
  }
}
