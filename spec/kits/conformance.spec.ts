/**
 * The same webhook cases through every framework anymail mounts in: Express, Connect,
 * node:http, the Fetch handler (Bun/Deno style, Node's own Request), Hono on
 * @hono/node-server, a Next.js-style catch-all route and a Lambda HTTP event. The calls come
 * from the webhook kit profiles (spec/kits/webhook/*.ts): every route of every ESP, signed
 * where the ESP signs, with basic auth, forged and misauthenticated. Express is the
 * reference: every other framework must answer the same status and emit the same events.
 */
import { createHmac } from "node:crypto";
import { expect } from "chai";
import type { AnymailInboundEvent } from "../../lib/events/inbound.js";
import type { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import type { WebhookCall } from "../helpers/describe-webhook.js";
import { basicAuthHeader, type EmittedEvent, type TestRouterOptions } from "../helpers/webhooks.js";
import {
  lambdaEventOf,
  TRANSPORTS,
  type Mounted,
  type TransportCall,
} from "../helpers/transports.js";
import { lambdaHandler } from "../../lib/lambda/index.js";
import { WEBHOOK_PROFILES } from "./webhook/index.js";

const SECRET = "conformance-user:conformance-password-42";
const LIMITS = { body: 64 * 1024, trackingBody: 64 * 1024 };

/** What must be the same whichever framework received the call. */
function summary({ channel, event, espName }: EmittedEvent): Record<string, unknown> {
  if (channel === "inbound") {
    const { eventType, eventId, message } = event as AnymailInboundEvent;
    return { channel, espName, eventType, eventId, subject: message.subject, text: message.text };
  }
  const { eventType, eventId, messageId, recipient, timestamp } = event as AnymailTrackingEvent;
  return { channel, espName, eventType, eventId, messageId, recipient, time: timestamp?.getTime() };
}

function callOf(
  path: string,
  made: WebhookCall,
  headers: Record<string, string> = {},
): TransportCall {
  return {
    path,
    body: made.body,
    headers: { "content-type": made.contentType, ...made.headers, ...headers },
  };
}

interface Case {
  title: string;
  options: TestRouterOptions;
  call: () => TransportCall;
  status: number;
}

/** The cases of one ESP route, from its kit profile. */
function casesOf(esp: string, route: string): Case[] {
  const profile = WEBHOOK_PROFILES[esp];
  const routeProfile = profile.routes[route];
  const path = route === "" ? `/${esp}/` : `/${esp}/${route}/`;
  const settings = profile.settings ?? {};
  const signs = profile.settings !== undefined;
  const cases: Case[] = [
    {
      title: signs ? "a signed call" : "an unsigned call",
      options: { [esp]: settings, limits: LIMITS },
      call: () => callOf(path, routeProfile.valid()),
      status: 200,
    },
    {
      title: `a call with basic auth${profile.unsignedSettings ? ", signature check off" : ""}`,
      options: {
        [esp]: profile.unsignedSettings ?? settings,
        webhookSecret: SECRET,
        limits: LIMITS,
      },
      call: () => callOf(path, routeProfile.valid(), { authorization: basicAuthHeader(SECRET) }),
      status: 200,
    },
    {
      title: "a call with the wrong basic auth",
      options: { [esp]: settings, webhookSecret: SECRET, limits: LIMITS },
      call: () =>
        callOf(path, routeProfile.valid(), { authorization: basicAuthHeader("x:wrong-password") }),
      status: 400,
    },
  ];
  const [forgery, forge] = Object.entries(routeProfile.forged ?? {})[0] ?? [];
  if (forge) {
    cases.push({
      title: `a forged call (${forgery})`,
      options: { [esp]: settings, limits: LIMITS },
      call: () => callOf(path, forge()),
      status: 400,
    });
  }
  return cases;
}

async function withMounted<T>(
  mounting: Promise<Mounted>,
  use: (mounted: Mounted) => Promise<T>,
): Promise<T> {
  const mounted = await mounting;
  try {
    return await use(mounted);
  } finally {
    await mounted.close();
  }
}

describe("Webhook conformance: the same cases through every framework", function () {
  this.timeout(30_000);

  for (const [esp, profile] of Object.entries(WEBHOOK_PROFILES)) {
    describe(esp, () => {
      // a loopback server standing in for the ESP's API, where the profile needs one
      if (profile.before) before(profile.before);
      if (profile.after) after(profile.after);
      for (const route of Object.keys(profile.routes)) {
        for (const { title, options, call, status } of casesOf(esp, route)) {
          it(`${esp} ${route || "(single URL)"}: ${title} answers ${status} everywhere, with the same events`, async () => {
            let reference: Record<string, unknown>[] | undefined;
            // the same bytes everywhere (Mailgun signs a fresh token into each call)
            const sent = call();
            for (const transport of TRANSPORTS) {
              await withMounted(transport.mount(options), async (mounted) => {
                const answer = await mounted.call(sent);
                const where = `${transport.name}: ${answer.text}`;
                expect(answer.status, where).to.equal(status);
                const events = mounted.events.map(summary);
                if (status !== 200) {
                  expect(events, where).to.deep.equal([]);
                  return;
                }
                expect(events, where).to.not.deep.equal([]);
                reference ??= events;
                expect(events, transport.name).to.deep.equal(reference);
              });
            }
          });
        }
      }
    });
  }
});

describe("Webhook conformance: what the service answers itself, in every framework", () => {
  const TRACKING = WEBHOOK_PROFILES.postmark.routes.tracking;
  const path = "/postmark/tracking/";

  for (const transport of TRANSPORTS) {
    describe(transport.name, () => {
      let mounted: Mounted;
      beforeEach(async () => {
        mounted = await transport.mount({ limits: LIMITS, webhookSecret: SECRET });
      });
      afterEach(() => mounted.close());
      const auth = { authorization: basicAuthHeader(SECRET) };

      it("[HOOK-01] answers 404 for an ESP it does not know", async () => {
        const answer = await mounted.call({ path: "/no_such_esp/tracking/", body: "{}" });
        expect(answer.status).to.equal(404);
      });

      it("answers 404, explained, for a route the ESP does not have", async () => {
        const answer = await mounted.call(callOf("/postmark/nothing/", TRACKING.valid(), auth));
        expect(answer.status).to.equal(404);
        expect(answer.text).to.match(/Postmark has no "nothing" webhook/);
      });

      it("answers 405 with Allow for a method other than POST or a probe", async () => {
        const answer = await mounted.call({
          ...callOf(path, TRACKING.valid(), auth),
          method: "PUT",
        });
        expect(answer.status).to.equal(405);
        expect(answer.headers.allow).to.match(/POST/);
      });

      it("answers a HEAD probe with 200 and emits nothing", async () => {
        const answer = await mounted.call({ method: "HEAD", path });
        expect(answer.status).to.equal(200);
        expect(mounted.events).to.deep.equal([]);
      });

      it("[HOOK-08] refuses a body past the limit with 413", async () => {
        const big = Buffer.alloc(LIMITS.trackingBody + 1, " ");
        const answer = await mounted.call({
          path,
          body: big,
          headers: { "content-type": "application/json", ...auth },
        });
        expect(answer.status).to.equal(413);
        expect(answer.text).to.match(/trackingBody/);
      });

      it("[HOOK-23] answers 400 when a listener fails, so the ESP retries", async () => {
        mounted.emitter.on("tracking", () => {
          throw new Error("database down");
        });
        const answer = await mounted.call(callOf(path, TRACKING.valid(), auth));
        expect(answer.status).to.equal(400);
        expect(mounted.logs.error.join("\n")).to.match(/listener failed/);
      });

      it("[HOOK-16] answers plain text that never holds the secret", async () => {
        const answer = await mounted.call(
          callOf(path, TRACKING.valid(), { authorization: basicAuthHeader("x:y") }),
        );
        expect(answer.status).to.equal(400);
        expect(answer.headers["content-type"]).to.match(/^text\/plain/);
        expect(answer.text + mounted.logs.warn.join("")).to.not.include(SECRET.split(":")[1]);
      });
    });
  }
});

/** A Mandrill call signed for `url` (HMAC-SHA1 of the URL and the sorted fields). */
function mandrillCall(key: string, url: string): WebhookCall {
  const events = JSON.stringify([
    {
      event: "open",
      _id: "url-case",
      ts: 1700000000,
      msg: { _id: "url-case", email: "to@example.com" },
    },
  ]);
  const signature = createHmac("sha1", key)
    .update(`${url}mandrill_events${events}`)
    .digest("base64");
  return {
    body: new URLSearchParams({ mandrill_events: events }).toString(),
    contentType: "application/x-www-form-urlencoded",
    headers: { "X-Mandrill-Signature": signature },
  };
}

describe("Webhook conformance: a signed-URL ESP (Mandrill) behind every framework", () => {
  const KEY = "conformance-mandrill-key";

  for (const transport of TRANSPORTS) {
    describe(transport.name, () => {
      it("checks the signature against the public URL the framework reports", async () => {
        const url = `${transport.scheme}://hooks.example.com${transport.prefix}/mandrill/`;
        await withMounted(transport.mount({ mandrill: { webhookKey: KEY } }), async (mounted) => {
          const answer = await mounted.call(callOf("/mandrill/", mandrillCall(KEY, url)));
          expect(answer.status, answer.text).to.equal(200);
          expect(mounted.events.map((e) => e.event.eventType)).to.deep.equal(["opened"]);
        });
      });

      it("believes X-Forwarded-Proto/-Host only with trustProxy", async () => {
        const url = `https://public.example.com${transport.prefix}/mandrill/`;
        const proxied = callOf("/mandrill/", mandrillCall(KEY, url), {
          "x-forwarded-proto": "https",
          "x-forwarded-host": "public.example.com",
        });
        const trusting = { mandrill: { webhookKey: KEY }, trustProxy: true };
        await withMounted(transport.mount(trusting), async (mounted) => {
          const answer = await mounted.call(proxied);
          expect(answer.status, answer.text).to.equal(200);
        });
        await withMounted(transport.mount({ mandrill: { webhookKey: KEY } }), async (mounted) => {
          const answer = await mounted.call(proxied);
          expect(answer.status, answer.text).to.equal(400);
          expect(answer.text).to.match(/signature/i);
        });
      });

      it("uses webhookUrl when set, whatever URL the framework reports", async () => {
        const webhookUrl = "https://entered-at-mandrill.example.com/hooks/mandrill/";
        const settings = { mandrill: { webhookKey: KEY, webhookUrl } };
        await withMounted(transport.mount(settings), async (mounted) => {
          const answer = await mounted.call(callOf("/mandrill/", mandrillCall(KEY, webhookUrl)));
          expect(answer.status, answer.text).to.equal(200);
        });
      });
    });
  }
});

describe("Webhook conformance: Lambda events", () => {
  const handler = () => lambdaHandler({ env: {}, logger: { warn() {}, error() {} } });

  it("decodes a base64 body exactly as the plain one", async () => {
    for (const base64 of [false, true]) {
      const seen: string[] = [];
      const lambda = handler();
      lambda.emitter.on("tracking", (event) => void seen.push(event.eventType));
      const made = WEBHOOK_PROFILES.postmark.routes.tracking.valid();
      const event = lambdaEventOf("/anymail/postmark/tracking/", callOf("", made), { base64 });
      expect(event.isBase64Encoded).to.equal(base64);
      const result = await lambda(event);
      expect(result.statusCode, result.body).to.equal(200);
      expect(seen).to.deep.equal(["delivered"]);
    }
  });

  it("serves under a stage prefix and answers a structured result", async () => {
    const made = WEBHOOK_PROFILES.postmark.routes.tracking.valid();
    const result = await handler()(
      lambdaEventOf("/prod/anymail/postmark/tracking", callOf("", made)),
    );
    expect(result).to.deep.include({ statusCode: 200, body: "", isBase64Encoded: false });
    expect(result.headers["content-type"]).to.match(/^text\/plain/);
  });

  it("refuses a REST API (payload 1.0) event with a configuration error", async () => {
    const v1 = { resource: "/{proxy+}", path: "/anymail/postmark/tracking", httpMethod: "POST" };
    let failure: unknown;
    await handler()(v1 as never).catch((error: unknown) => (failure = error));
    expect(String(failure)).to.match(/payload format 2\.0/);
  });
});
