/**
 * @module
 * anymailRouter(): one middleware serving every ESP's webhooks under `/<esp>/<type>/`
 * (spec 01 "Configuring tracking and inbound webhooks"), as a node:http/Connect/Express
 * adapter over the shared webhook service (`service.ts`). ESP handlers only turn a
 * WebhookRequest into events.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AnymailEmitter } from "../events/emitter.js";
import type { AnyEspAdapter } from "../esps/types.js";
import { readNodeBody } from "./node-body.js";
import { publicUrlOf, trustsProxy } from "./request.js";
import { send } from "./respond.js";
import { createWebhookService, type AnymailRouterOptions, type IncomingCall } from "./service.js";

export type { AnymailRouterOptions, RouterCommonOptions } from "./service.js";

type Next = (error?: unknown) => void;

/** A Connect/Express middleware that also exposes the emitter it dispatches to. */
export interface AnymailRouter {
  (req: IncomingMessage, res: ServerResponse, next?: Next): void;
  readonly emitter: AnymailEmitter;
}

/**
 * Serves `/<esp>/tracking/`, `/<esp>/inbound/` and each ESP's extra routes, with or without
 * the trailing slash, for every registered ESP (and those passed in `esps`).
 *
 * @example
 * const emitter = new AnymailEmitter();
 * emitter.on("tracking", async (event, espName) => { … });
 * app.use("/anymail", anymailRouter({ webhookSecret: "random:random", emitter }));
 */
export function anymailRouter<const X extends readonly AnyEspAdapter[] = readonly []>(
  routerOptions: AnymailRouterOptions<X> = {},
): AnymailRouter {
  const service = createWebhookService(routerOptions, "anymailRouter");
  const preParsed = { warned: false };

  function nodeCall(req: IncomingMessage): IncomingCall {
    return {
      method: req.method ?? "GET",
      authorization: req.headers.authorization,
      headers: req.headers,
      publicUrl: () => publicUrlOf(req, trustsProxy(req, service.trustProxy)),
      readBody: (route, settings, limits) =>
        readNodeBody(req, route, settings, limits, { logger: service.logger, preParsed }),
    };
  }

  const router = function anymailWebhooks(
    req: IncomingMessage,
    res: ServerResponse,
    next?: Next,
  ): void {
    const route = service.route(req.url ?? "/");
    if (!route) {
      if (next) next();
      else send(res, 404, "Not found.");
      return;
    }
    void service.answer(nodeCall(req), route).then((answer) => {
      if (answer.dropBody && !req.readableEnded) {
        // the body was not read (auth failed first, too large, too slow): don't wait for it
        answer.headers.Connection = "close";
        req.resume();
      }
      send(res, answer.status, answer.text, answer.headers);
    });
  } as AnymailRouter;
  Object.defineProperty(router, "emitter", { value: service.emitter, enumerable: true });
  return router;
}
