// Resend tracking webhooks through the router (supertest), Svix signatures with secrets
// generated here. Event expectations were checked against django-anymail 15.1 (the oracle)
// for the seven events it maps; failed/scheduled/suppressed are mapped here from Resend's docs.
import { expect } from "chai";
import { describeWebhookBasicAuth, webhookApp } from "../../helpers/webhooks.js";
import { BOUNCE_MESSAGE_REASONS, EVENT_TYPES } from "../../../lib/esps/resend/tracking.js";
import { verifySvix } from "../../../lib/esps/resend/signature.js";
import type { WebhookRequest } from "../../../lib/esps/types.js";
import { newSecret, svixHeaders } from "./svix.js";

const EMAIL_ID = "56761188-7520-42d8-8898-ff6fc54ce618";

/** A Resend event of `type` (the shape of Resend's webhook docs). */
function resendEvent(type: string, data: Record<string, unknown> = {}) {
  return {
    type,
    created_at: "2024-11-22T23:41:12.126Z",
    data: {
      created_at: "2024-11-22T23:41:11.894719+00:00",
      email_id: EMAIL_ID,
      from: "Acme <onboarding@resend.dev>",
      to: ["Délivré <delivered@resend.dev>", "other@example.com"],
      subject: "Sending this example",
      headers: [
        { name: "X-Metadata", value: '{"user":"ü"}' },
        { name: "x-tags", value: '["a","b"]' },
        { name: "X-Other", value: "not json" },
      ],
      ...data,
    },
  };
}

describe("Resend tracking webhook", () => {
  const post = (hook: ReturnType<typeof webhookApp>, body: unknown, headers = {}) =>
    hook
      .post("/resend/tracking/")
      .set(headers)
      .set("svix-id", "msg_2abc")
      .send(body as object);

  it("maps a bounce: recipient, message id, svix-id, metadata and tags from X- headers", async () => {
    const hook = webhookApp();
    const bounce = {
      message:
        "The recipient's email provider sent a hard bounce message, and Resend has suppressed future sending.",
      subType: "Suppressed",
      type: "Permanent",
    };
    const res = await post(hook, resendEvent("email.bounced", { bounce }));
    expect(res.status).to.equal(200);
    const [event] = hook.tracking;
    expect(event).to.include({
      eventType: "bounced",
      messageId: EMAIL_ID,
      recipient: "delivered@resend.dev",
      eventId: "msg_2abc",
      rejectReason: "bounced",
      description: bounce.message,
      mtaResponse: null,
    });
    expect(event.timestamp?.toISOString()).to.equal("2024-11-22T23:41:12.126Z");
    expect(event.metadata).to.deep.equal({ user: "ü" });
    expect(event.tags).to.deep.equal(["a", "b"]);
    expect(hook.events[0].espName).to.equal("Resend");
  });

  it("reads the reject reason from Resend's bounce message", async () => {
    const cases: [string, string][] = [
      [
        "Resend has suppressed sending to this address because it is on the suppression list.",
        "blocked",
      ],
      ["The recipient's email provider sent a general bounce message.", "bounced"],
      ["Something Resend has not said before.", "other"],
    ];
    for (const [message, reason] of cases) {
      const hook = webhookApp();
      await post(hook, resendEvent("email.bounced", { bounce: { message } })).expect(200);
      expect(hook.tracking[0].rejectReason, message).to.equal(reason);
    }
    expect(BOUNCE_MESSAGE_REASONS).to.have.length(2);
  });

  it("maps every email.* event type Resend documents", async () => {
    const expected: Record<string, string> = {
      "email.sent": "sent",
      "email.delivered": "delivered",
      "email.delivery_delayed": "deferred",
      "email.complained": "complained",
      "email.bounced": "bounced",
      "email.opened": "opened",
      "email.clicked": "clicked",
      "email.failed": "failed",
      "email.scheduled": "queued",
      "email.suppressed": "rejected",
      "contact.created": "unknown",
      "domain.updated": "unknown",
      constructor: "unknown",
    };
    expect(Object.keys(EVENT_TYPES)).to.have.length(10);
    for (const [type, eventType] of Object.entries(expected)) {
      const hook = webhookApp();
      await post(hook, resendEvent(type)).expect(200);
      expect(hook.tracking[0].eventType, type).to.equal(eventType);
    }
  });

  it("clicks carry the link and user agent; failures and suppressions their reason", async () => {
    let hook = webhookApp();
    const click = { ipAddress: "1.2.3.4", link: "https://resend.com", userAgent: "Mozilla/5.0" };
    await post(hook, resendEvent("email.clicked", { click })).expect(200);
    expect(hook.tracking[0]).to.include({
      clickUrl: "https://resend.com",
      userAgent: "Mozilla/5.0",
    });

    hook = webhookApp();
    await post(hook, resendEvent("email.failed", { failed: { reason: "reached_daily_quota" } }));
    expect(hook.tracking[0]).to.include({
      eventType: "failed",
      description: "reached_daily_quota",
    });

    hook = webhookApp();
    const suppressed = {
      message: "Recipient is on the suppression list",
      type: "OnAccountSuppressionList",
    };
    await post(hook, resendEvent("email.suppressed", { suppressed }));
    expect(hook.tracking[0]).to.include({
      eventType: "rejected",
      rejectReason: "blocked",
      description: suppressed.message,
    });
  });

  it("a missing or unparseable To gives a null recipient, not an error", async () => {
    const hook = webhookApp();
    await post(hook, resendEvent("email.sent", { to: ["not an address <"] })).expect(200);
    await post(hook, resendEvent("email.sent", { to: null, headers: "nonsense" })).expect(200);
    expect(hook.tracking.map((e) => e.recipient)).to.deep.equal([null, null]);
    expect(hook.tracking[1].metadata).to.deep.equal({});
  });

  it("refuses an email.received event on the tracking URL (400) saying where it goes", async () => {
    const hook = webhookApp();
    const res = await post(hook, resendEvent("email.received"));
    expect(res.status).to.equal(400);
    expect(res.text).to.include("/resend/inbound/");
    expect(hook.events).to.have.length(0);
  });

  it("refuses a body that is not a JSON object", async () => {
    const hook = webhookApp();
    const res = await hook
      .post("/resend/tracking/")
      .set("content-type", "application/json")
      .send("[1]");
    expect(res.status).to.equal(400);
  });

  describeWebhookBasicAuth("Resend tracking", (hook) =>
    hook.post("/resend/tracking/").send(resendEvent("email.delivered")),
  );

  describe("Svix signature (signingSecret)", () => {
    const secret = newSecret();
    const body = JSON.stringify(resendEvent("email.delivered"));

    it("accepts a correctly signed call, and then needs no basic auth (no warning)", async () => {
      const hook = webhookApp({ resend: { signingSecret: secret } });
      const res = await hook
        .post("/resend/tracking/")
        .set(svixHeaders(body, [secret]))
        .send(body);
      expect(res.status).to.equal(200);
      expect(hook.tracking[0].eventType).to.equal("delivered");
      expect(hook.logs.warn.filter((line) => /insecure/.test(line))).to.have.length(0);
    });

    it("refuses a tampered body, a wrong secret, missing headers and a changed svix-id", async () => {
      const hook = webhookApp({ resend: { signingSecret: secret } });
      const headers = svixHeaders(body, [secret]);
      const tampered = body.replace("delivered", "bounced");
      const calls = [
        hook.post("/resend/tracking/").set(headers).send(tampered),
        hook
          .post("/resend/tracking/")
          .set(svixHeaders(body, [newSecret()]))
          .send(body),
        hook.post("/resend/tracking/").set("content-type", "application/json").send(body),
        hook
          .post("/resend/tracking/")
          .set({ ...headers, "svix-id": "msg_other" })
          .send(body),
      ];
      for (const call of calls) {
        const res = await call;
        expect(res.status).to.equal(400);
        expect(res.text).to.not.include(secret);
      }
      expect(hook.events).to.have.length(0);
    });

    it("refuses a timestamp more than five minutes away (replay), either way", async () => {
      const hook = webhookApp({ resend: { signingSecret: secret } });
      const now = Math.floor(Date.now() / 1000);
      for (const timestamp of [now - 301, now + 301]) {
        const res = await hook
          .post("/resend/tracking/")
          .set(svixHeaders(body, [secret], { timestamp }))
          .send(body);
        expect(res.status).to.equal(400);
        expect(res.text).to.match(/tolerance/);
      }
      const ok = svixHeaders(body, [secret], { timestamp: now - 290 });
      expect((await hook.post("/resend/tracking/").set(ok).send(body)).status).to.equal(200);
    });

    it("rotation: every configured secret is accepted, and any signature of the header", async () => {
      const next = newSecret();
      const hook = webhookApp({ resend: { signingSecret: [secret, next] } });
      for (const signer of [secret, next]) {
        const res = await hook
          .post("/resend/tracking/")
          .set(svixHeaders(body, [signer]))
          .send(body);
        expect(res.status, signer).to.equal(200);
      }
      // Svix signs with old and new secrets while one rotates
      const single = webhookApp({ resend: { signingSecret: next } });
      const both = svixHeaders(body, [newSecret(), next]);
      expect((await single.post("/resend/tracking/").set(both).send(body)).status).to.equal(200);
    });

    it("accepts the Standard Webhooks header names Svix also sends (webhook-id, …)", async () => {
      const hook = webhookApp({ resend: { signingSecret: secret } });
      const svix = svixHeaders(body, [secret], { id: "msg_std" });
      const res = await hook
        .post("/resend/tracking/")
        .set({
          "content-type": "application/json",
          "webhook-id": svix["svix-id"],
          "webhook-timestamp": svix["svix-timestamp"],
          "webhook-signature": svix["svix-signature"],
        })
        .send(body);
      expect(res.status).to.equal(200);
      expect(hook.tracking[0].eventId).to.equal("msg_std");
    });

    it("reads the secrets from ANYMAIL_RESEND_SIGNING_SECRET (comma-separated)", async () => {
      const next = newSecret();
      const hook = webhookApp(
        { env: { ANYMAIL_RESEND_SIGNING_SECRET: `${secret},${next}` } },
        { isolateEnv: false },
      );
      const res = await hook
        .post("/resend/tracking/")
        .set(svixHeaders(body, [next]))
        .send(body);
      expect(res.status).to.equal(200);
    });

    it("verifies Svix's published example (docs: 'Verifying webhooks manually')", () => {
      const request = {
        headers: {
          "svix-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
          "svix-timestamp": "1614265330",
          "svix-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        },
        rawBody: Buffer.from('{"test": 2432232314}'),
      } as unknown as WebhookRequest;
      const context = { espName: "Resend" };
      const at = 1614265330 * 1000;
      const svixSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
      expect(() => verifySvix(request, context, [svixSecret], "signingSecret", at)).to.not.throw();
      request.rawBody = Buffer.from('{"test": 2432232315}');
      expect(() => verifySvix(request, context, [svixSecret], "signingSecret", at)).to.throw(
        /incorrect signature \(check the signingSecret setting\)/,
      );
    });
  });
});
