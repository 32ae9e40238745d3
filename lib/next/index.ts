/**
 * @module
 * anymail/next: the webhook routes as a Next.js App Router route handler. Put it in a
 * catch-all route (`app/anymail/[...path]/route.ts`) and export the methods it answers.
 * Route handlers receive standard `Request`s, so each method is createWebhookHandler.
 *
 * @example
 * // app/anymail/[...path]/route.ts
 * import { anymailRoute } from "anymail/next";
 *
 * export const runtime = "nodejs"; // node:crypto and node:stream: not the Edge runtime
 * export const { POST, HEAD, GET } = anymailRoute({ webhookSecret: process.env.WEBHOOK_SECRET, emitter });
 */
import type { AnymailEmitter } from "../events/emitter.js";
import type { AnyEspAdapter } from "../esps/types.js";
import { createWebhookHandler, type AnymailFetchHandlerOptions } from "../middleware/fetch.js";

export type { AnymailFetchHandlerOptions } from "../middleware/fetch.js";

/** A route handler method: Next passes `(request, { params })`; the path is read from the URL. */
export type NextRouteMethod = (request: Request, context?: unknown) => Promise<Response>;

/**
 * The exports of a `route.ts`: one handler for every method, so the routes answer exactly
 * as anymailRouter does (200 for POST and probes, 405 with Allow for the rest).
 */
export interface AnymailNextRoute {
  GET: NextRouteMethod;
  HEAD: NextRouteMethod;
  POST: NextRouteMethod;
  PUT: NextRouteMethod;
  PATCH: NextRouteMethod;
  DELETE: NextRouteMethod;
  OPTIONS: NextRouteMethod;
  readonly emitter: AnymailEmitter;
}

/**
 * Serves every ESP's webhook routes from a Next.js route handler. Next builds `request.url`
 * from its own host name (`localhost:3000` when self-hosted), while the Host header keeps
 * the one the ESP called; the scheme is http unless `trustProxy` believes X-Forwarded-Proto.
 * For an ESP that signs its URL, behind a TLS proxy, set `trustProxy: true` when the proxy
 * is the only way in, or the ESP's `webhookUrl`.
 */
export function anymailRoute<const X extends readonly AnyEspAdapter[] = readonly []>(
  options: AnymailFetchHandlerOptions<X> = {},
): AnymailNextRoute {
  const handle = createWebhookHandler(options);
  const method: NextRouteMethod = (request) => handle(request);
  return {
    GET: method,
    HEAD: method,
    POST: method,
    PUT: method,
    PATCH: method,
    DELETE: method,
    OPTIONS: method,
    emitter: handle.emitter,
  };
}
