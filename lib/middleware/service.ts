/**
 * @module
 * The webhook service every adapter shares: options resolved once (secrets, limits, ESP
 * settings, emitter, logger), then the steps of `steps.ts` run for one call. An adapter
 * (the node:http router, the Fetch handler) only turns its request into an IncomingCall and
 * the Answer into its response.
 */
import { AnymailConfigurationError } from "../errors.js";
import { AnymailEmitter } from "../events/emitter.js";
import { listAdapters } from "../esps/registry.js";
import type { AnyEspAdapter, Logger, WebhookContext, WebhookRequest } from "../esps/types.js";
import { resolveSetting, type Env, type OptionsOf } from "../settings.js";
import type { EspWebhookOptions, KnownEspName, NamesOf } from "../esps/registry.js";
import { normalizeSecrets } from "./auth.js";
import { checkedLimits, type BodyLimits, type ParsedBody } from "./body.js";
import { buildWebhookRequest } from "./request.js";
import { failureAnswer } from "./respond.js";
import { redactingLogger, redactor } from "./redact.js";
import { isConfigured, resolveEspState, type EspState } from "./esp-settings.js";
import {
  authenticate,
  checkMethod,
  emitEvents,
  findRoute,
  handleRequest,
  isHandled,
  missingRouteText,
  ReadGate,
  routeLimits,
  verifySignature,
  type HandledRoute,
  type Route,
  type RouteLimits,
} from "./steps.js";

/** Options of anymailRouter and createWebhookHandler besides the per-ESP webhook settings. */
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

const GLOBAL_SECRET_SPEC = { list: true, secret: true } as const;

const CONSOLE_LOGGER: Logger = {
  warn: (message) => console.warn(message),
  error: (message, error) =>
    error === undefined ? console.error(message) : console.error(message, error),
};

/** The body bytes of a call and what the route's `body` declaration parsed from them. */
export interface ReadBodyResult {
  raw: Buffer;
  parsed: ParsedBody;
}

/** One call as an adapter hands it to the service. */
export interface IncomingCall {
  method: string;
  /** The Authorization header, when present. */
  authorization: string | undefined;
  /** Every header, names lower-cased. */
  headers: WebhookRequest["headers"];
  /** The public URL the ESP called (may throw HttpFailure 400 for a malformed Host). */
  publicUrl(): URL;
  /** The body step over this adapter's request. */
  readBody(
    route: HandledRoute,
    settings: EspSettings,
    limits: RouteLimits,
  ): Promise<ReadBodyResult>;
}

type EspSettings = Readonly<Record<string, unknown>>;

/** What to answer. */
export interface Answer {
  status: number;
  text: string;
  headers: Record<string, string>;
  /** The call was refused before or while its body was read: don't wait for the rest of it. */
  dropBody: boolean;
}

/** What the router keeps per ESP once its settings are resolved. */
interface Site {
  state: EspState;
  redact: (text: string) => string;
  context: WebhookContext;
}

/** The resolved options and the steps over them, shared by every adapter. */
export interface WebhookService {
  readonly emitter: AnymailEmitter;
  readonly logger: Logger;
  readonly trustProxy: boolean | undefined;
  /** The route for a path below the mount point, or undefined when it is not the service's. */
  route(path: string): Route | undefined;
  /** Runs the steps for one call on a route found by `route` (404 when it has no handler). */
  answer(call: IncomingCall, route: Route): Promise<Answer>;
  /** True when `name` is an ESP name or alias this service serves. */
  serves(name: string): boolean;
}

/**
 * Resolves the options once: checks their names (`who` names the function in errors, and
 * `extraOptions` are the adapter's own), reads secrets and settings, and fails at setup for
 * an ESP configured without a required setting.
 */
export function createWebhookService(
  serviceOptions: object,
  who: string,
  extraOptions: readonly string[] = [],
): WebhookService {
  const options = serviceOptions as RouterCommonOptions & Record<string, unknown>;
  const env = options.env ?? process.env;
  const emitter = options.emitter ?? new AnymailEmitter();
  const limits = checkedLimits(options.limits);
  const doFetch = options.fetch ?? globalThis.fetch;
  const globalSecrets = normalizeSecrets(
    resolveSetting(options, "webhookSecret", GLOBAL_SECRET_SPEC, { env }),
  );
  const logger = redactingLogger(options.logger ?? CONSOLE_LOGGER, redactor(globalSecrets));
  const gate = new ReadGate(limits.concurrentBodies);
  // the two sets of route limits, built once rather than per request
  const trackingLimits = routeLimits({ type: "tracking" }, limits);
  const otherLimits = routeLimits({ type: "" }, limits);

  const byName = new Map<string, AnyEspAdapter>();
  for (const adapter of [...listAdapters(), ...(options.esps ?? [])]) {
    for (const name of [adapter.name, ...(adapter.aliases ?? [])]) byName.set(name, adapter);
  }
  checkOptionNames(options, byName, who, extraOptions);

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

  async function serve(call: IncomingCall, route: HandledRoute): Promise<Answer> {
    const { adapter, handler } = route;
    let site: Site;
    try {
      site = siteOf(adapter);
    } catch (error) {
      logger.error(error instanceof Error ? error.message : String(error));
      const text = `${adapter.displayName} webhooks are not configured on this server.`;
      return { status: 500, text, headers: { Connection: "close" }, dropBody: true };
    }
    const { state, context } = site;
    let leave: (() => void) | undefined;
    try {
      if (checkMethod(call.method, handler) === "probe") {
        return { status: 200, text: "", headers: {}, dropBody: false };
      }
      const url = call.publicUrl();
      const basicAuthPassed = authenticate(call.authorization, route, {
        secrets: globalSecrets,
        settings: state.settings,
        onInsecure(message) {
          if (state.warnedInsecure) return;
          state.warnedInsecure = true;
          logger.warn(message);
        },
      });
      const limitsHere = route.type === "tracking" ? trackingLimits : otherLimits;
      // anonymous bodies are counted until their signature is checked
      if (!basicAuthPassed) leave = gate.enter(`${adapter.name}/${route.type}`);
      const { raw, parsed } = await call.readBody(route, state.settings, limitsHere);
      const request = buildWebhookRequest(
        { method: call.method, url, headers: call.headers },
        raw,
        parsed,
        basicAuthPassed,
      );
      await verifySignature(handler, request, context);
      leave?.();
      const events = await handleRequest(handler, request, context, limitsHere);
      await emitEvents(emitter, events, adapter.displayName);
      return { status: 200, text: "", headers: {}, dropBody: false };
    } catch (error) {
      leave?.();
      const answer = failureAnswer(error, adapter.displayName, site.redact);
      if (answer.level === "warn") context.logger.warn(answer.log);
      else context.logger.error(answer.log, answer.cause);
      return { status: answer.status, text: answer.text, headers: answer.headers, dropBody: true };
    }
  }

  return {
    emitter,
    logger,
    trustProxy: options.trustProxy,
    route: (path) => findRoute(path, byName),
    serves: (name) => byName.has(name),
    async answer(call, route) {
      if (!isHandled(route))
        return { status: 404, text: missingRouteText(route), headers: {}, dropBody: false };
      try {
        // an ESP whose code is imported on first use: once, then `load` returns nothing
        const loading = route.adapter.load?.();
        if (loading) await loading;
        return await serve(call, route);
      } catch (error) {
        // serve answers every error itself; this only guards against a bug there
        logger.error("anymail: webhook failed unexpectedly", error);
        return { status: 400, text: "Webhook failed.", headers: {}, dropBody: false };
      }
    },
  };
}

/** Throws AnymailConfigurationError for an option that is neither common nor an ESP's name. */
function checkOptionNames(
  options: Record<string, unknown>,
  byName: ReadonlyMap<string, AnyEspAdapter>,
  who: string,
  extraOptions: readonly string[],
): void {
  const common = [...COMMON_OPTIONS, ...extraOptions];
  const known = new Set<string>([...common, ...byName.keys()]);
  const unknown = Object.keys(options).filter((key) => !known.has(key));
  if (unknown.length === 0) return;
  throw new AnymailConfigurationError(
    `${who}: unknown option(s) ${unknown.map((key) => JSON.stringify(key)).join(", ")}. ` +
      `Known options: ${common.join(", ")}; ESP webhook settings go under an ESP's ` +
      `name: ${[...byName.keys()].sort().join(", ")}.`,
  );
}
