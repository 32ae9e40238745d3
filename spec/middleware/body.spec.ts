import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import express from "express";
import request from "supertest";
import { expect } from "chai";
import { anymailRouter } from "../../lib/middleware/router.js";
import type { WebhookRequest } from "../../lib/esps/types.js";
import type { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import { collectingLogger, webhookApp } from "../helpers/webhooks.js";
import { fakeEsp, fakeSignature } from "./fake-esp.js";

const esps = [fakeEsp];

// superagent would send a Buffer body as JSON of a Buffer; this posts its bytes as they are
// (its typings say a serializer returns a string, but it hands any result to Node's write)
const asIs = ((bytes: Buffer) => bytes) as unknown as (body: unknown) => string;

function seen(hook: { tracking: AnymailTrackingEvent[] }, index = 0): WebhookRequest {
  return hook.tracking[index].espEvent as WebhookRequest;
}

describe("Webhook router: bodies", () => {
  it("parses JSON and keeps the exact raw bytes", async () => {
    const hook = webhookApp({ esps });
    const body = '{ "b": [1, 2],\n  "a": "é" }';
    const res = await hook
      .post("/fake/echo/")
      .set("Content-Type", "application/json; charset=utf-8")
      .send(body);
    expect(res.status).to.equal(200);
    const req = seen(hook);
    expect(req.json).to.deep.equal({ b: [1, 2], a: "é" });
    expect(req.rawBody.toString("utf8")).to.equal(body);
    expect(req.contentType).to.equal("application/json");
    expect(req.method).to.equal("POST");
    expect(req.basicAuthPassed).to.equal(false);
  });

  it("reads a body as UTF-8 whether it is all ASCII, has UTF-8 or has malformed bytes", async () => {
    const hook = webhookApp({ esps });
    const bodies = [
      Buffer.from('{"a":"caf\\u00e9 \\ud83d\\udce7"}'),
      Buffer.from('{"a":"café 📧"}'),
      // a lone 0xff is not UTF-8: it reads as U+FFFD, as Buffer#toString("utf8") has it
      Buffer.concat([Buffer.from('{"a":"caf'), Buffer.from([0xff]), Buffer.from('"}')]),
    ];
    for (const body of bodies) {
      const res = await hook
        .post("/fake/echo/")
        .set("Content-Type", "application/json")
        .serialize(asIs)
        .send(body);
      expect(res.status).to.equal(200);
    }
    await hook
      .post("/fake/echo/")
      .set("Content-Type", "application/x-www-form-urlencoded")
      .serialize(asIs)
      .send(Buffer.from("a=café&b=%C3%A9"));
    expect(hook.tracking.map((_, i) => seen(hook, i).json)).to.deep.equal([
      { a: "café 📧" },
      { a: "café 📧" },
      { a: "caf\uFFFD" },
      undefined,
    ]);
    expect(seen(hook, 3).form).to.deep.equal({ a: ["café"], b: ["é"] });
  });

  it("parses JSON sent as text/plain (as Amazon SNS sends it), and leaves other text raw", async () => {
    const hook = webhookApp({ esps });
    await hook.post("/fake/echo/").set("Content-Type", "text/plain").send('{"Type":"x"}');
    await hook.post("/fake/echo/").set("Content-Type", "text/plain").send("{not json");
    await hook.post("/fake/echo/").set("Content-Type", "text/plain").send("hello");
    expect(seen(hook, 0).json).to.deep.equal({ Type: "x" });
    expect(seen(hook, 1).json).to.equal(undefined);
    expect(seen(hook, 1).rawBody.toString()).to.equal("{not json");
    expect(seen(hook, 2).json).to.equal(undefined);
  });

  it("[HOOK-08] answers 400 with a short reason for malformed JSON", async () => {
    const hook = webhookApp({ esps });
    const res = await hook.post("/fake/echo/").set("Content-Type", "application/json").send("{");
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/^Malformed JSON in the webhook body/);
    expect(hook.events).to.have.length(0);
  });

  it("parses urlencoded forms, keeping every value of a repeated field in order", async () => {
    const hook = webhookApp({ esps });
    await hook
      .post("/fake/echo/")
      .set("Content-Type", "application/x-www-form-urlencoded")
      .send("a=1&b=x%20y&a=2&c%5Bd%5D=%E2%82%AC");
    expect(seen(hook).form).to.deep.equal({ a: ["1", "2"], b: ["x y"], "c[d]": ["€"] });
  });

  it("parses multipart forms with files, non-ASCII filenames and fields over 1 MB", async () => {
    const hook = webhookApp({ esps });
    const bigField = "x".repeat(3 * 1024 * 1024);
    const res = await hook
      .post("/fake/echo/")
      .field("email", bigField)
      .field("tag", "one")
      .field("tag", "two")
      .field("meta[id]", "7")
      .attach("attachment1", Buffer.from("%PDF-1.4 …"), {
        filename: "Résumé 履歴書.pdf",
        contentType: "application/pdf",
      });
    expect(res.status).to.equal(200);
    const req = seen(hook);
    expect(req.form?.email[0]).to.have.length(bigField.length);
    expect(req.form?.tag).to.deep.equal(["one", "two"]);
    expect(req.form?.["meta[id]"]).to.deep.equal(["7"]);
    expect(req.files).to.have.length(1);
    expect(req.files?.[0]).to.include({
      fieldName: "attachment1",
      filename: "Résumé 履歴書.pdf",
      contentType: "application/pdf",
    });
    expect(req.files?.[0].content.toString()).to.equal("%PDF-1.4 …");
    expect(req.rawBody.length).to.be.greaterThan(bigField.length);
  });

  it("keeps multipart field names exactly as sent (brackets, __proto__), in order", async () => {
    const hook = webhookApp({ esps });
    const res = await hook
      .post("/fake/echo/")
      .field("a[]", "1")
      .field("x[5]", "5")
      .field("y[5000]", "v")
      .field("a[]", "2")
      .field("__proto__[polluted]", "yes")
      .field("constructor[prototype][p]", "yes");
    expect(res.status).to.equal(200);
    expect({ ...seen(hook).form }).to.deep.equal({
      "a[]": ["1", "2"],
      "x[5]": ["5"],
      "y[5000]": ["v"],
      "__proto__[polluted]": ["yes"],
      "constructor[prototype][p]": ["yes"],
    });
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it("[HOOK-08] refuses, without building a huge array, a field named with a giant index", async () => {
    const hook = webhookApp({ esps });
    const res = await hook.post("/fake/echo/").field("x[999999999]", "1");
    expect(res.status).to.be.oneOf([400, 413]);
    expect(hook.events).to.have.length(0);
  });

  it("[HOOK-08] answers 400 for a malformed multipart body", async () => {
    const hook = webhookApp({ esps });
    const noBoundary = await hook
      .post("/fake/echo/")
      .set("Content-Type", "multipart/form-data")
      .send("--x\r\n");
    expect(noBoundary.status).to.equal(400);
    expect(noBoundary.text).to.match(/no boundary/);
    const truncated = await hook
      .post("/fake/echo/")
      .set("Content-Type", "multipart/form-data; boundary=xyz")
      .send('--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue');
    expect(truncated.status).to.equal(400);
    expect(truncated.text).to.match(/^Malformed multipart body/);
    expect(hook.events).to.have.length(0);
  });

  it("keeps a raw MIME body as bytes", async () => {
    const hook = webhookApp({ esps });
    const mime = Buffer.from("Subject: caf\xe9\r\n\r\nbody\r\n", "latin1");
    await hook.post("/fake/echo/").set("Content-Type", "message/rfc822").send(mime);
    const req = seen(hook);
    expect(req.contentType).to.equal("message/rfc822");
    expect(req.rawBody.equals(mime)).to.equal(true);
    expect(req.json).to.equal(undefined);
    expect(req.form).to.equal(undefined);
  });

  it("undoes gzip, deflate and br Content-Encoding; refuses unknown ones with 415", async () => {
    const hook = webhookApp({ esps });
    const body = JSON.stringify({ zipped: true });
    for (const [encoding, encode] of [
      ["gzip", gzipSync],
      ["deflate", deflateSync],
      ["br", brotliCompressSync],
    ] as const) {
      const res = await hook
        .post("/fake/echo/")
        .set("Content-Type", "text/plain") // superagent would JSON-encode a Buffer
        .set("Content-Encoding", encoding)
        .send(encode(body));
      expect(res.status, `${encoding} ${res.text}`).to.equal(200);
    }
    expect(hook.tracking.map((e) => (e.espEvent as WebhookRequest).json)).to.deep.equal([
      { zipped: true },
      { zipped: true },
      { zipped: true },
    ]);
    const unknown = await hook
      .post("/fake/echo/")
      .set("Content-Type", "application/json")
      .set("Content-Encoding", "zstd")
      .send(body);
    expect(unknown.status).to.equal(415);
    const corrupt = await hook
      .post("/fake/echo/")
      .set("Content-Type", "application/json")
      .set("Content-Encoding", "gzip")
      .send(body);
    expect(corrupt.status).to.equal(400);
  });

  describe("limits", () => {
    it("[HOOK-07] answers 413 when a compressed body expands past the limit", async () => {
      const hook = webhookApp({ esps, limits: { body: 10_000 } });
      const bomb = gzipSync(Buffer.alloc(1_000_000));
      expect(bomb.length).to.be.lessThan(10_000);
      const res = await hook
        .post("/fake/echo/")
        .set("Content-Type", "message/rfc822")
        .set("Content-Encoding", "gzip")
        .send(bomb);
      expect(res.status).to.equal(413);
    });

    it("[HOOK-07] defaults fit inbound mail with large attachments (30 MiB passes)", async () => {
      const hook = webhookApp({ esps });
      const big = Buffer.alloc(30 * 1024 * 1024, 0x61);
      const res = await hook.post("/fake/echo/").set("Content-Type", "message/rfc822").send(big);
      expect(res.status).to.equal(200);
      expect(seen(hook).rawBody.length).to.equal(big.length);
    });

    it("[HOOK-07] answers 413 past the body limit, for every body kind", async () => {
      const hook = webhookApp({ esps, limits: { body: 1000 } });
      const json = await hook.post("/fake/echo/").send({ x: "y".repeat(2000) });
      expect(json.status).to.equal(413);
      expect(json.text).to.match(/limits: \{ body/);
      const form = await hook
        .post("/fake/echo/")
        .type("form")
        .send({ x: "y".repeat(2000) });
      expect(form.status).to.equal(413);
      const multipart = await hook.post("/fake/echo/").attach("f", Buffer.alloc(2000), "f.bin");
      expect([413]).to.include(multipart.status);
      const raw = await hook
        .post("/fake/echo/")
        .set("Content-Type", "message/rfc822")
        .send(Buffer.alloc(2000));
      expect(raw.status).to.equal(413);
      expect(hook.events).to.have.length(0);
    });

    it("[HOOK-07] answers 413 for a chunked body without Content-Length past the limit", async () => {
      const hook = webhookApp({ esps, limits: { body: 1000 } });
      const res = await new Promise<number>((resolve, reject) => {
        const req = request(hook.app)
          .post("/anymail/fake/echo/")
          .set("Content-Type", "message/rfc822")
          .set("Transfer-Encoding", "chunked");
        req.write(Buffer.alloc(600));
        req.write(Buffer.alloc(600));
        req.end((error, response) => (response ? resolve(response.status) : reject(error)));
      });
      expect(res).to.equal(413);
    });

    it("[HOOK-07] the limits can be raised", async () => {
      const hook = webhookApp({ esps, limits: { body: 50 * 1024 * 1024 } });
      const big = Buffer.alloc(45 * 1024 * 1024, 0x61);
      const res = await hook.post("/fake/echo/").set("Content-Type", "message/rfc822").send(big);
      expect(res.status).to.equal(200);
    });

    it("[HOOK-07] answers 413 past the field and file counts", async () => {
      const hook = webhookApp({ esps, limits: { fields: 2, files: 1 } });
      const form = await hook.post("/fake/echo/").type("form").send("a=1&b=2&c=3");
      expect(form.status).to.equal(413);
      const fields = await hook.post("/fake/echo/").field("a", "1").field("b", "2").field("c", "3");
      expect(fields.status).to.equal(413);
      const files = await hook
        .post("/fake/echo/")
        .attach("f1", Buffer.from("1"), "1.txt")
        .attach("f2", Buffer.from("2"), "2.txt");
      expect(files.status).to.equal(413);
    });
  });

  describe("a body already parsed by the host app", () => {
    function appWith(parser: express.RequestHandler, options = {}) {
      const logger = collectingLogger();
      const router = anymailRouter({ esps, env: {}, logger, ...options });
      const events: AnymailTrackingEvent[] = [];
      router.emitter.on("tracking", (event) => void events.push(event));
      const app = express().use(parser).use("/anymail", router);
      return { app, logger, events };
    }

    it("still works without a signature check, and says in the log what to change", async () => {
      const { app, logger, events } = appWith(express.json());
      await request(app).post("/anymail/fake/echo/").send({ a: 1 }).expect(200);
      await request(app).post("/anymail/fake/echo/").send({ a: 2 }).expect(200);
      expect((events[0].espEvent as WebhookRequest).json).to.deep.equal({ a: 1 });
      const advice = logger.lines.warn.filter((line) => /already parsed/.test(line));
      expect(advice).to.have.length(1);
      expect(advice[0]).to.match(/Mount anymailRouter before any body parser/);
    });

    it("uses pre-parsed urlencoded fields", async () => {
      const { app, events } = appWith(express.urlencoded({ extended: false }));
      await request(app).post("/anymail/fake/echo/").type("form").send("a=1&b=2").expect(200);
      expect((events[0].espEvent as WebhookRequest).form).to.deep.equal({ a: ["1"], b: ["2"] });
    });

    it("refuses (400) rather than skip a signature check, and logs why", async () => {
      const { app, logger, events } = appWith(express.json(), { fake: { signingKey: "k" } });
      const body = JSON.stringify([{ type: "sent" }]);
      const res = await request(app)
        .post("/anymail/fake/tracking/")
        .set("Content-Type", "application/json")
        .set("X-Fake-Signature", fakeSignature("k", body))
        .send(body);
      expect(res.status).to.equal(400);
      expect(res.text).to.match(/raw body unavailable/);
      expect(logger.lines.error.join()).to.match(/already parsed.*signature cannot be checked/s);
      expect(events).to.have.length(0);
    });

    it("uses the raw bytes that express.raw() kept, so signatures still verify", async () => {
      const { app, events } = appWith(express.raw({ type: "*/*" }), {
        fake: { signingKey: "k" },
      });
      const body = JSON.stringify([{ type: "sent" }]);
      await request(app)
        .post("/anymail/fake/tracking/")
        .set("Content-Type", "application/json")
        .set("X-Fake-Signature", fakeSignature("k", body))
        .send(body)
        .expect(200);
      expect(events).to.have.length(1);
    });
  });
});
