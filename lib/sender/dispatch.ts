/**
 * @module
 * One request on an undici pool through `Dispatcher.dispatch`, the answer collected into
 * bytes by a small handler. `undici.request` does the same work and more for every call:
 * it parses the URL again, wraps the handler in an AsyncResource and hands the answer
 * over as a Readable stream that `.text()` then drains. An ESP answer is a few hundred
 * bytes read whole, so none of that buys anything here; on loopback the stream and its
 * bookkeeping cost more CPU than the rest of the send.
 */
import type { Dispatcher } from "undici";
import type { TransportRequest } from "./http.js";

/** An answer as read off the wire: status, headers as undici names them, body as text. */
export interface DispatchedResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** undici's header parser (`util.parseHeaders`): lower-case names, repeated headers as arrays. */
export type ParseHeaders = (raw: Buffer[]) => Record<string, string | string[] | undefined>;

interface Target {
  origin: string;
  path: string;
}

// a sender posts to a handful of URLs: parse each once (bounded, in case URLs vary per send)
const MAX_TARGETS = 64;

/** Origin and path of each URL one pool sends to, parsed once. */
export class Targets {
  readonly #parsed = new Map<string, Target>();

  /** Throws for a URL that is not absolute http(s), as undici.request would. */
  of(url: string): Target {
    let target = this.#parsed.get(url);
    if (target === undefined) {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
        throw new TypeError("Invalid URL protocol: the URL must start with `http:` or `https:`.");
      }
      target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
      if (this.#parsed.size >= MAX_TARGETS) this.#parsed.clear();
      this.#parsed.set(url, target);
    }
    return target;
  }
}

/** Collects one answer; settles the promise on completion or on any transport error. */
class Collector implements Dispatcher.DispatchHandlers {
  status = 0;
  headers: Record<string, string> = {};
  readonly chunks: Buffer[] = [];

  constructor(
    private readonly parseHeaders: ParseHeaders,
    private readonly resolve: (response: DispatchedResponse) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  // called again if undici retries the request on a fresh connection: start over
  onConnect(): void {
    this.chunks.length = 0;
  }

  onError(error: Error): void {
    this.reject(error);
  }

  onHeaders(status: number, raw: Buffer[]): boolean {
    // informational answers (100 Continue) come before the real one
    if (status < 200) return true;
    this.status = status;
    const parsed = this.parseHeaders(raw);
    for (const name in parsed) {
      const value = parsed[name];
      if (value !== undefined) this.headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const { chunks } = this;
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    // a UTF-8 byte order mark is not part of the text (undici's `.text()` drops it too)
    const start = bytes.length > 2 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    this.resolve({
      status: this.status,
      headers: this.headers,
      text: bytes.toString("utf8", start ? 3 : 0),
    });
  }
}

/** Sends one request on `pool` and reads the whole answer as text. */
export function dispatch(
  pool: Dispatcher,
  parseHeaders: ParseHeaders,
  target: Target,
  method: string,
  headers: Record<string, string>,
  body: TransportRequest["body"],
): Promise<DispatchedResponse> {
  return new Promise((resolve, reject) => {
    // a request undici refuses (bad header, bad body) reaches onError, not a throw
    pool.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: method as Dispatcher.HttpMethod,
        headers,
        body: body as Dispatcher.DispatchOptions["body"],
      },
      new Collector(parseHeaders, resolve, reject),
    );
  });
}
