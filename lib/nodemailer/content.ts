/**
 * @module
 * Loads the content nodemailer lets a caller give in several forms (a string, bytes, a
 * stream, `{ path }`, `{ href }`, a data: URI), with URL fetches kept inside a size limit
 * and a deadline.
 */
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { AnymailError } from "../errors.js";

/** How the transport may fetch `href` (and `path: "https://…"`) content. */
export interface UrlAccessOptions {
  /** Largest body accepted from one URL, in bytes. @default 10 MiB */
  maxBytes?: number;
  /** Milliseconds for the whole fetch, body included. @default 30 000 */
  timeoutMs?: number;
  /** URL schemes allowed. @default ["https:"] */
  protocols?: string[];
}

/** What the transport may read besides inline content (nodemailer's own switches included). */
export interface ContentAccess {
  url: Required<UrlAccessOptions>;
  /** nodemailer's `disableFileAccess` */
  noFiles: boolean;
  /** nodemailer's `disableUrlAccess` */
  noUrls: boolean;
}

export const DEFAULT_URL_ACCESS: Required<UrlAccessOptions> = {
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 30_000,
  protocols: ["https:"],
};

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

/** A URL for messages: no query or fragment, which may hold signed-URL secrets. */
export function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** True for `path` values nodemailer treats as a URL rather than a file. */
export function isUrlPath(path: string): boolean {
  return /^(https?|data):/i.test(path);
}

/** Decodes a data: URI (`data:[type][;base64],…`). */
function decodeDataUri(uri: string, what: string): Buffer {
  const match = /^data:([^,]*),(.*)$/is.exec(uri);
  if (!match) throw new AnymailError(`${what}: malformed data: URI`);
  return /;base64$/i.test(match[1])
    ? Buffer.from(match[2], "base64")
    : Buffer.from(decodeURIComponent(match[2]), "utf8");
}

/** Fetches a URL within the size limit and deadline, allowing only the configured schemes. */
export async function fetchUrl(
  href: string,
  access: ContentAccess,
  what: string,
  headers: Record<string, string> = {},
): Promise<Buffer> {
  if (access.noUrls) throw new AnymailError(`${what}: URL access is disabled (disableUrlAccess)`);
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new AnymailError(`${what}: not a valid URL`);
  }
  if (url.protocol === "data:") return decodeDataUri(href, what);
  const { protocols, maxBytes, timeoutMs } = access.url;
  const checkScheme = (u: URL): void => {
    if (!protocols.includes(u.protocol)) {
      throw new AnymailError(
        `${what}: ${u.protocol} URLs are not allowed (${safeUrl(u)}); allowed: ${protocols.join(", ")}`,
      );
    }
  };
  checkScheme(url);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { headers, signal });
    checkScheme(new URL(response.url || href)); // a redirect must stay on an allowed scheme
    if (!response.ok) {
      await response.body?.cancel();
      throw new AnymailError(`${what}: HTTP ${response.status} from ${safeUrl(url)}`);
    }
    const declared = Number(response.headers.get("content-length"));
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new AnymailError(`${what}: ${safeUrl(url)} is larger than ${maxBytes} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        throw new AnymailError(`${what}: ${safeUrl(url)} is larger than ${maxBytes} bytes`);
      }
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  } catch (error) {
    if (error instanceof AnymailError) throw error;
    const timedOut = signal.aborted;
    throw new AnymailError(
      timedOut
        ? `${what}: fetching ${safeUrl(url)} took longer than ${timeoutMs} ms`
        : `${what}: cannot fetch ${safeUrl(url)}`,
      { cause: error },
    );
  }
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
