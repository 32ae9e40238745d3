/**
 * @module
 * Fetching attachment content from a URL (`href`), kept inside a size limit, a deadline and
 * an allow-list of schemes; data: URIs are decoded in place.
 */
import { AnymailError } from "../errors.js";

/** How `href` (and `path: "https://…"`) content may be fetched. */
export interface UrlAccessOptions {
  /** Largest body accepted from one URL, in bytes. @default 10 MiB */
  maxBytes?: number;
  /** Milliseconds for the whole fetch, body included. @default 30 000 */
  timeoutMs?: number;
  /** URL schemes allowed. @default ["https:"] */
  protocols?: string[];
}

export const DEFAULT_URL_ACCESS: Required<UrlAccessOptions> = {
  maxBytes: 10 * 1024 * 1024,
  timeoutMs: 30_000,
  protocols: ["https:"],
};

/** A URL for messages: no query or fragment, which may hold signed-URL secrets. */
export function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** What may be fetched: the URL limits, and whether URLs are allowed at all. */
export interface UrlAccess {
  url: Required<UrlAccessOptions>;
  noUrls: boolean;
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
  access: UrlAccess,
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
