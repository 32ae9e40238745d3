// lazyCode (lib/esps/types.ts): an ESP's send and handlers imported on first use, once.
import { expect } from "chai";
import express from "express";
import request from "supertest";
import { defineEsp, lazyCode, type WebhookHandler } from "../../lib/esps/types.js";
import { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import { anymailRouter } from "../../lib/middleware/router.js";
import { Sender } from "../../lib/sender/sender.js";
import { rejectionOf } from "../helpers/rejection.js";

function lazyEsp(fail = 0) {
  let imports = 0;
  const tracking: WebhookHandler = {
    body: "json",
    probeMethods: ["GET"],
    signature: { enabled: () => false, verify: () => undefined },
    handle: (req) => [
      new AnymailTrackingEvent({ eventType: "delivered", espEvent: req.json ?? null }),
    ],
  };
  const code = {
    async send() {
      return { recipients: {}, espResponse: { sent: true } };
    },
    tracking,
    extraRoutes: { "": tracking },
  };
  const adapter = defineEsp({
    name: "lazy_mail",
    displayName: "Lazy Mail",
    features: {},
    ...lazyCode(
      async () => {
        imports++;
        if (imports <= fail) throw new Error("EMFILE: too many open files");
        return { code };
      },
      { send: true, tracking: true, extraRoutes: { "": true } },
    ),
  });
  return {
    adapter,
    code,
    imports: () => imports,
    tracking: adapter.tracking!,
    single: adapter.extraRoutes![""],
    load: () => adapter.load!(),
  };
}

describe("lazyCode: an ESP's code imported on first use", () => {
  it("imports nothing until a part is used, then once, for concurrent first calls too", async () => {
    const esp = lazyEsp();
    expect(esp.imports()).to.equal(0);
    expect(esp.tracking.body).to.equal(undefined); // not filled in before load
    const sender = new Sender(esp.adapter, { env: {} });
    expect(esp.imports()).to.equal(0);
    const message = { from: "a@example.com", to: "b@example.com", subject: "s", text: "t" };
    const [one, two] = await Promise.all([sender.send({ ...message }), sender.send(message)]);
    expect(one.espResponse).to.deep.equal({ sent: true });
    expect(two.espResponse).to.deep.equal({ sent: true });
    expect(esp.imports()).to.equal(1);
  });

  it("load() makes each handler the code's, then returns nothing", async () => {
    const esp = lazyEsp();
    await esp.load();
    expect(esp.load()).to.equal(undefined);
    for (const handler of [esp.tracking, esp.single]) {
      expect(handler).to.deep.equal(esp.code.tracking);
      expect(handler.handle).to.equal(esp.code.tracking.handle);
    }
    expect(esp.imports()).to.equal(1);
  });

  it("a handler called before load imports the code", async () => {
    const esp = lazyEsp();
    const events = await esp.tracking.handle({ json: { id: 1 } } as never, {} as never);
    expect(events.map((e) => e.espEvent)).to.deep.equal([{ id: 1 }]);
    expect(esp.tracking.probeMethods).to.deep.equal(["GET"]);
  });

  it("a failed import is tried again by the next call", async () => {
    const esp = lazyEsp(1);
    const error = await rejectionOf(esp.load() as Promise<void>);
    expect((error as Error).message).to.contain("EMFILE");
    await esp.load();
    expect(esp.imports()).to.equal(2);
    expect(esp.tracking.body).to.equal("json");
  });

  it("the router loads the code before a route's first call (its probe methods, its body)", async () => {
    const esp = lazyEsp();
    const router = anymailRouter({ esps: [esp.adapter], webhookSecret: "u:p", env: {} });
    const app = express().use("/anymail", router);
    // GET is a probe method of the code's handler: known only once the code is loaded
    await request(app).get("/anymail/lazy_mail/tracking/").auth("u", "p").expect(200);
    const seen: unknown[] = [];
    router.emitter.on("tracking", (event) => seen.push(event.espEvent));
    await request(app)
      .post("/anymail/lazy_mail/")
      .auth("u", "p")
      .set("Content-Type", "text/plain") // the handler's body "json" parses it anyway
      .send('{"id":2}')
      .expect(200);
    expect(seen).to.deep.equal([{ id: 2 }]);
    expect(esp.imports()).to.equal(1);
  });
});
