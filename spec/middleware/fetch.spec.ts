/**
 * createWebhookHandler on its own: what only a Fetch-API request can do (a body already
 * read, a streamed body, routes found under any mount point) and the options it adds.
 * Everything it shares with anymailRouter runs in spec/kits/conformance.spec.ts.
 */
import { expect } from "chai";
import { Hono } from "hono";
import { AnymailConfigurationError } from "../../lib/errors.js";
import { anymailHono } from "../../lib/hono/index.js";
import { createWebhookHandler } from "../../lib/middleware/fetch.js";
import { collectingLogger } from "../helpers/webhooks.js";
import { fakeEsp } from "./fake-esp.js";

const BATCH = [
  { type: "delivered", id: "e1", recipient: "a@example.com" },
  { type: "opened", id: "e2", recipient: "b@example.com" },
];

function handlerWith(options: Parameters<typeof createWebhookHandler>[0] = {}) {
  const logger = collectingLogger();
  const handler = createWebhookHandler({ esps: [fakeEsp], env: {}, logger, ...options });
  const seen: string[] = [];
  handler.emitter.on("tracking", (event) => void seen.push(event.eventId ?? ""));
  return { handler, seen, logs: logger.lines };
}

function post(
  url: string,
  body: string | ReadableStream<Uint8Array> | null,
  headers: Record<string, string> = {},
) {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** A body stream that hands out `chunks`, then stays open when `hang`. */
function streamOf(chunks: string[], { hang = false } = {}): ReadableStream<Uint8Array> {
  let pulled = 0;
  return new ReadableStream({
    pull(controller) {
      if (pulled < chunks.length) controller.enqueue(new TextEncoder().encode(chunks[pulled++]));
      else if (!hang) controller.close();
    },
  });
}

describe("createWebhookHandler (Fetch API)", () => {
  it("[HOOK-01] finds the route at the end of any path, or below basePath", async () => {
    const { handler, seen } = handlerWith();
    const body = JSON.stringify(BATCH);
    for (const url of [
      "https://hooks.example.com/fake/tracking",
      "https://hooks.example.com/anymail/fake/tracking/",
      "https://hooks.example.com/api/v1/anymail/fake/tracking/?x=1",
    ]) {
      expect((await handler(post(url, body))).status, url).to.equal(200);
    }
    expect(seen).to.have.length(6);

    const based = handlerWith({ basePath: "/hooks/anymail/" });
    const ok = await based.handler(post("https://h.example/hooks/anymail/fake/tracking/", body));
    expect(ok.status).to.equal(200);
    const outside = await based.handler(post("https://h.example/other/fake/tracking/", body));
    expect(outside.status).to.equal(404);
  });

  it("reads a streamed body once, chunk by chunk, never through arrayBuffer()/text()", async () => {
    const { handler, seen } = handlerWith();
    const text = JSON.stringify(BATCH);
    const request = post(
      "https://hooks.example.com/fake/tracking/",
      streamOf([text.slice(0, 10), text.slice(10, 30), text.slice(30)]),
    );
    for (const reader of ["arrayBuffer", "text", "json", "blob", "formData"] as const) {
      Object.defineProperty(request, reader, {
        value: () => {
          throw new Error(`${reader}() called`);
        },
      });
    }
    const response = await handler(request);
    expect(response.status, await response.text()).to.equal(200);
    expect(seen).to.deep.equal(["e1", "e2"]);
    expect(request.bodyUsed).to.equal(true);
  });

  it("refuses a body that was already read with 400, explained", async () => {
    const { handler, seen } = handlerWith();
    const request = post("https://hooks.example.com/fake/tracking/", JSON.stringify(BATCH));
    await request.json();
    const response = await handler(request);
    expect(response.status).to.equal(400);
    expect(await response.text()).to.match(/already read/);
    expect(seen).to.deep.equal([]);
  });

  it("[HOOK-08] answers 408 when the body stream stops arriving", async () => {
    const { handler } = handlerWith({ limits: { bodyTimeoutMs: 100 } });
    const request = post(
      "https://hooks.example.com/fake/tracking/",
      streamOf(["[{"], { hang: true }),
    );
    const response = await handler(request);
    expect(response.status).to.equal(408);
  });

  it("[HOOK-08] refuses a streamed body past the limit with 413 before reading it all", async () => {
    const { handler } = handlerWith({ limits: { trackingBody: 1024 } });
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(512).fill(32));
      },
    });
    const response = await handler(post("https://hooks.example.com/fake/tracking/", endless));
    expect(response.status).to.equal(413);
    expect(pulled).to.be.below(64);
  });

  it("names itself and its options in the error for an unknown option", () => {
    expect(() => createWebhookHandler({ env: {}, webhookSecrets: "a:b" } as never))
      .to.throw(
        AnymailConfigurationError,
        /createWebhookHandler: unknown option\(s\) "webhookSecrets"/,
      )
      .with.property("message")
      .that.does.not.include("basePath"); // basePath is the handler's own, not a router option
  });

  it("exposes its emitter, or the one it was given", () => {
    const { handler } = handlerWith();
    expect(handler.emitter).to.be.an("object");
    const emitter = handlerWith().handler.emitter;
    expect(createWebhookHandler({ env: {}, emitter }).emitter).to.equal(emitter);
  });

  it("in Hono, answers 400 when middleware read the body first (signatures need the raw bytes)", async () => {
    const app = new Hono();
    app.use("/anymail/*", async (c, next) => {
      await c.req.raw.clone().text(); // reading a clone leaves the body alone
      await next();
    });
    const hono = anymailHono({ esps: [fakeEsp], env: {}, logger: collectingLogger() });
    app.all("/anymail/*", hono);
    const ok = await app.request("/anymail/fake/tracking/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(BATCH),
    });
    expect(ok.status).to.equal(200);

    const greedy = new Hono();
    greedy.use("/anymail/*", async (c, next) => {
      await c.req.raw.json();
      await next();
    });
    greedy.all("/anymail/*", hono);
    const refused = await greedy.request("/anymail/fake/tracking/", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(BATCH),
    });
    expect(refused.status).to.equal(400);
    expect(await refused.text()).to.match(/already read/);
  });
});
