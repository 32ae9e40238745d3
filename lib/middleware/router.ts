/**
 * @module
 * anymailRouter(): one middleware serving every ESP's webhooks under `/<esp>/<type>/`
 * (spec 01 "Configuring tracking and inbound webhooks"). It owns HTTP: routing, basic auth,
 * bodies, status codes; ESP handlers only turn a WebhookRequest into events.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { AnymailConfigurationError } from "../errors.js";
import { AnymailEmitter } from "../events/emitter.js";
import { listAdapters } from "../esps/registry.js";
import type { AnyEspAdapter, Logger, WebhookContext } from "../esps/types.js";
import { resolveSetting, type Env, type OptionsOf } from "../settings.js";
import type { EspWebhookOptions, KnownEspName, NamesOf } from "../esps/registry.js";
import { normalizeSecrets } from "./auth.js";
import { checkedLimits, type BodyLimits } from "./body.js";
import { readNodeBody } from "./node-body.js";
import { buildWebhookRequest, publicUrlOf, trustsProxy } from "./request.js";
import { failureAnswer, send } from "./respond.js";
import { redactingLogger, redactor } from "./redact.js";
import { isConfigured, resolveEspState, type EspState } from "./esp-settings.js";
import {
  authenticate,
  checkMethod,
  emitEvents,
  findRoute,
  handleRequest,
  missingRouteText,
  ReadGate,
  routeLimits,
  verifySignature,
  type HandledRoute,
} from "./steps.js";

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
  /** Body size limits, the body-read deadline and the cap on anonymous uploads (see BodyLimits). */
  limits?: BodyLimits;
  /**
   * Believe X-Forwarded-Host and X-Forwarded-Proto (the public URL signatures are checked
   * against). @default Express's `trust proxy` setting for the peer; false outside Express
   */
  trustProxy?: boolean;
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
  "trustProxy",
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

/** What the router keeps per ESP once its settings are resolved. */
interface Site {
  state: EspState;
  redact: (text: string) => string;
  context: WebhookContext;
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
  const limits = checkedLimits(options.limits);
  const doFetch = options.fetch ?? globalThis.fetch;
  const globalSecrets = normalizeSecrets(
    resolveSetting(options, "webhookSecret", GLOBAL_SECRET_SPEC, { env }),
  );
  const logger = redactingLogger(options.logger ?? CONSOLE_LOGGER, redactor(globalSecrets));
  const gate = new ReadGate(limits.concurrentBodies);

  const byName = new Map<string, AnyEspAdapter>();
  for (const adapter of [...listAdapters(), ...(options.esps ?? [])]) {
    for (const name of [adapter.name, ...(adapter.aliases ?? [])]) byName.set(name, adapter);
  }
  checkOptionNames(options, byName);

  const sites = new Map<AnyEspAdapter, Site>();
  function siteOf(adapter: AnyEspAdapter): Site {
    let site = sites.get(adapter);
    if (!site) {
      const state = resolveEspState(adapter, options, env);
      const redact = redactor([...globalSecrets, ...state.redacted]);
      const context: WebhookContext = {
        espName: adapter.displayName,
        settings: state.settings,
        logger: redactingLogger(logger, redact),
        fetch: doFetch,
      };
      site = { state, redact, context };
      sites.set(adapter, site);
    }
    return site;
  }
  // ESPs configured explicitly are checked now, so a missing required setting fails at setup
  for (const adapter of new Set(byName.values())) {
    if (isConfigured(adapter, options)) siteOf(adapter);
  }

  const preParsed = { warned: false };

  async function serve(req: IncomingMessage, res: ServerResponse, route: HandledRoute) {
    const { adapter, handler } = route;
    let site: Site;
    try {
      site = siteOf(adapter);
    } catch (error) {
      logger.error(error instanceof Error ? error.message : String(error));
      if (!req.readableEnded) req.resume();
      send(res, 500, `${adapter.displayName} webhooks are not configured on this server.`, {
        Connection: "close",
      });
      return;
    }
    const { state, context } = site;
    let leave: (() => void) | undefined;
    try {
      if (checkMethod(req.method ?? "GET", handler) === "probe") {
        send(res, 200, "");
        return;
      }
      const url = publicUrlOf(req, trustsProxy(req, options.trustProxy));
      const basicAuthPassed = authenticate(req.headers.authorization, route, {
        secrets: globalSecrets,
        settings: state.settings,
        onInsecure(message) {
          if (state.warnedInsecure) return;
          state.warnedInsecure = true;
          logger.warn(message);
        },
      });
      const limitsHere = routeLimits(route, limits);
      // anonymous bodies are counted until their signature is checked
      if (!basicAuthPassed) leave = gate.enter(`${adapter.name}/${route.type}`);
      const { raw, parsed } = await readNodeBody(req, route, state.settings, limitsHere, {
        logger,
        preParsed,
      });
      const request = buildWebhookRequest(
        { method: req.method ?? "POST", url, headers: req.headers },
        raw,
        parsed,
        basicAuthPassed,
      );
      await verifySignature(handler, request, context);
      leave?.();
      const events = await handleRequest(handler, request, context, limitsHere);
      await emitEvents(emitter, events, adapter.displayName);
      send(res, 200, "");
    } catch (error) {
      leave?.();
      const answer = failureAnswer(error, adapter.displayName, site.redact);
      if (answer.level === "warn") context.logger.warn(answer.log);
      else context.logger.error(answer.log, answer.cause);
      if (!req.readableEnded) {
        // the body was not read (auth failed first, too large, too slow): don't wait for it
        answer.headers.Connection = "close";
        req.resume();
      }
      send(res, answer.status, answer.text, answer.headers);
    }
  }

  const router = function anymailWebhooks(
    req: IncomingMessage,
    res: ServerResponse,
    next?: Next,
  ): void {
    const route = findRoute(req.url ?? "/", byName);
    if (!route) {
      if (next) next();
      else send(res, 404, "Not found.");
      return;
    }
    const { handler } = route;
    if (!handler) {
      send(res, 404, missingRouteText(route));
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
