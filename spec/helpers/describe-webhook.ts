/**
 * @module
 * The shared webhook kit: every registered ESP with webhook routes runs it with its profile
 * (`spec/kits/webhook/<esp>.ts`, export `webhook`, listed in its `index.ts`). It posts over HTTP (supertest, Express) and
 * checks what the router promises for every ESP: basic auth (400, or 401 with a challenge),
 * rotation, the missing-secret warning, signature failures, hostile bodies (4xx, never 5xx),
 * misrouted payloads (400 with an explanation) and the HEAD probe.
 */
import { expect } from "chai";
import request, { type Test } from "supertest";
import { getAdapter } from "../../lib/esps/registry.js";
import type { AnyEspAdapter } from "../../lib/esps/types.js";
import {
  basicAuthHeader,
  describeWebhookBasicAuth,
  webhookApp,
  type TestRouterOptions,
  type WebhookApp,
} from "./webhooks.js";

/** One HTTP call of an ESP: the body, its Content-Type and any headers (a signature). */
export interface WebhookCall {
  body: string | Buffer;
  contentType: string;
  headers?: Record<string, string>;
}

/** What the kit needs to know about one route of an ESP. */
export interface RouteProfile {
  /** A call the ESP could make, producing at least one event (signed where the ESP signs). */
  valid(): WebhookCall;
  /** Calls with a missing or wrong signature, by description: each must answer 400. */
  forged?: Record<string, () => WebhookCall>;
  /** Overrides the profile's `signatureProvesSender` for this route. */
  signatureProvesSender?: boolean;
}

export interface WebhookProfile {
  /** The adapter's name ("mailgun"). */
  esp: string;
  /** The ESP's webhook settings `valid()` needs (`anymailRouter({ <esp>: settings })`). */
  settings?: Record<string, unknown>;
  /**
   * Settings under which the ESP checks no signature, so hostile bodies reach its parser.
   * @default settings (hostile bodies are then refused by the signature check, still 4xx)
   */
  unsignedSettings?: Record<string, unknown>;
  /** Every route the ESP serves, by name ("tracking", "inbound", an extra route, "" for one URL). */
  routes: Record<string, RouteProfile>;
  /** With `settings` and no webhookSecret, a signature proves the sender: no insecure warning. */
  signatureProvesSender?: boolean;
  /**
   * Settings under which the signature proves the sender when `settings` alone do not (an
   * allow-list of the account's topics): there, without a webhookSecret, no insecure warning.
   */
  provenSettings?: Record<string, unknown>;
  /** Mocha hooks around the ESP's suite (a loopback server standing in for the ESP's API). */
  before?: () => Promise<void>;
  after?: () => Promise<void>;
  /**
   * [from, to]: a valid call of route `from` posted to route `to` must answer 400, explained.
   * @default tracking → inbound and inbound → tracking, when the ESP has both
   */
  misrouted?: readonly (readonly [string, string])[];
}

const SECRET = "kit-user:kit-password-0123456789";
// small limits, so "huge" needs no 40 MiB body
const LIMITS = { body: 256 * 1024, trackingBody: 256 * 1024 };

/** The routes an adapter serves, by name. */
export function routeNames(adapter: AnyEspAdapter): string[] {
  return [
    ...(adapter.tracking ? ["tracking"] : []),
    ...(adapter.inbound ? ["inbound"] : []),
    ...Object.keys(adapter.extraRoutes ?? {}),
  ];
}

function pathOf(esp: string, route: string): string {
  return route === "" ? `/${esp}/` : `/${esp}/${route}/`;
}

function post(hook: WebhookApp, path: string, call: WebhookCall): Test {
  let test = hook.post(path).set("Content-Type", call.contentType);
  for (const [name, value] of Object.entries(call.headers ?? {})) test = test.set(name, value);
  // bytes go as they are: superagent would JSON-encode a Buffer sent as application/json
  if (Buffer.isBuffer(call.body)) test = test.serialize((body: unknown) => body as string);
  return test.send(call.body);
}

/** Hostile bodies, by description: each must answer 4xx. */
function hostileBodies(limit: number): Record<string, WebhookCall> {
  const garbage = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256));
  const nested = "[".repeat(20_000) + "]".repeat(20_000);
  return {
    "binary garbage as JSON": { body: garbage, contentType: "application/json" },
    "binary garbage as a form": { body: garbage, contentType: "application/x-www-form-urlencoded" },
    "binary garbage as text": { body: garbage, contentType: "text/plain" },
    "binary garbage as raw MIME": { body: garbage, contentType: "message/rfc822" },
    "a multipart body without its boundary": {
      body: "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n",
      contentType: "multipart/form-data",
    },
    "truncated JSON": { body: '{"event": "delivered", "msg": {', contentType: "application/json" },
    "deeply nested JSON": { body: nested, contentType: "application/json" },
    "a body past the size limit": {
      body: Buffer.alloc(limit + 1, " "),
      contentType: "application/json",
    },
  };
}

/** Well-formed bodies of the wrong shape, by description: each must answer below 500. */
const WRONG_SHAPES: Record<string, WebhookCall> = Object.fromEntries(
  [
    ["a JSON string", '"hello"'],
    ["a JSON number", "42"],
    ["JSON null", "null"],
    ["an empty object", "{}"],
    ["an array of numbers", "[1, 2, 3]"],
    ["objects of nulls", '[{"event": null, "msg": null, "type": null, "Type": null}]'],
    ["__proto__ keys", '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": 1}}'],
    ["__proto__ in a batch", '[{"__proto__": {"polluted": "yes"}, "event": "delivered"}]'],
  ].map(([what, body]) => [what, { body, contentType: "application/json" }]),
);
WRONG_SHAPES["a __proto__ form field"] = {
  body: "__proto__%5Bpolluted%5D=yes&__proto__=x&constructor=y",
  contentType: "application/x-www-form-urlencoded",
};

/** The shared webhook suite for one ESP. */
export function describeWebhook(profile: WebhookProfile): void {
  const adapter = getAdapter(profile.esp);
  const esp = adapter.name;
  const name = adapter.displayName;
  const options = (extra: Record<string, unknown> = {}, settings = profile.settings) =>
    ({ [esp]: settings ?? {}, limits: LIMITS, ...extra }) as TestRouterOptions;
  const app = (extra?: Record<string, unknown>, settings?: Record<string, unknown>) =>
    webhookApp(options(extra, settings ?? profile.settings));

  describe(`${name} webhook kit`, () => {
    if (profile.before) before(profile.before);
    if (profile.after) after(profile.after);

    it("has a profile for every route the ESP serves", () => {
      expect(Object.keys(profile.routes).sort()).to.deep.equal(routeNames(adapter).sort());
    });

    for (const [route, routeProfile] of Object.entries(profile.routes)) {
      const path = pathOf(esp, route);
      const call = (hook: WebhookApp, made = routeProfile.valid()) => post(hook, path, made);

      describe(`${path}`, () => {
        it("[HOOK-10] a valid call answers 200 and emits its events", async () => {
          const hook = app();
          const res = await call(hook);
          expect(res.status, res.text).to.equal(200);
          expect(hook.events).to.not.have.length(0);
          expect(hook.events.every((e) => e.espName === name)).to.equal(true);
        });

        describeWebhookBasicAuth(path, (hook) => call(hook), {
          routerOptions: options(),
          signatureChecked:
            (routeProfile.signatureProvesSender ?? profile.signatureProvesSender) === true,
          challenge: adapter.basicAuthChallenge === true,
        });

        if (profile.provenSettings) {
          it("[HOOK-15] with its provenSettings and no secret, works and gives no warning", async () => {
            const hook = app({}, profile.provenSettings);
            expect((await call(hook)).status).to.equal(200);
            expect((await call(hook)).status).to.equal(200);
            expect(hook.events).to.not.have.length(0);
            expect(hook.logs.warn.filter((line) => /insecure/.test(line))).to.have.length(0);
          });
        }

        for (const [what, forge] of Object.entries(routeProfile.forged ?? {})) {
          it(`refuses ${what} with 400, even with valid basic auth`, async () => {
            for (const webhookSecret of [undefined, SECRET]) {
              const hook = app(webhookSecret ? { webhookSecret } : {});
              let test = call(hook, forge());
              if (webhookSecret) test = test.set("Authorization", basicAuthHeader(webhookSecret));
              const res = await test;
              expect(res.status, `${res.text} (secret: ${Boolean(webhookSecret)})`).to.equal(400);
              expect(hook.events).to.have.length(0);
            }
          });
        }

        const limit = route === "tracking" ? LIMITS.trackingBody : LIMITS.body;
        for (const [what, body] of Object.entries(hostileBodies(limit))) {
          it(`[HOOK-08] refuses ${what} with 4xx, never 5xx`, async () => {
            for (const settings of new Set([profile.unsignedSettings, profile.settings])) {
              const hook = app({}, settings ?? {});
              const res = await call(hook, body);
              expect(res.status, res.text).to.be.within(400, 499);
              if (what.includes("size limit")) expect(res.status).to.equal(413);
              expect(hook.events).to.have.length(0);
            }
          });
        }

        for (const [what, body] of Object.entries(WRONG_SHAPES)) {
          it(`[HOOK-08] answers ${what} below 500, and pollutes no prototype`, async () => {
            for (const settings of new Set([profile.unsignedSettings, profile.settings])) {
              const hook = app({}, settings ?? {});
              const res = await call(hook, body);
              expect(res.status, res.text).to.be.below(500);
              expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
            }
          });
        }

        it("answers a HEAD probe with 200 and emits nothing", async () => {
          const hook = app({ webhookSecret: SECRET });
          const res = await request(hook.app).head(`/anymail${path}`);
          expect(res.status).to.equal(200);
          expect(hook.events).to.have.length(0);
        });
      });
    }

    const both = profile.routes.tracking && profile.routes.inbound;
    const misrouted =
      profile.misrouted ??
      (both ? [["tracking", "inbound"] as const, ["inbound", "tracking"] as const] : []);
    for (const [from, to] of misrouted) {
      it(`refuses a /${from}/ payload posted to ${pathOf(esp, to)} with 400 and an explanation`, async () => {
        const hook = app();
        const res = await post(hook, pathOf(esp, to), profile.routes[from].valid());
        expect(res.status, res.text).to.equal(400);
        expect(res.text).to.match(/tracking|inbound|URL|webhook/i);
        expect(res.text).to.not.match(/could not be processed/);
        expect(hook.events).to.have.length(0);
      });
    }
  });
}

/** A small inbound message for profiles (raw MIME, CRLF line ends). */
export const KIT_MIME = [
  "From: Sender <sender@example.org>",
  "To: inbox@inbound.example.com",
  "Subject: Kit message",
  "Date: Mon, 23 Nov 2026 10:00:00 +0000",
  "Message-ID: <kit-1@example.org>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Hello from the webhook kit.",
  "",
].join("\r\n");

/** A JSON call. */
export function jsonCall(value: unknown, headers?: Record<string, string>): WebhookCall {
  return { body: JSON.stringify(value), contentType: "application/json", headers };
}
