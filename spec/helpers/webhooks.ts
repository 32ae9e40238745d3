/**
 * @module
 * Webhook test helpers: an Express app with anymailRouter mounted at /anymail that collects
 * every emitted event and log line, and the shared basic-auth suite every ESP spec runs.
 */
import express from "express";
import express4 from "express4";
import request from "supertest";
import type { Test } from "supertest";
import { expect } from "chai";
import { anymailRouter, type AnymailRouterOptions } from "../../lib/middleware/router.js";
import { AnymailEmitter } from "../../lib/events/emitter.js";
import type { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import type { AnymailInboundEvent } from "../../lib/events/inbound.js";
import type { AnyEspAdapter, Logger } from "../../lib/esps/types.js";
import type { RequestListener } from "node:http";

/** The built-in ESPs' options, or loose ones for fake adapters passed in `esps`. */
export type TestRouterOptions =
  AnymailRouterOptions | AnymailRouterOptions<readonly AnyEspAdapter[]>;

export interface EmittedEvent {
  channel: "tracking" | "inbound";
  event: AnymailTrackingEvent | AnymailInboundEvent;
  espName: string;
}

/** An app under test: post to it with `hook.post(path)`, then read what was emitted. */
export interface WebhookApp {
  app: RequestListener;
  emitter: AnymailEmitter;
  /** Every event in emission order, both channels. */
  events: EmittedEvent[];
  tracking: AnymailTrackingEvent[];
  inbound: AnymailInboundEvent[];
  /** Log lines the router wrote (nothing reaches the console). */
  logs: { warn: string[]; error: string[] };
  /** `request(app).post("/anymail" + path)`. */
  post(path: string): Test;
}

export interface WebhookAppOptions {
  /** Which Express major version to mount the router in. @default 5 */
  express?: 4 | 5;
  /** The mount prefix. @default "/anymail" */
  prefix?: string;
  /** Don't read ANYMAIL_* from process.env. @default true */
  isolateEnv?: boolean;
}

/** A collecting logger, also useful on its own. */
export function collectingLogger(): Logger & { lines: { warn: string[]; error: string[] } } {
  const lines = { warn: [] as string[], error: [] as string[] };
  return {
    lines,
    warn: (message) => lines.warn.push(message),
    error: (message, error) =>
      lines.error.push(error instanceof Error ? `${message} ${error.message}` : message),
  };
}

/** Builds an Express app with anymailRouter(options) mounted at /anymail. */
export function webhookApp(
  options: TestRouterOptions = {},
  { express: major = 5, prefix = "/anymail", isolateEnv = true }: WebhookAppOptions = {},
): WebhookApp {
  const emitter = options.emitter ?? new AnymailEmitter();
  const logger = collectingLogger();
  const events: EmittedEvent[] = [];
  const tracking: AnymailTrackingEvent[] = [];
  const inbound: AnymailInboundEvent[] = [];
  emitter.on("tracking", (event, espName) => {
    events.push({ channel: "tracking", event, espName });
    tracking.push(event);
  });
  emitter.on("inbound", (event, espName) => {
    events.push({ channel: "inbound", event, espName });
    inbound.push(event);
  });
  const router = anymailRouter({
    logger,
    ...(isolateEnv ? { env: {} } : {}),
    ...options,
    emitter,
  });
  let app: RequestListener;
  if (major === 4) {
    const app4 = express4();
    app4.use(prefix, router);
    app = app4;
  } else {
    const app5 = express();
    app5.use(prefix, router);
    app = app5;
  }
  return {
    app,
    emitter,
    events,
    tracking,
    inbound,
    logs: logger.lines,
    post: (path) => request(app).post(`${prefix}${path}`),
  };
}

/** `Basic base64(user:password)` */
export function basicAuthHeader(secret: string): string {
  return `Basic ${Buffer.from(secret, "utf8").toString("base64")}`;
}

export interface BasicAuthSuiteOptions {
  /** Router options besides webhookSecret (e.g. the ESP's signing key). */
  routerOptions?: TestRouterOptions;
  /** The ESP checks its own signature with these options: no insecure warning expected. */
  signatureChecked?: boolean;
  /** The ESP gets a 401 challenge when credentials are missing (Amazon SNS). */
  challenge?: boolean;
}

/**
 * The shared basic-auth suite. `callWebhook(hook)` posts one valid webhook of the ESP
 * (without credentials; the suite adds them) and returns the unsent supertest request.
 *
 * @example
 * describeWebhookBasicAuth("Postmark tracking", (hook) =>
 *   hook.post("/postmark/tracking/").send(deliveryPayload));
 */
export function describeWebhookBasicAuth(
  title: string,
  callWebhook: (hook: WebhookApp) => Test,
  { routerOptions = {}, signatureChecked = false, challenge = false }: BasicAuthSuiteOptions = {},
): void {
  const SECRET = "username:password-that-is-secret";
  const OTHER = "another-user:another-secret-pw";
  const withSecret = (webhookSecret: string | string[]) =>
    webhookApp({ ...routerOptions, webhookSecret });

  describe(`${title}: basic auth`, () => {
    it("[HOOK-10] accepts a request carrying the webhookSecret as basic auth", async () => {
      const hook = withSecret(SECRET);
      const res = await callWebhook(hook).set("Authorization", basicAuthHeader(SECRET));
      expect(res.status).to.equal(200);
      expect(hook.events).to.not.have.length(0);
    });

    it("[HOOK-11] refuses wrong credentials with 400 and emits nothing", async () => {
      const hook = withSecret(SECRET);
      const res = await callWebhook(hook).set("Authorization", basicAuthHeader("username:wrong"));
      expect(res.status).to.equal(400);
      expect(res.text).to.match(/basic auth/i);
      expect(hook.events).to.have.length(0);
    });

    it(`[HOOK-11] refuses missing credentials with ${challenge ? 401 : 400}`, async () => {
      const hook = withSecret(SECRET);
      const res = await callWebhook(hook);
      if (challenge) {
        expect(res.status).to.equal(401);
        expect(res.headers["www-authenticate"]).to.match(/^Basic /);
      } else {
        expect(res.status).to.equal(400);
        expect(res.headers["www-authenticate"]).to.equal(undefined);
      }
      expect(hook.events).to.have.length(0);
    });

    it("[HOOK-11] refuses a malformed Authorization header with 400", async () => {
      const hook = withSecret(SECRET);
      const res = await callWebhook(hook).set("Authorization", "Basic %%%not-base64");
      expect(res.status).to.equal(400);
      expect(hook.events).to.have.length(0);
    });

    it("[HOOK-12] accepts every secret of a list (credential rotation)", async () => {
      for (const secret of [SECRET, OTHER]) {
        const hook = withSecret([SECRET, OTHER]);
        const res = await callWebhook(hook).set("Authorization", basicAuthHeader(secret));
        expect(res.status, secret).to.equal(200);
        expect(hook.events).to.not.have.length(0);
      }
    });

    it("[HOOK-16] never puts the secret in the answer or the log", async () => {
      const hook = withSecret(SECRET);
      const res = await callWebhook(hook).set("Authorization", basicAuthHeader("username:x"));
      const seen = [res.text, ...hook.logs.warn, ...hook.logs.error].join("\n");
      expect(seen).to.not.include(SECRET.split(":")[1]);
      expect(seen).to.not.include(Buffer.from(SECRET).toString("base64"));
    });

    it(
      signatureChecked
        ? "[HOOK-15] without a secret, works and gives no warning (its signature is checked)"
        : "[HOOK-14] without a secret, works and warns once that webhooks are insecure",
      async () => {
        const hook = webhookApp(routerOptions);
        expect((await callWebhook(hook)).status).to.equal(200);
        expect((await callWebhook(hook)).status).to.equal(200);
        expect(hook.events).to.not.have.length(0);
        const warnings = hook.logs.warn.filter((line) => /insecure/.test(line));
        expect(warnings).to.have.length(signatureChecked ? 0 : 1);
      },
    );
  });
}
