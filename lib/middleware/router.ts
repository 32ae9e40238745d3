/**
 * @module
 * anymailRouter(): one middleware serving every ESP's webhooks under `/<esp>/<type>/`
 * (spec 01 "Configuring tracking and inbound webhooks"). It owns HTTP: routing, basic auth,
 * bodies, status codes; ESP handlers only turn a WebhookRequest into events.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AnymailError, AnymailWebhookUnavailable } from "../errors.js";
import { AnymailEmitter } from "../events/emitter.js";
import { AnymailInboundEvent } from "../events/inbound.js";
import { listAdapters } from "../esps/registry.js";
import type {
  AnymailEvent,
  AnyEspAdapter,
  Logger,
  WebhookContext,
  WebhookHandler,
} from "../esps/types.js";
import { resolveSetting, type Env, type OptionsOf } from "../settings.js";
import type { EspWebhookOptions, KnownEspName, NamesOf } from "../esps/registry.js";
import { AnymailConfigurationError } from "../errors.js";
import { checkBasicAuth, normalizeSecrets } from "./auth.js";
import {
  checkedLimits,
  decodeContentEncoding,
  fromPreParsedBody,
  parseBody,
  readRawBody,
  type BodyLimits,
  type ParsedBody,
} from "./body.js";
import { buildWebhookRequest } from "./request.js";
import { HttpFailure, headersOf, send, statusOf } from "./respond.js";
import { isConfigured, resolveEspState, type EspState } from "./esp-settings.js";

/** Options of anymailRouter besides the per-ESP webhook settings. */
export interface RouterCommonOptions {
  /**
   * The basic-auth shared secret(s), `"user:password"`; a list allows rotation and a
   * different secret per ESP. Env: ANYMAIL_WEBHOOK_SECRET (JSON list or comma-separated).
   */
  webhookSecret?: string | readonly string[];
  /** Where events go; a new one (exposed as `router.emitter`) when omitted. */
  emitter?: AnymailEmitter;
  /** @default console */
  logger?: Logger;
  /** Body size limits. */
  limits?: BodyLimits;
  /** Adapters to serve besides the built-in ESPs (a same-named one replaces the built-in). */
  esps?: readonly AnyEspAdapter[];
  /** `fetch` for handlers that call out. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** The environment settings are read from. @default process.env */
  env?: Env;
}

// adapters declared without defineEsp have no literal names: their settings stay loose
type ExtraEspOptions<X extends readonly AnyEspAdapter[]> =
  string extends NamesOf<X[number]>
    ? { [esp: string]: unknown }
    : {
        [E in NamesOf<X[number]>]?: OptionsOf<
          NonNullable<Extract<X[number], { name: E }>["webhookSettings"]>
        >;
      };

/**
 * Options of anymailRouter: the common ones, and each ESP's webhook settings under its name
 * or alias (`acme_mail: { webhookSigningKey }`). A key that is neither is an error, at compile
 * time and at run time, so a typo cannot leave webhooks unchecked.
 */
export type AnymailRouterOptions<X extends readonly AnyEspAdapter[] = readonly []> =
  RouterCommonOptions & { esps?: X } & {
    [E in KnownEspName]?: EspWebhookOptions<E>;
  } & ExtraEspOptions<X>;

const COMMON_OPTIONS: readonly (keyof RouterCommonOptions)[] = [
  "webhookSecret",
  "emitter",
  "logger",
  "limits",
  "esps",
  "fetch",
  "env",
];

type Next = (error?: unknown) => void;

/** A Connect/Express middleware that also exposes the emitter it dispatches to. */
export interface AnymailRouter {
  (req: IncomingMessage, res: ServerResponse, next?: Next): void;
  readonly emitter: AnymailEmitter;
}

const GLOBAL_SECRET_SPEC = { list: true, secret: true } as const;

const CONSOLE_LOGGER: Logger = {
  warn: (message) => console.warn(message),
  error: (message, error) =>
    error === undefined ? console.error(message) : console.error(message, error),
};

interface Route {
  adapter: AnyEspAdapter;
  handler: WebhookHandler | undefined;
  type: string;
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
  const options = routerOptions as RouterCommonOptions & Record<string, unknown>;
  const env = options.env ?? process.env;
  const emitter = options.emitter ?? new AnymailEmitter();
  const logger = options.logger ?? CONSOLE_LOGGER;
  const limits: Required<BodyLimits> = checkedLimits(options.limits);
  const doFetch = options.fetch ?? globalThis.fetch;
  const globalSecrets = normalizeSecrets(
    resolveSetting(options, "webhookSecret", GLOBAL_SECRET_SPEC, { env }),
  );

  const byName = new Map<string, AnyEspAdapter>();
  for (const adapter of [...listAdapters(), ...(options.esps ?? [])]) {
    for (const name of [adapter.name, ...(adapter.aliases ?? [])]) byName.set(name, adapter);
  }
  checkOptionNames(options, byName);

  const states = new Map<AnyEspAdapter, EspState>();
  function stateOf(adapter: AnyEspAdapter): EspState {
    let state = states.get(adapter);
    if (!state) {
      state = resolveEspState(adapter, options, env);
      states.set(adapter, state);
    }
    return state;
  }
  // ESPs configured explicitly are checked now, so a missing required setting fails at setup
  for (const adapter of new Set(byName.values())) {
    if (isConfigured(adapter, options)) stateOf(adapter);
  }

  const redact = (text: string, state: EspState | undefined): string => {
    let result = text;
    for (const secret of [...globalSecrets, ...(state?.redacted ?? [])]) {
      if (secret.length >= 4) result = result.split(secret).join("[redacted]");
    }
    return result;
  };

  let warnedPreParsed = false;

  function findRoute(url: string | undefined): Route | undefined {
    const path = (url ?? "/").split("?")[0];
    const segments = path.replace(/^\/+/, "").replace(/\/$/, "").split("/");
    if (segments.length > 2) return undefined;
    const adapter = byName.get(segments[0]);
    if (!adapter) return undefined;
    const type = segments[1] ?? "";
    const handler =
      type === "tracking"
        ? adapter.tracking
        : type === "inbound"
          ? adapter.inbound
          : Object.hasOwn(adapter.extraRoutes ?? {}, type)
            ? adapter.extraRoutes?.[type]
            : undefined;
    return { adapter, handler, type };
  }

  function checkAuth(
    req: IncomingMessage,
    { adapter, handler }: Route & { handler: WebhookHandler },
    state: EspState,
  ): boolean {
    if (globalSecrets.length === 0) {
      const signature = handler.signature;
      const proven =
        signature !== undefined &&
        signature.enabled(state.settings) &&
        (signature.provesSender?.(state.settings) ?? true);
      if (!state.warnedInsecure && !proven) {
        state.warnedInsecure = true;
        logger.warn(
          `anymail: ${adapter.displayName} webhooks are insecure: no webhookSecret is set, so ` +
            `anyone can post events to them. Set webhookSecret (or ANYMAIL_WEBHOOK_SECRET) to a ` +
            `random "user:password" and add it to the webhook URLs at ${adapter.displayName}.`,
        );
      }
      return false;
    }
    const result = checkBasicAuth(req.headers.authorization, globalSecrets);
    if (result === "ok") return true;
    if (result === "missing" && adapter.basicAuthChallenge) {
      throw new HttpFailure(401, `${adapter.displayName} webhook needs basic auth credentials.`, {
        "WWW-Authenticate": 'Basic realm="anymail", charset="UTF-8"',
      });
    }
    throw new HttpFailure(
      400,
      `Missing or invalid basic auth in ${adapter.displayName} webhook ` +
        `(${result === "wrong" ? "credentials do not match webhookSecret" : result}).`,
    );
  }

  async function readBody(
    req: IncomingMessage,
    route: Route & { handler: WebhookHandler },
    state: EspState,
  ): Promise<{ raw: Buffer; parsed: ParsedBody }> {
    const already = req as IncomingMessage & { body?: unknown; _body?: unknown };
    if (!already.readableEnded && already._body !== true) {
      const received = await readRawBody(req, limits.body);
      const raw = decodeContentEncoding(received, req.headers["content-encoding"], limits.body);
      return { raw, parsed: await parseBody(raw, req.headers["content-type"], limits) };
    }
    const { raw, ...parsed } = fromPreParsedBody(already.body, req.headers["content-type"]);
    if (raw) return { raw, parsed: await parseBody(raw, req.headers["content-type"], limits) };
    const advice =
      `anymail: the body of a ${route.adapter.displayName} webhook was already parsed by ` +
      `middleware mounted before anymailRouter (e.g. express.json()), so its raw bytes are ` +
      `gone. Mount anymailRouter before any body parser, or keep body parsers off its path.`;
    if (route.handler.signature?.enabled(state.settings)) {
      logger.error(`${advice} The ${route.adapter.displayName} signature cannot be checked.`);
      throw new HttpFailure(
        400,
        `${route.adapter.displayName} webhook signature cannot be verified: raw body unavailable.`,
      );
    }
    if (!warnedPreParsed) {
      warnedPreParsed = true;
      logger.warn(advice);
    }
    return { raw: Buffer.alloc(0), parsed };
  }

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route & { handler: WebhookHandler },
  ): Promise<void> {
    const { adapter, handler } = route;
    let state: EspState | undefined;
    try {
      state = stateOf(adapter);
    } catch (error) {
      logger.error(error instanceof Error ? error.message : String(error));
      if (!req.readableEnded) req.resume();
      send(res, 500, `${adapter.displayName} webhooks are not configured on this server.`, {
        Connection: "close",
      });
      return;
    }
    try {
      const method = (req.method ?? "GET").toUpperCase();
      if (method === "HEAD" || handler.probeMethods?.includes(method)) {
        // ESPs probe the URL when it is configured (spec 8.1 base view answers HEAD)
        send(res, 200, "");
        return;
      }
      if (method !== "POST") {
        const allow = ["POST", "HEAD", ...(handler.probeMethods ?? [])].join(", ");
        throw new HttpFailure(405, "Method not allowed.", { Allow: allow });
      }
      const basicAuthPassed = checkAuth(req, route, state);
      const { raw, parsed } = await readBody(req, route, state);
      const request = buildWebhookRequest(req, raw, parsed, basicAuthPassed);
      const context: WebhookContext = {
        espName: adapter.displayName,
        settings: state.settings,
        logger,
        fetch: doFetch,
      };
      if (handler.signature?.enabled(state.settings)) {
        await handler.signature.verify(request, context);
      }
      const events: AnymailEvent[] = await handler.handle(request, context);
      for (const event of events) {
        try {
          if (event instanceof AnymailInboundEvent) {
            await emitter.dispatch("inbound", event, adapter.displayName);
          } else {
            await emitter.dispatch("tracking", event, adapter.displayName);
          }
        } catch (error) {
          // not the listener's fault: answered 503 below, so the ESP retries later
          if (error instanceof AnymailWebhookUnavailable) throw error;
          logger.error(
            `anymail: a ${adapter.displayName} webhook listener failed; the rest of the batch ` +
              `was not dispatched and the webhook answered 400 so the ESP retries.`,
            error,
          );
          send(res, 400, "Webhook listener failed.");
          return;
        }
      }
      send(res, 200, "");
    } catch (error) {
      const status = statusOf(error);
      const known = error instanceof AnymailError || error instanceof HttpFailure;
      const message = known
        ? redact(error.message, state)
        : `${adapter.displayName} webhook payload could not be processed.`;
      if (known) logger.warn(`anymail: ${status} ${message}`);
      else logger.error(`anymail: ${message}`, error);
      const headers = headersOf(error);
      if (!req.readableEnded) {
        // the body was not read (auth failed first, or it is too large): don't wait for it
        headers.Connection = "close";
        req.resume();
      }
      send(res, status, message, headers);
    }
  }

  const router = function anymailWebhooks(
    req: IncomingMessage,
    res: ServerResponse,
    next?: Next,
  ): void {
    const route = findRoute(req.url);
    if (!route) {
      if (next) next();
      else send(res, 404, "Not found.");
      return;
    }
    const { handler } = route;
    if (!handler) {
      const text =
        route.type === "inbound" && route.adapter.noInboundMessage
          ? route.adapter.noInboundMessage
          : `${route.adapter.displayName} has no "${route.type}" webhook.`;
      send(res, 404, text);
      return;
    }
    serve(req, res, { ...route, handler }).catch((error: unknown) => {
      // serve answers every error itself; this only guards against a bug there
      logger.error("anymail: webhook failed unexpectedly", error);
      send(res, 400, "Webhook failed.");
    });
  } as AnymailRouter;
  Object.defineProperty(router, "emitter", { value: emitter, enumerable: true });
  return router;
}

/** Throws AnymailConfigurationError for an option that is neither common nor an ESP's name. */
function checkOptionNames(
  options: Record<string, unknown>,
  byName: ReadonlyMap<string, AnyEspAdapter>,
): void {
  const known = new Set<string>([...COMMON_OPTIONS, ...byName.keys()]);
  const unknown = Object.keys(options).filter((key) => !known.has(key));
  if (unknown.length === 0) return;
  throw new AnymailConfigurationError(
    `anymailRouter: unknown option(s) ${unknown.map((key) => JSON.stringify(key)).join(", ")}. ` +
      `Known options: ${COMMON_OPTIONS.join(", ")}; ESP webhook settings go under an ESP's ` +
      `name: ${[...byName.keys()].sort().join(", ")}.`,
  );
}
