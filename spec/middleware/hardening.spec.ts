/**
 * Issue #18 on the router, each attack mounted over real HTTP on loopback: slow and huge
 * anonymous uploads (item 2), forged forwarded headers and malformed Host (item 7), inbound
 * mail past mailparser's limits (item 9), secrets echoed into errors (item 4, router part);
 * and the bodies a route declares (#16).
 */
import { createServer, type RequestListener, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { Readable } from "node:stream";
import express from "express";
import request from "supertest";
import { expect } from "chai";
import { anymailRouter } from "../../lib/middleware/router.js";
import {
  AnymailBodyTimeout,
  AnymailPayloadTooLarge,
  checkedLimits,
  parseDeclaredBody,
  readBody,
} from "../../lib/middleware/body.js";
import { AnymailWebhookValidationFailure } from "../../lib/errors.js";
import { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import { AnymailInboundEvent } from "../../lib/events/inbound.js";
import { AnymailInboundMessage } from "../../lib/events/inbound-message.js";
import type { EspAdapter, WebhookHandler, WebhookRequest } from "../../lib/esps/types.js";
import { basicAuthHeader, collectingLogger, webhookApp } from "../helpers/webhooks.js";
import { fakeEsp } from "./fake-esp.js";

/** Answers with one "unknown" event holding the request it saw. */
function echo(extra: Partial<WebhookHandler> = {}): WebhookHandler {
  return {
    handle: (request) => [new AnymailTrackingEvent({ eventType: "unknown", espEvent: request })],
    ...extra,
  };
}

const SIGNING_KEY = "hardy-signing-key-0123";

/** An ESP whose routes each declare one kind of body, and one that echoes secrets back. */
const hardyEsp = {
  name: "hardy",
  displayName: "Hardy",
  features: {},
  webhookSettings: { signingKey: { secret: true } },
  tracking: echo(),
  inbound: {
    async handle(request) {
      const message = await AnymailInboundMessage.fromRaw(request.rawBody);
      return [new AnymailInboundEvent({ message, espEvent: null })];
    },
  },
  extraRoutes: {
    json: echo({ body: "json" }),
    form: echo({ body: "form" }),
    raw: echo({ body: "raw" }),
    auto: echo({ body: "auto" }),
    // a careless handler that puts what it was given into its errors
    leaky: {
      handle(request, context) {
        const key = String(context.settings.signingKey);
        if (request.headers["x-crash"]) throw new Error(`crashed with Bearer ${key}`);
        throw new AnymailWebhookValidationFailure(
          `refused ${String(request.headers.authorization)} / ${key} / ` +
            `${Buffer.from(key).toString("base64")}`,
        );
      },
    },
  },
} satisfies EspAdapter;

/** An ESP whose signature anyone can produce (like SNS's), and one whose proves the sender. */
function signedEsp(name: string, provesSender: boolean): EspAdapter {
  return {
    name,
    displayName: name,
    features: {},
    tracking: echo({
      signature: { enabled: () => true, provesSender: () => provesSender, verify: () => {} },
    }),
  };
}

const esps = [hardyEsp, fakeEsp];

/** Listens on loopback; closes after the test. */
async function listen(app: RequestListener): Promise<Server & { port: number }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

/** Sends raw bytes on a new connection; resolves with everything received until it closes. */
function rawExchange(
  port: number,
  bytes: string,
  { waitMs = 5000 }: { waitMs?: number } = {},
): { done: Promise<{ text: string; closed: boolean }>; end(): void } {
  const socket = connect(port, "127.0.0.1");
  socket.write(bytes);
  let text = "";
  socket.on("data", (chunk) => (text += chunk.toString("latin1")));
  const done = new Promise<{ text: string; closed: boolean }>((resolve) => {
    const timer = setTimeout(() => resolve({ text, closed: false }), waitMs);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.on("error", () => {});
  });
  return { done, end: () => socket.destroy() };
}

function stalledPost(port: number, path: string): ReturnType<typeof rawExchange> {
  return rawExchange(
    port,
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: 1000\r\n\r\n[{"a":`,
  );
}

describe("Webhook hardening (#18): bodies", () => {
  let server: (Server & { port: number }) | undefined;
  afterEach(() => server?.close());

  it("[#18-2] a body that does not arrive before the deadline answers 408 and the connection closes", async () => {
    const hook = webhookApp({ esps, limits: { bodyTimeoutMs: 200 } });
    server = await listen(hook.app);
    const started = Date.now();
    const { text, closed } = await stalledPost(server.port, "/anymail/hardy/tracking/").done;
    expect(text).to.match(/^HTTP\/1\.1 408 /);
    expect(text).to.match(/bodyTimeoutMs/);
    expect(closed).to.equal(true);
    expect(Date.now() - started).to.be.below(3000);
    expect(hook.events).to.have.length(0);
  });

  it("[#18-2] the deadline defaults to 30 s and is configurable", () => {
    expect(() => anymailRouter({ env: {}, limits: { bodyTimeoutMs: 0 } })).to.throw(
      /limits\.bodyTimeoutMs/,
    );
  });

  it("[#18-2] tracking routes refuse bodies past a few MiB; inbound routes take large ones", async () => {
    const hook = webhookApp({ esps });
    server = await listen(hook.app);
    const big = Buffer.alloc(5 * 1024 * 1024, "a");
    const tracking = await request(server)
      .post("/anymail/hardy/tracking/")
      .type("text/plain")
      .send(big);
    expect(tracking.status).to.equal(413);
    expect(tracking.text).to.match(/limits: \{ trackingBody/);
    const other = await request(server).post("/anymail/hardy/raw/").type("text/plain").send(big);
    expect(other.status).to.equal(200);
  });

  it("[#18-2] a chunked tracking body (no Content-Length) is cut off at the limit with 413", async () => {
    const hook = webhookApp({ esps, limits: { trackingBody: 1024 } });
    server = await listen(hook.app);
    const chunk = "x".repeat(4096);
    const { text } = await rawExchange(
      server.port,
      `POST /anymail/hardy/tracking/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n` +
        `Content-Type: text/plain\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n`,
    ).done;
    expect(text).to.match(/^HTTP\/1\.1 413 /);
  });

  it("[#18-2] past the cap of anonymous bodies being read on a route, answers 503 with Retry-After", async () => {
    const hook = webhookApp({ esps, limits: { concurrentBodies: 2, bodyTimeoutMs: 5000 } });
    server = await listen(hook.app);
    const stalled = [1, 2].map(() => stalledPost(server!.port, "/anymail/hardy/tracking/"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await request(server).post("/anymail/hardy/tracking/").send([{}]);
    expect(refused.status).to.equal(503);
    expect(refused.headers["retry-after"]).to.match(/^\d+$/);
    // the cap is per route
    expect((await request(server).post("/anymail/hardy/auto/").send([{}])).status).to.equal(200);
    // slots come back when the stalled uploads go away
    for (const upload of stalled) upload.end();
    await Promise.all(stalled.map((upload) => upload.done));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await request(server).post("/anymail/hardy/tracking/").send([{}])).status).to.equal(
      200,
    );
  });

  it("[#18-2] requests that passed basic auth are not counted against the anonymous cap", async () => {
    const hook = webhookApp({
      esps,
      webhookSecret: "user:pass-word",
      limits: { concurrentBodies: 1, bodyTimeoutMs: 5000 },
    });
    server = await listen(hook.app);
    const auth = basicAuthHeader("user:pass-word");
    const stalled = rawExchange(
      server.port,
      `POST /anymail/hardy/tracking/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n[`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await request(server)
      .post("/anymail/hardy/tracking/")
      .set("Authorization", auth)
      .send([{}]);
    expect(res.status).to.equal(200);
    stalled.end();
  });

  it("[#18-2] warns that a route is insecure when its only protection is a signature anyone can produce", async () => {
    const hook = webhookApp({ esps: [signedEsp("anyone", false), signedEsp("account", true)] });
    expect((await hook.post("/account/tracking/").send({})).status).to.equal(200);
    expect(hook.logs.warn.join()).to.not.match(/insecure/);
    expect((await hook.post("/anyone/tracking/").send({})).status).to.equal(200);
    expect(hook.logs.warn.join()).to.match(/anyone webhooks are insecure: its signature can be/);
  });
});

describe("Webhook hardening (#18): the public URL (item 7)", () => {
  const urlOf = (hook: ReturnType<typeof webhookApp>) =>
    (hook.tracking[0].espEvent as WebhookRequest).url.href;

  it("[#18-7] ignores X-Forwarded-Host and -Proto when the app does not trust its proxy", async () => {
    for (const host of ["127.0.0.1", "LOCALHOST", "localhost:80"]) {
      const hook = webhookApp({ esps });
      const res = await hook
        .post("/hardy/auto/")
        .set("Host", host)
        .set("X-Forwarded-Host", "attacker.example")
        .set("X-Forwarded-Proto", "https")
        .send({});
      expect(res.status, host).to.equal(200);
      expect(urlOf(hook), host).to.match(/^http:\/\/(127\.0\.0\.1|localhost)/);
    }
  });

  it("[#18-7] believes them behind a trusted proxy (Express trust proxy, or the trustProxy option)", async () => {
    const app = express();
    app.set("trust proxy", "loopback");
    const logger = collectingLogger();
    const router = anymailRouter({ esps, env: {}, logger });
    const seen: AnymailTrackingEvent[] = [];
    router.emitter.on("tracking", (event) => void seen.push(event));
    app.use("/anymail", router);
    await request(app)
      .post("/anymail/hardy/auto/")
      .set("X-Forwarded-Host", "hooks.example.com")
      .set("X-Forwarded-Proto", "https")
      .send({})
      .expect(200);
    expect((seen[0].espEvent as WebhookRequest).url.href).to.equal(
      "https://hooks.example.com/anymail/hardy/auto/",
    );
    // no Express: only the option turns it on
    const plain = anymailRouter({ esps, env: {}, logger, trustProxy: true });
    plain.emitter.on("tracking", (event) => void seen.push(event));
    await request(createServer((req, res) => plain(req, res)))
      .post("/hardy/auto/")
      .set("X-Forwarded-Host", "proxy.example.com")
      .send({})
      .expect(200);
    expect((seen[1].espEvent as WebhookRequest).url.host).to.equal("proxy.example.com");
    const untrusting = anymailRouter({ esps, env: {}, logger });
    untrusting.emitter.on("tracking", (event) => void seen.push(event));
    await request(createServer((req, res) => untrusting(req, res)))
      .post("/hardy/auto/")
      .set("X-Forwarded-Host", "proxy.example.com")
      .send({})
      .expect(200);
    expect((seen[2].espEvent as WebhookRequest).url.host).to.not.equal("proxy.example.com");
  });

  it("[#18-7] a path beginning // or /\\ cannot name the host", async () => {
    const seen: AnymailTrackingEvent[] = [];
    const router = anymailRouter({ esps, env: {}, logger: collectingLogger() });
    router.emitter.on("tracking", (event) => void seen.push(event));
    const server = createServer((req, res) => router(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const path of ["//hardy/auto/", "/\\attacker.example/../hardy/auto/"]) {
        const { text } = await rawExchange(
          port,
          `POST ${path} HTTP/1.1\r\nHost: hooks.example.com\r\nContent-Type: application/json\r\n` +
            `Content-Length: 2\r\nConnection: close\r\n\r\n{}`,
        ).done;
        expect(text, path).to.match(/^HTTP\/1\.1 (200|404) /);
      }
      // the first path reaches the route (findRoute skips repeated slashes)
      expect(seen).to.have.length(1);
      const { url } = seen[0].espEvent as WebhookRequest;
      expect(url.host).to.equal("hooks.example.com");
      expect(url.pathname).to.equal("//hardy/auto/");
    } finally {
      server.close();
    }
  });

  it("[#18-7] refuses a malformed Host with 400", async () => {
    const hook = webhookApp({ esps });
    const server = await listen(hook.app);
    try {
      for (const host of ["a@127.0.0.1", "evil.example/path", "a b", "x:y:z"]) {
        const { text } = await rawExchange(
          server.port,
          `POST /anymail/hardy/auto/ HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
            `Content-Length: 2\r\nConnection: close\r\n\r\n{}`,
        ).done;
        expect(text, host).to.match(/^HTTP\/1\.1 400 /);
        expect(text, host).to.match(/Malformed Host header/);
      }
      expect(hook.events).to.have.length(0);
    } finally {
      server.close();
    }
  });
});

describe("Webhook hardening (#18): inbound mail past mailparser's limits (item 9)", () => {
  const headerLines = (bytes: number) =>
    Array.from({ length: Math.ceil(bytes / 80) }, (_, i) => `X-Filler-${i}: ${"f".repeat(64)}`);
  const mime = (extraHeaders: string[], body = "Hello") =>
    ["From: a@example.com", "To: b@example.com", "Subject: big", ...extraHeaders, "", body].join(
      "\r\n",
    );

  it("[#18-9] headers past mimeHeaderBytes answer 413 (not 400) and log how to raise the limit", async () => {
    const hook = webhookApp({ esps });
    const server = await listen(hook.app);
    try {
      const res = await request(server)
        .post("/anymail/hardy/inbound/")
        .type("message/rfc822")
        .send(mime(headerLines(1.5 * 1024 * 1024)));
      expect(res.status).to.equal(413);
      expect(res.text).to.match(/mimeHeaderBytes/);
      expect(hook.logs.error.join()).to.match(/limits: \{ mimeHeaderBytes/);
      expect(hook.inbound).to.have.length(0);
    } finally {
      server.close();
    }
  });

  it("[#18-9] raising the limit lets the same message through", async () => {
    const hook = webhookApp({ esps, limits: { mimeHeaderBytes: 4 * 1024 * 1024 } });
    const res = await hook
      .post("/hardy/inbound/")
      .type("message/rfc822")
      .send(mime(headerLines(1.5 * 1024 * 1024)));
    expect(res.status).to.equal(200);
    expect(hook.inbound).to.have.length(1);
  });

  it("[#18-9] too many MIME parts answer 413 naming mimeParts", async () => {
    const hook = webhookApp({ esps, limits: { mimeParts: 10 } });
    const parts = Array.from(
      { length: 20 },
      (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}`,
    );
    const res = await hook
      .post("/hardy/inbound/")
      .type("message/rfc822")
      .send(
        mime(['Content-Type: multipart/mixed; boundary="b"'], [...parts, "--b--"].join("\r\n")),
      );
    expect(res.status).to.equal(413);
    expect(hook.logs.error.join()).to.match(/mimeParts/);
  });
});

describe("Webhook hardening (#18): secrets in answers and logs (item 4)", () => {
  const SECRET = "hook-user:hook-pass-9876";
  const forms = [
    SECRET,
    "hook-pass-9876",
    Buffer.from(SECRET).toString("base64"),
    SIGNING_KEY,
    Buffer.from(SIGNING_KEY).toString("base64"),
  ];

  it("[#18-4] masks the secret, its base64 pair and a signing key a handler echoes", async () => {
    const hook = webhookApp({ esps, webhookSecret: SECRET, hardy: { signingKey: SIGNING_KEY } });
    const server = await listen(hook.app);
    try {
      const refused = await request(server)
        .post("/anymail/hardy/leaky/")
        .set("Authorization", basicAuthHeader(SECRET))
        .send({});
      expect(refused.status).to.equal(400);
      expect(refused.text).to.match(/refused .*\[redacted\]/);
      const crashed = await request(server)
        .post("/anymail/hardy/leaky/")
        .set("Authorization", basicAuthHeader(SECRET))
        .set("X-Crash", "1")
        .send({});
      expect(crashed.status).to.equal(400);
      const seen = [refused.text, crashed.text, ...hook.logs.warn, ...hook.logs.error].join("\n");
      expect(hook.logs.error.join()).to.match(/crashed with Bearer \[redacted\]/);
      for (const form of forms) expect(seen, form).to.not.include(form);
    } finally {
      server.close();
    }
  });
});

describe("Webhook router: declared bodies (#16)", () => {
  const seen = (hook: ReturnType<typeof webhookApp>) => hook.tracking[0].espEvent as WebhookRequest;

  it('"json" parses JSON whatever the Content-Type, and keeps the raw bytes', async () => {
    const hook = webhookApp({ esps });
    const res = await hook.post("/hardy/json/").type("text/plain").send('{"a":1}');
    expect(res.status).to.equal(200);
    expect(seen(hook).json).to.deep.equal({ a: 1 });
    expect(seen(hook).rawBody.toString()).to.equal('{"a":1}');
  });

  it('"json" answers 400 for a body that is not JSON, or none', async () => {
    const hook = webhookApp({ esps });
    const bad = await hook.post("/hardy/json/").type("form").send("a=1");
    expect(bad.status).to.equal(400);
    expect(bad.text).to.match(/Malformed JSON/);
    const empty = await hook.post("/hardy/json/").type("application/json").send("");
    expect(empty.status).to.equal(400);
    expect(hook.events).to.have.length(0);
  });

  it('"form" parses urlencoded and multipart, and refuses JSON with an explanation', async () => {
    const hook = webhookApp({ esps });
    expect((await hook.post("/hardy/form/").type("form").send("a=1&a=2")).status).to.equal(200);
    expect(seen(hook).form?.a).to.deep.equal(["1", "2"]);
    const multipart = await hook
      .post("/hardy/form/")
      .field("b", "x")
      .attach("f", Buffer.from("hi"), "f.txt");
    expect(multipart.status).to.equal(200);
    expect(hook.tracking[1].espEvent).to.have.nested.property("files[0].filename", "f.txt");
    const json = await hook.post("/hardy/form/").send({ a: 1 });
    expect(json.status).to.equal(400);
    expect(json.text).to.match(/expects a form post.*Check which URL/s);
  });

  it('"raw" parses nothing; "auto" parses by Content-Type', async () => {
    const hook = webhookApp({ esps });
    await hook.post("/hardy/raw/").send({ a: 1 }).expect(200);
    expect(seen(hook).json).to.equal(undefined);
    expect(seen(hook).rawBody.toString()).to.equal('{"a":1}');
    await hook.post("/hardy/auto/").send({ a: 1 }).expect(200);
    expect(hook.tracking[1].espEvent).to.have.deep.property("json", { a: 1 });
  });
});

describe("Webhook steps over a Fetch-API Request (#21 groundwork)", () => {
  it("the body step reads a Request's body stream and parses what the route declares", async () => {
    const fetchRequest = new Request("https://hooks.example.com/anymail/hardy/json/", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: '{"a":[1,2]}',
    });
    const raw = await readBody(Readable.fromWeb(fetchRequest.body as never), {
      limit: 1024,
      deadlineMs: 1000,
    });
    const parsed = await parseDeclaredBody(raw, "text/plain", "json", checkedLimits({}));
    expect(parsed).to.deep.equal({ contentType: "text/plain", json: { a: [1, 2] } });
  });

  it("the body step gives a Buffer whatever the chunks: one Buffer as it came, Uint8Arrays, several", async () => {
    const options = { limit: 1024, deadlineMs: 1000 };
    const one = Buffer.from('{"é":1}');
    const fromOne = await readBody(Readable.from([one], { objectMode: false }), options);
    expect(fromOne).to.equal(one);
    const bytes = new TextEncoder().encode('{"é":2}');
    const fromWebChunk = await readBody(Readable.from([bytes], { objectMode: false }), options);
    expect(Buffer.isBuffer(fromWebChunk)).to.equal(true);
    expect(fromWebChunk.toString("utf8")).to.equal('{"é":2}');
    const parts = [Buffer.from('{"a"'), new TextEncoder().encode(':"ü"}'), Buffer.from(" ")];
    const fromSeveral = await readBody(Readable.from(parts, { objectMode: false }), options);
    expect(Buffer.isBuffer(fromSeveral)).to.equal(true);
    expect(fromSeveral.toString("utf8")).to.equal('{"a":"ü"} ');
  });

  it("the body step refuses a stream past its limit, and one that stalls past its deadline", async () => {
    const big = new Request("https://x.example/", { method: "POST", body: "x".repeat(2048) });
    const tooBig = await readBody(Readable.fromWeb(big.body as never), {
      limit: 1024,
      deadlineMs: 1000,
    }).catch((error: unknown) => error);
    expect(tooBig).to.be.instanceOf(AnymailPayloadTooLarge);
    const stalled = new Readable({ read() {} });
    stalled.push("[");
    const slow = await readBody(stalled, { limit: 1024, deadlineMs: 50 }).catch(
      (error: unknown) => error,
    );
    expect(slow).to.be.instanceOf(AnymailBodyTimeout);
  });
});
