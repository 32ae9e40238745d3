/**
 * @module
 * createWebhookHandler(): the webhook service over the Fetch API — a standard `Request` in, a
 * `Response` out — for runtimes and frameworks that speak it (Hono, Next.js route handlers,
 * Bun.serve, Deno.serve, Lambda through `anymail/lambda`). The same steps, options, limits,
 * statuses and events as anymailRouter.
 */
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { AnymailEmitter } from "../events/emitter.js";
import type { AnyEspAdapter, WebhookRequest } from "../esps/types.js";
import { decodeContentEncoding, parseDeclaredBody, readBody } from "./body.js";
import { publicUrl } from "./request.js";
import { HttpFailure } from "./respond.js";
import {
  createWebhookService,
  type AnymailRouterOptions,
  type Answer,
  type IncomingCall,
  type ReadBodyResult,
} from "./service.js";
import type { HandledRoute, RouteLimits } from "./steps.js";

/** Options of createWebhookHandler: anymailRouter's, and where the routes start. */
export type AnymailFetchHandlerOptions<X extends readonly AnyEspAdapter[] = readonly []> =
  AnymailRouterOptions<X> & {
    /**
     * The path the routes are mounted under (`"/anymail"` for `/anymail/<esp>/<type>/`).
     * When omitted, the route is read from the end of the path (`…/<esp>/<type>/` or
     * `…/<esp>/`), so the handler works under any mount point or catch-all route.
     */
    basePath?: string;
  };

/** A Fetch-API webhook handler that also exposes the emitter it dispatches to. */
export interface AnymailFetchHandler {
  (request: Request): Promise<Response>;
  readonly emitter: AnymailEmitter;
}

const PLAIN_TEXT = "text/plain; charset=utf-8";

/**
 * Serves every ESP's webhook routes to standard `Request`s.
 *
 * The public URL (which an ESP that signs its URL checks signatures against) is the
 * request's Host header, else the host of `request.url`, with the scheme of `request.url`;
 * `trustProxy: true` believes X-Forwarded-Host and X-Forwarded-Proto instead. Behind a proxy
 * that changes either, set `trustProxy` or the ESP's `webhookUrl`.
 *
 * @example
 * const handler = createWebhookHandler({ webhookSecret: "random:random", emitter });
 * Bun.serve({ fetch: handler }); // or Deno.serve(handler), or app.all("/anymail/*", …)
 */
export function createWebhookHandler<const X extends readonly AnyEspAdapter[] = readonly []>(
  handlerOptions: AnymailFetchHandlerOptions<X> = {},
): AnymailFetchHandler {
  const { basePath, ...options } = handlerOptions as { basePath?: string };
  const service = createWebhookService(options, "createWebhookHandler");
  const base = basePath === undefined ? undefined : `/${basePath.replace(/^\/+|\/+$/g, "")}`;

  /** The path below the mount point, or undefined when the request is not under it. */
  function routePath(pathname: string): string | undefined {
    if (base !== undefined) {
      if (base === "/") return pathname;
      if (pathname !== base && !pathname.startsWith(`${base}/`)) return undefined;
      return pathname.slice(base.length) || "/";
    }
    const segments = pathname.replace(/\/+$/, "").split("/");
    const [esp, type] = segments.slice(-2);
    if (segments.length >= 2 && esp !== undefined && service.serves(esp)) return `/${esp}/${type}`;
    const last = segments.at(-1);
    return last !== undefined && service.serves(last) ? `/${last}` : undefined;
  }

  const handler = async function anymailFetchWebhooks(request: Request): Promise<Response> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return answerWith({
        status: 400,
        text: "Malformed request URL.",
        headers: {},
        dropBody: true,
      });
    }
    const path = routePath(url.pathname);
    const route = path === undefined ? undefined : service.route(path);
    if (!route)
      return answerWith({ status: 404, text: "Not found.", headers: {}, dropBody: false });
    return answerWith(await service.answer(fetchCall(request, url, service.trustProxy), route));
  } as AnymailFetchHandler;
  Object.defineProperty(handler, "emitter", { value: service.emitter, enumerable: true });
  return handler;
}

/** The Response for an Answer (a plain-text body, as anymailRouter sends). */
function answerWith({ status, text, headers }: Answer): Response {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    // hop-by-hop: the runtime owns the connection
    if (name.toLowerCase() !== "connection") out.set(name, value);
  }
  out.set("Content-Type", PLAIN_TEXT);
  return new Response(text, { status, headers: out });
}

function headersOf(request: Request): WebhookRequest["headers"] {
  const headers: WebhookRequest["headers"] = {};
  for (const [name, value] of request.headers) headers[name] = value;
  return headers;
}

function fetchCall(request: Request, url: URL, trustProxy: boolean | undefined): IncomingCall {
  const headers = headersOf(request);
  return {
    method: request.method,
    authorization: headers.authorization as string | undefined,
    headers,
    publicUrl: () =>
      publicUrl({
        headers: { ...headers, host: headers.host ?? url.host },
        path: url.pathname + url.search,
        encrypted: url.protocol === "https:",
        trustProxy: trustProxy === true,
      }),
    readBody: (route, _settings, limits) => readFetchBody(request, headers, route, limits),
  };
}

/**
 * The body step over a Fetch Request: its body stream is read once, through the same
 * limits and deadline as a Node request (never `arrayBuffer()`, which has neither).
 */
async function readFetchBody(
  request: Request,
  headers: WebhookRequest["headers"],
  { adapter, handler }: HandledRoute,
  limits: RouteLimits,
): Promise<ReadBodyResult> {
  if (request.bodyUsed) {
    throw new HttpFailure(
      400,
      `The body of this ${adapter.displayName} webhook was already read before the anymail ` +
        `handler ran; pass the request to the handler unread.`,
    );
  }
  let received: Buffer = Buffer.alloc(0);
  if (request.body) {
    const declared = Number(headers["content-length"]);
    received = await readBody(Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>), {
      limit: limits.body,
      limitName: limits.bodyLimitName,
      declaredLength: Number.isFinite(declared) ? declared : undefined,
      deadlineMs: limits.bodyTimeoutMs,
    });
  }
  const contentType = headers["content-type"] as string | undefined;
  const raw = decodeContentEncoding(received, headers["content-encoding"], limits.body);
  return { raw, parsed: await parseDeclaredBody(raw, contentType, handler.body ?? "auto", limits) };
}
