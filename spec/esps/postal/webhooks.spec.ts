// Postal webhooks through the router (supertest): tracking events and the inbound raw
// message, and the RSA signature with keys generated here. Event expectations were checked
// against django-anymail 15.1 (the oracle, its Postal test key).
import { expect } from "chai";
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { describeWebhookBasicAuth, webhookApp } from "../../helpers/webhooks.js";

function newKeyPair(): { privateKey: KeyObject; webhookKey: string; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const der = publicKey.export({ format: "der", type: "spki" });
  return {
    privateKey,
    webhookKey: der.toString("base64"),
    pem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}
const signBody = (key: KeyObject, body: string, algorithm = "sha1") =>
  sign(algorithm, Buffer.from(body), key).toString("base64");

/** A Postal webhook event (Postal's webhook docs). */
function postalEvent(event: string, payload: Record<string, unknown>) {
  return { event, timestamp: 1700000000.123, uuid: `uuid-${event}`, payload };
}
const message = {
  id: 12345,
  token: "tok",
  direction: "outgoing",
  message_id: "<x@y>",
  to: "Ünï <rcpt@example.com>",
  from: "s@example.com",
  subject: "S",
  timestamp: 1700000000.0,
  tag: "welcome",
};
const sent = postalEvent("MessageSent", {
  message,
  status: "Sent",
  details: "Message for rcpt@example.com accepted by 1.2.3.4",
  output: "250 2.0.0 OK",
  sent_with_ssl: true,
  timestamp: 1700000001.5,
  time: 0.2,
});

const RAW =
  "From: Jörg <joerg@example.com>\r\nTo: inbox@example.com\r\nSubject: Hallo\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße\r\n";
const inboundMessage = {
  id: 8765,
  rcpt_to: "inbox@example.com",
  mail_from: "bounces@example.com",
  token: "rtok",
  message: Buffer.from(RAW).toString("base64"),
  base64: true,
  size: RAW.length,
};

describe("Postal webhooks", () => {
  describe("tracking", () => {
    it("maps MessageSent: ids, recipient, tag, details and SMTP output", async () => {
      const hook = webhookApp();
      await hook.post("/postal/tracking/").send(sent).expect(200);
      const [event] = hook.tracking;
      expect(event).to.include({
        eventType: "delivered",
        messageId: "12345",
        eventId: "uuid-MessageSent",
        recipient: "rcpt@example.com",
        description: "Message for rcpt@example.com accepted by 1.2.3.4",
        mtaResponse: "250 2.0.0 OK",
        rejectReason: null,
      });
      expect(event.timestamp?.toISOString()).to.equal("2023-11-14T22:13:20.123Z");
      expect(event.tags).to.deep.equal(["welcome"]);
    });

    it("maps every Postal message event (by name, or by payload for older versions)", async () => {
      const cases: [Record<string, unknown>, string, string | null][] = [
        [postalEvent("MessageDelayed", { message, status: "SoftFail" }), "deferred", null],
        [postalEvent("MessageDeliveryFailed", { message, status: "HardFail" }), "failed", null],
        [postalEvent("MessageHeld", { message, status: "Held" }), "queued", null],
        [
          postalEvent("MessageBounced", { original_message: message, bounce: { id: 1 } }),
          "bounced",
          "bounced",
        ],
        [
          postalEvent("MessageLinkClicked", {
            message,
            url: "https://example.com/x",
            user_agent: "Mozilla/5.0",
          }),
          "clicked",
          null,
        ],
        [
          postalEvent("MessageLoaded", {
            message,
            ip_address: "1.2.3.4",
            user_agent: "Mozilla/5.0",
          }),
          "opened",
          null,
        ],
        [postalEvent("DomainDNSError", { domain: "example.com" }), "unknown", null],
        [{ timestamp: 1, payload: { message, status: "SoftFail" } }, "deferred", null],
        [
          { timestamp: 1, payload: { original_message: message, bounce: {} } },
          "bounced",
          "bounced",
        ],
        [{ timestamp: 1, payload: { message, url: "https://example.com" } }, "clicked", null],
        [postalEvent("constructor", {}), "unknown", null],
      ];
      for (const [body, eventType, reason] of cases) {
        const hook = webhookApp();
        await hook.post("/postal/tracking/").send(body).expect(200);
        expect(hook.tracking[0].eventType, JSON.stringify(body).slice(0, 60)).to.equal(eventType);
        expect(hook.tracking[0].rejectReason).to.equal(reason);
      }
      const hook = webhookApp();
      await hook.post("/postal/tracking/").send(cases[3][0]).expect(200);
      expect(hook.tracking[0]).to.include({ messageId: "12345", recipient: "rcpt@example.com" });
    });

    it("ignores events about incoming mail Postal could not forward", async () => {
      const hook = webhookApp();
      const incoming = postalEvent("MessageDeliveryFailed", {
        message: { ...message, direction: "incoming" },
        status: "HardFail",
      });
      await hook.post("/postal/tracking/").send(incoming).expect(200);
      expect(hook.events).to.have.length(0);
    });

    it("refuses an inbound message on the tracking URL (400)", async () => {
      const hook = webhookApp();
      const res = await hook.post("/postal/tracking/").send(inboundMessage);
      expect(res.status).to.equal(400);
      expect(hook.events).to.have.length(0);
    });

    describeWebhookBasicAuth("Postal tracking", (hook) =>
      hook.post("/postal/tracking/").send(sent),
    );
  });

  describe("inbound", () => {
    it("parses the raw message (base64 or not) with its envelope", async () => {
      for (const body of [inboundMessage, { ...inboundMessage, message: RAW, base64: false }]) {
        const hook = webhookApp();
        await hook.post("/postal/inbound/").send(body).expect(200);
        const [event] = hook.inbound;
        expect(event.eventId).to.equal("8765");
        expect(event.timestamp).to.equal(null);
        expect(event.message.fromEmail?.address).to.equal("Jörg <joerg@example.com>");
        expect(event.message.text?.trimEnd()).to.equal("Grüße");
        expect(event.message.envelopeSender).to.equal("bounces@example.com");
        expect(event.message.envelopeRecipient).to.equal("inbox@example.com");
      }
    });

    it("refuses a tracking event, a JSON-format endpoint and broken base64 (400)", async () => {
      const hook = webhookApp();
      await hook.post("/postal/inbound/").send(sent).expect(400);
      await hook
        .post("/postal/inbound/")
        .send({ id: 1, rcpt_to: "a@example.com", plain_body: "x" })
        .expect(400);
      await hook
        .post("/postal/inbound/")
        .send({ ...inboundMessage, message: "%%%" })
        .expect(400);
      expect(hook.events).to.have.length(0);
    });

    describeWebhookBasicAuth("Postal inbound", (hook) =>
      hook.post("/postal/inbound/").send(inboundMessage),
    );
  });

  describe("RSA signature (webhookKey)", () => {
    const current = newKeyPair();
    const body = JSON.stringify(sent);
    const inboundBody = JSON.stringify(inboundMessage);
    const post = (
      hook: ReturnType<typeof webhookApp>,
      path: string,
      payload: string,
      headers: Record<string, string>,
    ) => hook.post(path).set("content-type", "application/json").set(headers).send(payload);

    it("accepts a body signed with the server key (SHA-1 and SHA-256 headers), on both routes", async () => {
      const hook = webhookApp({ postal: { webhookKey: current.webhookKey } });
      await post(hook, "/postal/tracking/", body, {
        "X-Postal-Signature": signBody(current.privateKey, body),
      }).expect(200);
      await post(hook, "/postal/tracking/", body, {
        "X-Postal-Signature-256": signBody(current.privateKey, body, "sha256"),
      }).expect(200);
      await post(hook, "/postal/inbound/", inboundBody, {
        "X-Postal-Signature": signBody(current.privateKey, inboundBody),
      }).expect(200);
      expect(hook.events).to.have.length(3);
      expect(hook.logs.warn.filter((line) => /insecure/.test(line))).to.have.length(0);
    });

    it("refuses tampered bodies, other keys, missing and malformed signatures", async () => {
      const hook = webhookApp({ postal: { webhookKey: current.webhookKey } });
      const tampered = body.replace("Sent", "HardFail");
      const other = newKeyPair();
      const cases: [string, Record<string, string>][] = [
        [tampered, { "X-Postal-Signature": signBody(current.privateKey, body) }],
        [body, { "X-Postal-Signature": signBody(other.privateKey, body) }],
        [body, {}],
        [body, { "X-Postal-Signature": "not base64 at all %%%" }],
        // a valid SHA-1 signature does not rescue a wrong SHA-256 one
        [
          body,
          {
            "X-Postal-Signature": signBody(current.privateKey, body),
            "X-Postal-Signature-256": "AAAA",
          },
        ],
      ];
      for (const [payload, headers] of cases) {
        const res = await post(hook, "/postal/tracking/", payload, headers);
        expect(res.status).to.equal(400);
      }
      expect(hook.events).to.have.length(0);
    });

    it("rotation: each of several keys is accepted (PEM works too, and env comma-separated)", async () => {
      const next = newKeyPair();
      const hook = webhookApp({ postal: { webhookKey: [current.webhookKey, next.pem] } });
      for (const key of [current.privateKey, next.privateKey]) {
        await post(hook, "/postal/tracking/", body, {
          "X-Postal-Signature": signBody(key, body),
        }).expect(200);
      }
      const fromEnv = webhookApp(
        { env: { POSTAL_WEBHOOK_KEY: `${current.webhookKey},${next.webhookKey}` } },
        { isolateEnv: false },
      );
      await post(fromEnv, "/postal/tracking/", body, {
        "X-Postal-Signature": signBody(next.privateKey, body),
      }).expect(200);
    });

    it("a webhookKey that is not an RSA public key is a configuration error (400, key not echoed)", async () => {
      const hook = webhookApp({ postal: { webhookKey: "bm90IGEga2V5" } });
      const res = await post(hook, "/postal/tracking/", body, {
        "X-Postal-Signature": signBody(current.privateKey, body),
      });
      expect(res.status).to.not.equal(200);
      expect(res.status).to.be.below(500);
      expect([...hook.logs.error, res.text].join("\n")).to.not.include("bm90IGEga2V5");
    });
  });
});
