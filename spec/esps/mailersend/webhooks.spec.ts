// MailerSend activity webhooks and inbound routes through the router (supertest), with
// HMAC-SHA256 signatures made here from secrets generated here. Event expectations were
// checked against django-anymail 15.1 (the oracle).
import { expect } from "chai";
import { createHmac, randomBytes } from "node:crypto";
import { describeWebhookBasicAuth, webhookApp } from "../../helpers/webhooks.js";
import { EVENT_TYPES } from "../../../lib/esps/mailersend/tracking.js";

const newSecret = () => randomBytes(24).toString("base64url");
const sign = (secret: string, body: string) =>
  createHmac("sha256", secret).update(body).digest("hex");

/** An activity event as MailerSend's webhook docs show it. */
function activity(
  type: string,
  morph: Record<string, unknown> | null = null,
  tags: unknown = ["a"],
) {
  return {
    type: `activity.${type}`,
    domain_id: "7z3m5jgrogdpyo6n",
    created_at: "2024-01-01T12:00:00.000000Z",
    webhook_id: "wh1",
    url: "https://example.com/anymail/mailersend/tracking/",
    data: {
      object: "activity",
      id: "62fb66bef54a112e920b5493",
      type,
      created_at: "2022-08-16T09:41:18.000000Z",
      email: {
        object: "email",
        id: "62fb66bdbc2cf7d5b4002b43",
        from: "sender@example.com",
        subject: "Test",
        status: "rejected",
        tags,
        message: { object: "message", id: "62fb66bd9c8b5d0a1e0c8a21" },
        recipient: { object: "recipient", email: "test@example.com" },
      },
      morph,
    },
  };
}

const RAW =
  "From: Jörg <joerg@example.com>\r\nTo: inbox@in.example.com\r\nSubject: Hallo\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße\r\n";
const inboundMessage = {
  type: "inbound.message",
  inbound_id: "inb1",
  url: "https://example.com/anymail/mailersend/inbound/",
  created_at: "2024-03-01T10:00:00.000000Z",
  data: {
    object: "message",
    id: "65e1a2b3c4d5e6f7a8b9c0d1",
    created_at: "2024-03-01T10:00:00.000000Z",
    raw: RAW,
    sender: { email: "bounces@example.com" },
    recipients: { rcptTo: [{ email: "inbox@in.example.com" }, { email: "other@in.example.com" }] },
    from: { email: "joerg@example.com", name: "Jörg" },
    subject: "Hallo",
  },
};

describe("MailerSend webhooks", () => {
  describe("tracking", () => {
    const post = (hook: ReturnType<typeof webhookApp>, event: unknown) =>
      hook.post("/mailersend/tracking/").send(event as object);

    it("maps a hard bounce: ids, recipient, tags, reject reason and readable reason", async () => {
      const hook = webhookApp();
      const morph = {
        object: "recipient_bounce",
        reason: "Host or domain name not found",
        readable_reason: "The domain does not exist",
      };
      await post(hook, activity("hard_bounced", morph)).expect(200);
      const [event] = hook.tracking;
      expect(event).to.include({
        eventType: "bounced",
        messageId: "62fb66bd9c8b5d0a1e0c8a21",
        eventId: "62fb66bef54a112e920b5493",
        recipient: "test@example.com",
        rejectReason: "bounced",
        description: "The domain does not exist",
      });
      expect(event.timestamp?.toISOString()).to.equal("2022-08-16T09:41:18.000Z");
      expect(event.tags).to.deep.equal(["a"]);
      expect(event.metadata).to.deep.equal({});
    });

    it("maps every activity type, and morph objects to reject reasons", async () => {
      const cases: [string, Record<string, unknown> | null, string, string | null][] = [
        ["sent", null, "sent", null],
        ["delivered", null, "delivered", null],
        [
          "soft_bounced",
          { object: "recipient_bounce", reason: "Mailbox full" },
          "bounced",
          "bounced",
        ],
        ["opened", { object: "open", ip: "1.2.3.4" }, "opened", null],
        ["opened_unique", { object: "open" }, "opened", null],
        ["clicked", { object: "click", url: "https://example.com/x" }, "clicked", null],
        ["clicked_unique", { object: "click", url: "https://example.com/x" }, "clicked", null],
        [
          "unsubscribed",
          { object: "recipient_unsubscribe", reason: "NO_LONGER_WANT" },
          "unsubscribed",
          "unsubscribed",
        ],
        ["spam_complaint", { object: "spam_complaint" }, "complained", "spam"],
        ["survey_submitted", null, "unknown", null],
        ["constructor", { object: "constructor" }, "unknown", null],
      ];
      expect(Object.keys(EVENT_TYPES)).to.have.length(10);
      for (const [type, morph, eventType, reason] of cases) {
        const hook = webhookApp();
        await post(hook, activity(type, morph)).expect(200);
        expect(hook.tracking[0].eventType, type).to.equal(eventType);
        expect(hook.tracking[0].rejectReason, type).to.equal(reason);
      }
      const hook = webhookApp();
      await post(
        hook,
        activity("clicked", { object: "click", url: "https://example.com/x" }, null),
      ).expect(200);
      expect(hook.tracking[0].clickUrl).to.equal("https://example.com/x");
      expect(hook.tracking[0].tags).to.deep.equal([]);
    });

    it("refuses an inbound route posted to the tracking URL (400)", async () => {
      const hook = webhookApp();
      const res = await post(hook, inboundMessage);
      expect(res.status).to.equal(400);
      expect(hook.events).to.have.length(0);
    });

    describeWebhookBasicAuth("MailerSend tracking", (hook) => post(hook, activity("delivered")));
  });

  describe("inbound", () => {
    it("parses the raw MIME; envelope sender and first rcptTo; id and time", async () => {
      const hook = webhookApp();
      await hook.post("/mailersend/inbound/").send(inboundMessage).expect(200);
      const [event] = hook.inbound;
      expect(event.eventId).to.equal("65e1a2b3c4d5e6f7a8b9c0d1");
      expect(event.timestamp?.toISOString()).to.equal("2024-03-01T10:00:00.000Z");
      expect(event.message.fromEmail?.address).to.equal("Jörg <joerg@example.com>");
      expect(event.message.text?.trimEnd()).to.equal("Grüße");
      expect(event.message.envelopeSender).to.equal("bounces@example.com");
      expect(event.message.envelopeRecipient).to.equal("inbox@in.example.com");
    });

    it("refuses an activity on the inbound URL, and a message without raw (400)", async () => {
      const hook = webhookApp();
      const misrouted = await hook.post("/mailersend/inbound/").send(activity("sent"));
      expect(misrouted.status).to.equal(400);
      expect([...hook.logs.error, misrouted.text].join("\n")).to.match(
        /activity\.sent.*\/mailersend\/tracking\//,
      );
      const bare = { ...inboundMessage, data: { ...inboundMessage.data, raw: undefined } };
      expect((await hook.post("/mailersend/inbound/").send(bare)).status).to.equal(400);
    });

    describeWebhookBasicAuth("MailerSend inbound", (hook) =>
      hook.post("/mailersend/inbound/").send(inboundMessage),
    );
  });

  describe("Signature header (HMAC-SHA256 of the body)", () => {
    const signingSecret = newSecret();
    const inboundSecret = newSecret();
    const body = JSON.stringify(activity("delivered"));
    const inboundBody = JSON.stringify(inboundMessage);
    const app = () => webhookApp({ mailersend: { signingSecret, inboundSecret } });
    const postSigned = (
      hook: ReturnType<typeof webhookApp>,
      path: string,
      payload: string,
      signature?: string,
    ) => {
      const call = hook.post(path).set("content-type", "application/json");
      return (signature === undefined ? call : call.set("Signature", signature)).send(payload);
    };

    it("accepts correctly signed calls on each route, with no insecure warning", async () => {
      const hook = app();
      await postSigned(hook, "/mailersend/tracking/", body, sign(signingSecret, body)).expect(200);
      await postSigned(
        hook,
        "/mailersend/inbound/",
        inboundBody,
        sign(inboundSecret, inboundBody),
      ).expect(200);
      expect(hook.events).to.have.length(2);
      expect(hook.logs.warn.filter((line) => /insecure/.test(line))).to.have.length(0);
    });

    it("refuses tampered bodies, wrong or missing signatures, and the other route's secret", async () => {
      const hook = app();
      const tampered = body.replace("delivered", "hard_bounced");
      const calls = [
        postSigned(hook, "/mailersend/tracking/", tampered, sign(signingSecret, body)),
        postSigned(hook, "/mailersend/tracking/", body, sign(newSecret(), body)),
        postSigned(hook, "/mailersend/tracking/", body),
        postSigned(hook, "/mailersend/tracking/", body, sign(inboundSecret, body)),
        postSigned(hook, "/mailersend/inbound/", inboundBody, sign(signingSecret, inboundBody)),
      ];
      for (const call of calls) {
        const res = await call;
        expect(res.status).to.equal(400);
        expect(res.text).to.not.include(signingSecret);
      }
      expect(hook.events).to.have.length(0);
    });

    it("rotation: every configured secret is accepted (env: comma-separated)", async () => {
      const next = newSecret();
      const hook = webhookApp(
        { env: { ANYMAIL_MAILERSEND_SIGNING_SECRET: `${signingSecret},${next}` } },
        { isolateEnv: false },
      );
      for (const secret of [signingSecret, next]) {
        await postSigned(hook, "/mailersend/tracking/", body, sign(secret, body)).expect(200);
      }
      await postSigned(hook, "/mailersend/tracking/", body, sign(newSecret(), body)).expect(400);
    });
  });
});
