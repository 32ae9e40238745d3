/**
 * @module
 * The webhook steps, in the order the router runs them: route → method → auth → body
 * (`body.ts`) → verify → handle → emit → respond (`respond.ts`). Each takes plain data (a
 * path, a header, bytes, a stream), not a framework's request, so the Express middleware and
 * a Fetch-API handler run the same steps.
 */
import { AnymailWebhookUnavailable } from "../errors.js";
import { dispatchNow, type AnymailEmitter } from "../events/emitter.js";
import { AnymailInboundEvent } from "../events/inbound.js";
import { withMimeLimits } from "../events/mime-limits.js";
import type {
  AnymailEvent,
  AnyEspAdapter,
  WebhookContext,
  WebhookHandler,
  WebhookRequest,
} from "../esps/types.js";
import { checkBasicAuth } from "./auth.js";
import type { BodyLimits } from "./limits.js";
import { HttpFailure } from "./respond.js";

/** A URL under the router: the ESP, the route's name and its handler (when it has one). */
export interface Route {
  adapter: AnyEspAdapter;
  /** "tracking", "inbound", an extra route's name, or "" for an ESP's single URL. */
  type: string;
  handler: WebhookHandler | undefined;
}

/** A route that has a handler. */
export type HandledRoute = Route & { handler: WebhookHandler };

/** Whether the route has a handler (the route itself, narrowed: no copy per request). */
export function isHandled(route: Route): route is HandledRoute {
  return route.handler !== undefined;
}

/**
 * The route step: `/<esp>/<type>/` (trailing slash optional, query ignored) → the route, or
 * undefined when the path is not the router's.
 */
export function findRoute(
  path: string,
  byName: ReadonlyMap<string, AnyEspAdapter>,
): Route | undefined {
  // string scans rather than regex replaces and splits: this runs for every request
  const query = path.indexOf("?");
  let end = query === -1 ? path.length : query;
  let start = 0;
  while (start < end && path.charCodeAt(start) === 0x2f) start++;
  if (end > start && path.charCodeAt(end - 1) === 0x2f) end--;
  const slash = path.indexOf("/", start);
  const nameEnd = slash === -1 || slash >= end ? end : slash;
  const third = nameEnd < end ? path.indexOf("/", nameEnd + 1) : -1;
  if (third !== -1 && third < end) return undefined; // more than two segments
  const adapter = byName.get(path.slice(start, nameEnd));
  if (!adapter) return undefined;
  const type = nameEnd < end ? path.slice(nameEnd + 1, end) : "";
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

/** The answer for a route without a handler (404, with the ESP's explanation for inbound). */
export function missingRouteText({ adapter, type }: Route): string {
  return type === "inbound" && adapter.noInboundMessage
    ? adapter.noInboundMessage
    : `${adapter.displayName} has no "${type}" webhook.`;
}

/**
 * The method step: "probe" for HEAD and the handler's probe methods (ESPs check the URL when
 * it is configured; they answer 200 without events), "post" for POST; 405 for anything else.
 */
export function checkMethod(method: string, handler: WebhookHandler): "probe" | "post" {
  const upper = method.toUpperCase();
  if (upper === "HEAD" || handler.probeMethods?.includes(upper)) return "probe";
  if (upper === "POST") return "post";
  const allow = ["POST", "HEAD", ...(handler.probeMethods ?? [])].join(", ");
  throw new HttpFailure(405, "Method not allowed.", { Allow: allow });
}

/** True when a valid signature on this route proves the ESP account sent it. */
export function signatureProvesSender(
  handler: WebhookHandler,
  settings: Readonly<Record<string, unknown>>,
): boolean {
  const signature = handler.signature;
  return (
    signature !== undefined &&
    signature.enabled(settings) &&
    (signature.provesSender?.(settings) ?? true)
  );
}

/** The warning for a route that anyone can post to. */
export function insecureWarning(adapter: AnyEspAdapter, signed: boolean): string {
  const name = adapter.displayName;
  const why = signed
    ? `its signature can be produced by anyone, and no webhookSecret is set`
    : `no webhookSecret is set`;
  return (
    `anymail: ${name} webhooks are insecure: ${why}, so anyone can post events to them. ` +
    `Set webhookSecret (or ANYMAIL_WEBHOOK_SECRET) to a random "user:password" and add it ` +
    `to the webhook URLs at ${name}.`
  );
}

/** What the auth step needs to know besides the request's Authorization header. */
export interface AuthPolicy {
  /** The configured basic-auth secrets (`user:password`); none means basic auth is off. */
  secrets: readonly string[];
  settings: Readonly<Record<string, unknown>>;
  /** Called when nothing that proves the sender protects the route (the router warns once). */
  onInsecure(message: string): void;
}

/**
 * The auth step: checks basic auth against the configured secrets. Returns true when the
 * request carried one, false when basic auth is off (after reporting an insecure route);
 * throws HttpFailure 400 (or 401 with a challenge, for ESPs that need one) otherwise.
 */
export function authenticate(
  authorization: string | undefined,
  { adapter, handler }: HandledRoute,
  { secrets, settings, onInsecure }: AuthPolicy,
): boolean {
  if (secrets.length === 0) {
    if (!signatureProvesSender(handler, settings)) {
      onInsecure(insecureWarning(adapter, handler.signature?.enabled(settings) === true));
    }
    return false;
  }
  const result = checkBasicAuth(authorization, secrets);
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

/**
 * The limits that apply to a route: tracking routes get `trackingBody` as their body limit
 * (their batches are small), every other route the large `body` limit.
 */
export function routeLimits(route: Pick<Route, "type">, limits: Required<BodyLimits>): RouteLimits {
  if (route.type !== "tracking") return { ...limits, bodyLimitName: "body" };
  return {
    ...limits,
    body: Math.min(limits.trackingBody, limits.body),
    bodyLimitName: "trackingBody",
  };
}

/** A route's limits, with the name of the option that sets its body limit. */
export type RouteLimits = Required<BodyLimits> & { bodyLimitName: "body" | "trackingBody" };

/**
 * Counts bodies being read per route before the request is authenticated, refusing past
 * `max` with 503 and Retry-After (the ESP retries later; an attacker cannot pile up uploads).
 */
export class ReadGate {
  readonly #reading = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Takes a slot for `key`; the returned function gives it back (call it exactly once). */
  enter(key: string): () => void {
    const count = this.#reading.get(key) ?? 0;
    if (count >= this.max) {
      throw new HttpFailure(503, "Too many webhook bodies are being received; retry later.", {
        "Retry-After": "10",
      });
    }
    this.#reading.set(key, count + 1);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const now = (this.#reading.get(key) ?? 1) - 1;
      if (now > 0) this.#reading.set(key, now);
      else this.#reading.delete(key);
    };
  }
}

/** The verify step: the ESP's own signature check, when these settings turn it on. */
export async function verifySignature(
  handler: WebhookHandler,
  request: WebhookRequest,
  context: WebhookContext,
): Promise<void> {
  if (handler.signature?.enabled(context.settings)) {
    await handler.signature.verify(request, context);
  }
}

/** The handle step: the handler's events, with the router's MIME limits in force. */
export async function handleRequest(
  handler: WebhookHandler,
  request: WebhookRequest,
  context: WebhookContext,
  limits: Required<BodyLimits>,
): Promise<AnymailEvent[]> {
  const mime = { headerBytes: limits.mimeHeaderBytes, parts: limits.mimeParts };
  return withMimeLimits(mime, () => handler.handle(request, context));
}

/**
 * The emit step: dispatches events in order. A listener that fails stops the batch and
 * answers 400 (so the ESP retries), with the failure logged in full.
 */
export async function emitEvents(
  emitter: AnymailEmitter,
  events: readonly AnymailEvent[],
  espName: string,
): Promise<void> {
  // an index, not for-of: across the await below, each step's iterator result would be kept
  // as an object, one per event (issue #19)
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    try {
      const pending =
        event instanceof AnymailInboundEvent
          ? dispatchNow(emitter, "inbound", event, espName)
          : dispatchNow(emitter, "tracking", event, espName);
      if (pending) await pending;
    } catch (error) {
      // not the listener's fault: answered 503 with Retry-After, so the ESP retries later
      if (error instanceof AnymailWebhookUnavailable) throw error;
      throw new HttpFailure(
        400,
        "Webhook listener failed.",
        {},
        {
          cause: error,
          log:
            `a ${espName} webhook listener failed; the rest of the batch was not ` +
            `dispatched and the webhook answered 400 so the ESP retries.`,
        },
      );
    }
  }
}
