/**
 * @module
 * anymail/hono: the webhook routes as a Hono handler. Hono hands the standard `Request`
 * over as `c.req.raw`, so this is createWebhookHandler with Hono's calling convention; it
 * imports nothing from Hono (its context is typed by the one field read).
 *
 * @example
 * import { Hono } from "hono";
 * import { anymailHono } from "anymail/hono";
 *
 * const app = new Hono();
 * app.all("/anymail/*", anymailHono({ webhookSecret: "random:random", emitter }));
 */
import type { AnymailEmitter } from "../events/emitter.js";
import type { AnyEspAdapter } from "../esps/types.js";
import { createWebhookHandler, type AnymailFetchHandlerOptions } from "../middleware/fetch.js";

export type { AnymailFetchHandlerOptions } from "../middleware/fetch.js";

/** The part of Hono's Context the handler reads. */
export interface HonoContextLike {
  req: { raw: Request };
}

/** A Hono handler (`app.all(path, handler)`) that also exposes the emitter it dispatches to. */
export interface AnymailHonoHandler {
  (c: HonoContextLike): Promise<Response>;
  readonly emitter: AnymailEmitter;
}

/**
 * Serves every ESP's webhook routes from a Hono app. Mount it on a wildcard path; the route
 * is read from the end of the path (`…/<esp>/<type>/`), or below `basePath` when given.
 * Keep body-reading middleware (`c.req.json()`, validators) off these paths: the handler
 * needs the raw body for signatures, and answers 400 when it was already read.
 */
export function anymailHono<const X extends readonly AnyEspAdapter[] = readonly []>(
  options: AnymailFetchHandlerOptions<X> = {},
): AnymailHonoHandler {
  const handle = createWebhookHandler(options);
  const honoHandler = ((c: HonoContextLike) => handle(c.req.raw)) as AnymailHonoHandler;
  Object.defineProperty(honoHandler, "emitter", { value: handle.emitter, enumerable: true });
  return honoHandler;
}
