import { createServer } from "node:http";
import express from "express";
import request from "supertest";
import { expect } from "chai";
import { anymailRouter } from "../../lib/middleware/router.js";
import { AnymailEmitter } from "../../lib/events/emitter.js";
import type { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import type { WebhookRequest } from "../../lib/esps/types.js";
import { AnymailConfigurationError } from "../../lib/errors.js";
import {
  basicAuthHeader,
  collectingLogger,
  describeWebhookBasicAuth,
  webhookApp,
} from "../helpers/webhooks.js";
import { challengeEsp, fakeEsp, fakeSignature } from "./fake-esp.js";

const esps = [fakeEsp, challengeEsp];
const challengeOptions = { challenger: { region: "eu" } };
const BATCH = [
  { type: "delivered", id: "e1", recipient: "a@example.com" },
  { type: "opened", id: "e2", recipient: "b@example.com" },
  { type: "clicked", id: "e3", recipient: "c@example.com" },
];

/** The WebhookRequest the echo route saw. */
function echoed(event: { espEvent: unknown }): WebhookRequest {
  return event.espEvent as WebhookRequest;
}

describe("Webhook router: routes", () => {
  for (const major of [5, 4] as const) {
    it(`[HOOK-01] [HOOK-02] serves tracking under the mount prefix in Express ${major}`, async () => {
      const hook = webhookApp({ esps }, { express: major, prefix: "/hooks/anymail" });
      const res = await hook.post("/fake/tracking/").send(BATCH);
      expect(res.status).to.equal(200);
      expect(hook.tracking.map((e) => e.eventId)).to.deep.equal(["e1", "e2", "e3"]);
      expect(hook.events.every((e) => e.espName === "Fake ESP")).to.equal(true);
    });

    it(`[HOOK-23] answers 400 when a listener rejects, in Express ${major}`, async () => {
      const hook = webhookApp({ esps }, { express: major });
      hook.emitter.on("tracking", async () => {
        throw new Error("database down");
      });
      const res = await hook.post("/fake/tracking/").send(BATCH);
      expect(res.status).to.equal(400);
      expect(hook.tracking).to.have.length(1);
    });
  }

  it("[HOOK-01] works as a plain Connect/Node handler (no next: unknown paths get 404)", async () => {
    const emitter = new AnymailEmitter();
    const seen: string[] = [];
    emitter.on("tracking", (event) => void seen.push(event.eventType));
    const handler = anymailRouter({ esps, emitter, env: {}, logger: collectingLogger() });
    const server = createServer((req, res) => handler(req, res));
    const ok = await request(server).post("/fake/tracking").send(BATCH);
    expect(ok.status).to.equal(200);
    expect(seen).to.deep.equal(["delivered", "opened", "clicked"]);
    expect((await request(server).post("/nope/tracking/").send([])).status).to.equal(404);
  });

  it("[HOOK-04] answers with and without the trailing slash, never redirecting", async () => {
    const hook = webhookApp({ esps });
    for (const path of ["/fake/tracking/", "/fake/tracking"]) {
      const res = await hook.post(path).send(BATCH).redirects(0);
      expect(res.status, path).to.equal(200);
    }
    expect(hook.tracking).to.have.length(6);
  });

  it("[HOOK-03] serves an ESP's extra routes, including its bare /<esp>/ URL", async () => {
    const hook = webhookApp({ esps });
    expect((await hook.post("/fake/echo/").send({ a: 1 })).status).to.equal(200);
    expect((await hook.post("/fake/").send({ a: 2 })).status).to.equal(200);
    expect((await hook.post("/fake").send({ a: 3 })).status).to.equal(200);
    expect(hook.tracking.map((e) => echoed(e).json)).to.deep.equal([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it("[HOOK-02] serves an ESP under its aliases too", async () => {
    const hook = webhookApp({ esps });
    expect((await hook.post("/fake_alias/tracking/").send(BATCH)).status).to.equal(200);
    expect(hook.events[0].espName).to.equal("Fake ESP");
  });

  it("[HOOK-05] answers 404 for an unknown ESP, an unknown type, or a deeper path", async () => {
    const hook = webhookApp({ esps });
    for (const path of ["/nope/tracking/", "/fake/nope/", "/fake/tracking/extra/", "/"]) {
      expect((await hook.post(path).send(BATCH)).status, path).to.equal(404);
    }
    expect(hook.events).to.have.length(0);
  });

  it("[HOOK-05] explains a missing inbound webhook in its 404", async () => {
    const hook = webhookApp({ esps, ...challengeOptions });
    const res = await hook.post("/challenger/inbound/").send("x");
    expect(res.status).to.equal(404);
    expect(res.text).to.equal("Challenger does not support inbound mail.");
  });

  it("lets other routes of the app answer paths the router does not serve", async () => {
    const app = express();
    app.use("/anymail", anymailRouter({ esps, env: {}, logger: collectingLogger() }));
    app.use("/anymail/status", (_req, res) => void res.send("app route"));
    const res = await request(app).get("/anymail/status");
    expect(res.text).to.equal("app route");
  });

  it("answers HEAD probes with 200 and other methods with 405 (POST is the webhook)", async () => {
    const hook = webhookApp({ esps });
    expect((await request(hook.app).head("/anymail/fake/tracking/")).status).to.equal(200);
    const get = await request(hook.app).get("/anymail/fake/tracking/");
    expect(get.status).to.equal(405);
    expect(get.headers.allow).to.equal("POST, HEAD");
    expect((await request(hook.app).get("/anymail/fake/echo/")).status).to.equal(200);
    expect(hook.events).to.have.length(0);
  });

  it("exposes its emitter when none is given", async () => {
    const router = anymailRouter({ esps, env: {}, logger: collectingLogger() });
    const seen: AnymailTrackingEvent[] = [];
    router.emitter.on("tracking", (event) => void seen.push(event));
    const app = express().use("/anymail", router);
    await request(app).post("/anymail/fake/tracking/").send(BATCH).expect(200);
    expect(seen).to.have.length(3);
  });

  it("gives handlers the public URL, honouring Express's trust proxy", async () => {
    const hook = webhookApp({ esps });
    await hook.post("/fake/echo/?x=1").set("Host", "hooks.example.com:8443").send({});
    expect(echoed(hook.tracking[0]).url.href).to.equal(
      "http://hooks.example.com:8443/anymail/fake/echo/?x=1",
    );
    const app = express();
    app.set("trust proxy", true);
    const router = anymailRouter({ esps, env: {}, logger: collectingLogger() });
    const seen: AnymailTrackingEvent[] = [];
    router.emitter.on("tracking", (event) => void seen.push(event));
    app.use("/anymail", router);
    await request(app)
      .post("/anymail/fake/echo/")
      .set("X-Forwarded-Proto", "https")
      .set("X-Forwarded-Host", "public.example.com")
      .send({})
      .expect(200);
    expect(echoed(seen[0]).url.href).to.equal("https://public.example.com/anymail/fake/echo/");
  });
});

describe("Webhook router: errors", () => {
  it("[HOOK-08] answers 400 with a short reason when the handler refuses the payload", async () => {
    const hook = webhookApp({ esps });
    const res = await hook.post("/fake/tracking/").send({ not: "an array" });
    expect(res.status).to.equal(400);
    expect(res.text).to.equal("Fake tracking webhook expects a JSON array");
    expect(hook.events).to.have.length(0);
  });

  it("[HOOK-08] answers 400, not 500, when a handler crashes on odd input, and logs it", async () => {
    const hook = webhookApp({ esps });
    const res = await hook.post("/fake/tracking/").send([{ type: "sent", crash: true }]);
    expect(res.status).to.equal(400);
    expect(res.text).to.equal("Fake ESP webhook payload could not be processed.");
    expect(hook.logs.error.join()).to.match(/could not be processed/);
  });

  it("[HOOK-09] names the misconfiguration when inbound mail is posted to tracking", async () => {
    const hook = webhookApp({ esps });
    const res = await hook
      .post("/fake/tracking/")
      .set("Content-Type", "message/rfc822")
      .send("Subject: hi\r\n\r\nbody");
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/Fake \*inbound\* webhook to Anymail's Fake \*tracking\* URL/);
  });

  it("[HOOK-16] answers 400 for a bad ESP signature without echoing the signing key", async () => {
    const key = "fake-signing-key-1234";
    const hook = webhookApp({ esps, fake: { signingKey: key } });
    const body = JSON.stringify(BATCH);
    const bad = await hook
      .post("/fake/tracking/")
      .set("Content-Type", "application/json")
      .set("X-Fake-Signature", fakeSignature("wrong", body))
      .send(body);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.equal("Fake webhook called with incorrect signature");
    expect(bad.text + hook.logs.warn.join() + hook.logs.error.join()).to.not.include(key);
    const good = await hook
      .post("/fake/tracking/")
      .set("Content-Type", "application/json")
      .set("X-Fake-Signature", fakeSignature(key, body))
      .send(body);
    expect(good.status).to.equal(200);
  });
});

describe("Webhook router: settings", () => {
  it("resolves an ESP's webhook settings from its option, by name or alias", async () => {
    for (const options of [{ fake: { signingKey: "k1" } }, { fake_alias: { signingKey: "k1" } }]) {
      const hook = webhookApp({ esps, ...options });
      const body = JSON.stringify(BATCH);
      const res = await hook
        .post("/fake/tracking/")
        .set("Content-Type", "application/json")
        .set("X-Fake-Signature", fakeSignature("k1", body))
        .send(body);
      expect(res.status).to.equal(200);
      expect((await hook.post("/fake/tracking/").send(BATCH)).status).to.equal(400);
    }
  });

  it("resolves webhook settings from ANYMAIL_<ESP>_<NAME>, then <ESP>_<NAME> for ESP keys", async () => {
    for (const env of [{ ANYMAIL_FAKE_SIGNING_KEY: "k2" }, { FAKE_SIGNING_KEY: "k2" }]) {
      const hook = webhookApp({ esps, env });
      const body = JSON.stringify(BATCH);
      const res = await hook
        .post("/fake/tracking/")
        .set("Content-Type", "application/json")
        .set("X-Fake-Signature", fakeSignature("k2", body))
        .send(body);
      expect(res.status, Object.keys(env)[0]).to.equal(200);
    }
  });

  it("[HOOK-10] reads webhookSecret from ANYMAIL_WEBHOOK_SECRET (a list as JSON or commas)", async () => {
    for (const value of ["u:p1", '["u:p0","u:p1"]', "u:p0, u:p1"]) {
      const hook = webhookApp({ esps, env: { ANYMAIL_WEBHOOK_SECRET: value } });
      const ok = await hook
        .post("/fake/tracking/")
        .set("Authorization", basicAuthHeader("u:p1"))
        .send(BATCH);
      expect(ok.status, value).to.equal(200);
      const bad = await hook
        .post("/fake/tracking/")
        .set("Authorization", basicAuthHeader("u:p2"))
        .send(BATCH);
      expect(bad.status, value).to.equal(400);
    }
  });

  it("[HOOK-17] does not read the old WEBHOOK_AUTHORIZATION name", async () => {
    const hook = webhookApp({ esps, env: { ANYMAIL_WEBHOOK_AUTHORIZATION: "u:p" } });
    const res = await hook.post("/fake/tracking/").send(BATCH);
    expect(res.status).to.equal(200);
    expect(hook.logs.warn.join()).to.match(/insecure/);
  });

  it("throws at setup when a configured ESP lacks a required setting", () => {
    expect(() => anymailRouter({ esps, challenger: {}, env: {} }))
      .to.throw(AnymailConfigurationError)
      .with.property("message")
      .that.matches(/Challenger: missing required setting "region".*ANYMAIL_CHALLENGER_REGION/);
    expect(() => anymailRouter({ esps, challenger: "eu", env: {} })).to.throw(
      AnymailConfigurationError,
      /must be an object/,
    );
    expect(() => anymailRouter({ webhookSecret: "no-colon", env: {} })).to.throw(
      AnymailConfigurationError,
      /user:password/,
    );
  });

  it("answers 500 (server misconfigured, logged) when an unconfigured ESP lacks a setting", async () => {
    const hook = webhookApp({ esps });
    const res = await hook.post("/challenger/tracking/").send({});
    expect(res.status).to.equal(500);
    expect(hook.logs.error.join()).to.match(/missing required setting "region"/);
  });
});

describeWebhookBasicAuth("Fake ESP tracking", (hook) => hook.post("/fake/tracking/").send(BATCH), {
  routerOptions: { esps },
});

describeWebhookBasicAuth(
  "Fake ESP signed tracking",
  (hook) => {
    const body = JSON.stringify(BATCH);
    return hook
      .post("/fake/tracking/")
      .set("Content-Type", "application/json")
      .set("X-Fake-Signature", fakeSignature("signing-key", body))
      .send(body);
  },
  { routerOptions: { esps, fake: { signingKey: "signing-key" } }, signatureChecked: true },
);

describeWebhookBasicAuth(
  "Challenger tracking",
  (hook) => hook.post("/challenger/tracking/").send({}),
  { routerOptions: { esps, ...challengeOptions }, challenge: true },
);
