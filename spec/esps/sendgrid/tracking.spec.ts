// SendGrid Event Webhook: payload → events (expectations from reference-oracle case t1,
// django-anymail 9.0, except where the spec says otherwise), and the Signed Event Webhook.
import { expect } from "chai";
import { generateKeyPairSync, sign } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { AnymailWebhookValidationFailure, AnymailError } from "../../../lib/errors.js";
import type { AnymailTrackingEvent } from "../../../lib/events/tracking.js";
import type { WebhookContext, WebhookRequest } from "../../../lib/esps/types.js";
import { adapter as sendgridEsp } from "../../../lib/esps/sendgrid/index.js";
import { describeWebhookBasicAuth, webhookApp } from "../../helpers/webhooks.js";
import { resolveSettings } from "../../../lib/settings.js";
import {
  EVENT_TYPES,
  REJECT_REASONS,
  toTrackingEvent,
  type SendGridEvent,
} from "../../../lib/esps/sendgrid/tracking.js";
import { skipBecause } from "../../helpers/skip.js";

const TS = 1700000000;
const WHEN = new Date(TS * 1000);

/** A realistic batch: one of each event SendGrid documents, for one message. */
const BATCH: SendGridEvent[] = [
  {
    email: "rcpt@example.com",
    timestamp: TS,
    "smtp-id": "<abc.123@ismtpd-1>",
    event: "processed",
    category: "welcome",
    sg_event_id: "ev-processed",
    sg_message_id: "msg.filter-1",
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
    customer: "42",
  },
  {
    email: "rcpt@example.com",
    timestamp: TS,
    event: "deferred",
    sg_event_id: "ev-deferred",
    response: "421 4.7.0 try again later",
    attempt: "3",
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
  },
  {
    email: "rcpt@example.com",
    timestamp: TS,
    event: "delivered",
    sg_event_id: "ev-delivered",
    response: "250 2.0.0 OK",
    tls: 1,
    ip: "192.0.2.1",
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
  },
  {
    email: "rcpt@example.com",
    timestamp: TS,
    event: "open",
    sg_event_id: "ev-open",
    useragent: "Mozilla/5.0 (Windows NT 10.0)",
    ip: "198.51.100.7",
    sg_machine_open: false,
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
  },
  {
    email: "rcpt@example.com",
    timestamp: TS,
    event: "click",
    sg_event_id: "ev-click",
    useragent: "Mozilla/5.0 (iPhone)",
    url: "https://example.com/welcome?x=1",
    url_offset: { index: 0, type: "html" },
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
  },
  {
    email: "rcpt@example.com",
    timestamp: TS,
    event: "spamreport",
    sg_event_id: "ev-spam",
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
  },
  {
    email: "rcpt@example.com",
    timestamp: TS,
    event: "unsubscribe",
    sg_event_id: "ev-unsub",
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
  },
  {
    email: "rcpt@example.com",
    timestamp: TS,
    event: "group_unsubscribe",
    asm_group_id: 10,
    sg_event_id: "ev-group-unsub",
    useragent: "Mozilla/5.0",
    url: "https://example.com/unsub",
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
  },
  {
    email: "rcpt@example.com",
    timestamp: TS,
    event: "group_resubscribe",
    asm_group_id: 10,
    sg_event_id: "ev-group-resub",
    anymail_id: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
  },
];

function request(body: unknown, headers: Record<string, string> = {}): WebhookRequest {
  const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString("utf8"));
  } catch {
    json = undefined;
  }
  return {
    method: "POST",
    url: new URL("https://app.example.com/anymail/sendgrid/tracking/"),
    headers,
    rawBody,
    contentType: "application/json",
    json,
    basicAuthPassed: true,
  };
}

function context(settings: Record<string, unknown> = {}): WebhookContext {
  return {
    espName: "SendGrid",
    settings,
    logger: { warn: () => undefined, error: () => undefined },
    fetch: globalThis.fetch,
  };
}

async function handle(body: unknown): Promise<AnymailTrackingEvent[]> {
  return (await sendgridEsp.tracking!.handle(request(body), context())) as AnymailTrackingEvent[];
}

describe("SendGrid tracking webhook", () => {
  describe("SendGrid event batch", () => {
    it("[SG-30] each event of a batch becomes one event, in order, espEvent being that event", async () => {
      const events = await handle(BATCH);
      expect(events.map((e) => e.eventType)).to.deep.equal([
        "queued",
        "deferred",
        "delivered",
        "opened",
        "clicked",
        "complained",
        "unsubscribed",
        "unsubscribed",
        "subscribed",
      ]);
      events.forEach((event, i) => expect(event.espEvent).to.deep.equal(BATCH[i]));
    });

    it("[SG-32] processed → queued, with id, recipient, time, tags and metadata", async () => {
      const [event] = await handle([BATCH[0]]);
      expect(event).to.deep.include({
        eventType: "queued",
        messageId: "6b7f3c1e-2a64-4a53-9d0c-1f4f2d9a1b00",
        eventId: "ev-processed",
        recipient: "rcpt@example.com",
        tags: ["welcome"],
        metadata: { customer: "42" },
        rejectReason: null,
        mtaResponse: null,
      });
      expect(event.timestamp?.getTime()).to.equal(WHEN.getTime());
    });

    it("[SG-35] [SG-36] deferred and delivered carry the MTA response", async () => {
      const [deferred, delivered] = await handle([BATCH[1], BATCH[2]]);
      expect(deferred.eventType).to.equal("deferred");
      expect(deferred.mtaResponse).to.equal("421 4.7.0 try again later");
      expect(delivered.eventType).to.equal("delivered");
      expect(delivered.mtaResponse).to.equal("250 2.0.0 OK");
      // attempt, tls and ip are SendGrid's own fields, not metadata
      expect(deferred.metadata).to.deep.equal({});
      expect(delivered.metadata).to.deep.equal({});
    });

    it("[SG-37] [SG-38] open and click carry user agent and url", async () => {
      const [open, click] = await handle([BATCH[3], BATCH[4]]);
      expect(open).to.deep.include({
        eventType: "opened",
        userAgent: "Mozilla/5.0 (Windows NT 10.0)",
        clickUrl: null,
      });
      expect(click).to.deep.include({
        eventType: "clicked",
        userAgent: "Mozilla/5.0 (iPhone)",
        clickUrl: "https://example.com/welcome?x=1",
        metadata: {},
      });
    });

    it("[SG-39] [SG-40] [SG-41] spamreport, unsubscribes and resubscribe", async () => {
      const events = await handle(BATCH.slice(5));
      expect(events.map((e) => e.eventType)).to.deep.equal([
        "complained",
        "unsubscribed",
        "unsubscribed",
        "subscribed",
      ]);
      expect(events[2].clickUrl).to.equal("https://example.com/unsub");
    });

    it("[SG-33] [SG-42] dropped → rejected, with the reason normalized and described", async () => {
      const reasons: [string, string][] = [
        ["Invalid", "invalid"],
        ["Unsubscribed Address", "unsubscribed"],
        ["Bounced Address", "bounced"], // spec: prior-bounce suppression (9.0 says "other")
        ["Spam Reporting Address", "spam"], // spec: prior-complaint suppression (9.0: "other")
        ["Invalid SMTPAPI header", "other"],
        ["Spam Content (if spam checker app enabled)", "other"],
      ];
      const events = await handle(
        reasons.map(([reason], i) => ({
          email: "rcpt@example.com",
          timestamp: TS,
          event: "dropped",
          reason,
          status: "5.0.0",
          sg_event_id: `drop-${i}`,
        })),
      );
      events.forEach((event, i) => {
        expect(event.eventType).to.equal("rejected");
        expect(event.rejectReason, reasons[i][0]).to.equal(reasons[i][1]);
        expect(event.description).to.equal(reasons[i][0]);
        expect(event.mtaResponse).to.equal(null);
      });
    });

    it("[SG-34] bounce → bounced, blocked and expired types kept apart, reason as MTA response", async () => {
      const events = await handle(
        (["bounce", "blocked", "expired", undefined] as const).map((type) => ({
          email: "rcpt@example.com",
          timestamp: TS,
          event: "bounce",
          type,
          status: "5.1.1",
          reason: `550 5.1.1 ${type ?? "none"}`,
          bounce_classification: "Invalid Address",
          sg_event_id: `bounce-${type}`,
        })),
      );
      expect(events.map((e) => e.eventType)).to.deep.equal([
        "bounced",
        "bounced",
        "bounced",
        "bounced",
      ]);
      expect(events.map((e) => e.rejectReason)).to.deep.equal([
        "bounced",
        "blocked",
        "timed_out",
        "bounced",
      ]);
      expect(events[1].mtaResponse).to.equal("550 5.1.1 blocked");
      expect(events[0].metadata).to.deep.equal({});
    });

    it("an unknown event type becomes unknown, never an error", async () => {
      const [event] = await handle([{ email: "a@example.com", timestamp: TS, event: "new_thing" }]);
      expect(event.eventType).to.equal("unknown");
    });

    it("[SG-31] messageId falls back to smtp-id without anymail_id", async () => {
      const [withId, without, neither] = await handle([
        { event: "delivered", anymail_id: "id-1", "smtp-id": "<s@x>" },
        { event: "delivered", "smtp-id": "<s@x>" },
        { event: "delivered" },
      ]);
      expect(withId.messageId).to.equal("id-1");
      expect(without.messageId).to.equal("<s@x>");
      expect(neither.messageId).to.equal(null);
    });

    it("tags come from a category string or list", async () => {
      const [one, several, none] = await handle([
        { event: "open", category: "one" },
        { event: "open", category: ["a", "b"] },
        { event: "open" },
      ]);
      expect(one.tags).to.deep.equal(["one"]);
      expect(several.tags).to.deep.equal(["a", "b"]);
      expect(none.tags).to.deep.equal([]);
    });

    it("metadata is every custom arg, minus SendGrid's own fields", async () => {
      const [event] = await handle([
        {
          event: "delivered",
          email: "a@example.com",
          anymail_id: "x",
          sg_template_id: "d-1",
          sg_template_name: "T",
          marketing_campaign_id: 5,
          pool: { name: "p", id: 1 },
          order: "1001",
          nested: { a: 1 },
        },
      ]);
      expect(event.metadata).to.deep.equal({ order: "1001", nested: { a: 1 } });
    });

    it("a missing or invalid timestamp is null", async () => {
      const [none, bad, text] = await handle([
        { event: "open" },
        { event: "open", timestamp: "soon" },
        { event: "open", timestamp: String(TS) },
      ]);
      expect(none.timestamp).to.equal(null);
      expect(bad.timestamp).to.equal(null);
      expect(text.timestamp?.getTime()).to.equal(WHEN.getTime());
    });

    it("a body that is not a JSON array of objects is an AnymailError (400)", async () => {
      for (const body of [Buffer.from("not json"), { event: "open" }, ["open"]]) {
        let error: unknown;
        try {
          await handle(body);
        } catch (e) {
          error = e;
        }
        expect(error, JSON.stringify(body)).to.be.instanceOf(AnymailError);
      }
    });

    it("every table row maps to a normalized value", () => {
      for (const [name, type] of Object.entries(EVENT_TYPES)) {
        expect(toTrackingEvent({ event: name }).eventType).to.equal(type);
      }
      for (const [reason, normalized] of Object.entries(REJECT_REASONS)) {
        expect(toTrackingEvent({ event: "dropped", reason }).rejectReason).to.equal(normalized);
      }
    });
  });

  describe("SendGrid signed event webhook", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const verificationKey = publicKey.export({ format: "der", type: "spki" }).toString("base64");
    const body = Buffer.from(JSON.stringify(BATCH) + "\r\n");
    const timestamp = String(TS);
    const signature = sign("sha256", Buffer.concat([Buffer.from(timestamp), body]), {
      key: privateKey,
      dsaEncoding: "der",
    }).toString("base64");
    const signedHeaders = {
      "x-twilio-email-event-webhook-signature": signature,
      "x-twilio-email-event-webhook-timestamp": timestamp,
    };

    async function verify(
      req: WebhookRequest,
      settings: Record<string, unknown> = { webhookVerificationKey: [verificationKey] },
    ) {
      // as the router does: the ESP's code imported first (the adapter's handlers are filled
      // in then), settings resolved once, the check run only when they turn it on
      await sendgridEsp.load?.();
      const signature = sendgridEsp.tracking!.signature;
      if (!signature) throw new Error("the SendGrid tracking handler has no signature step");
      const resolved = resolveSettings(settings, sendgridEsp.webhookSettings, { env: {} });
      if (signature.enabled(resolved)) await signature.verify(req, context(resolved));
    }

    async function rejection(req: WebhookRequest, settings?: Record<string, unknown>) {
      try {
        await verify(req, settings);
      } catch (e) {
        return e;
      }
      return undefined;
    }

    it("[SG-29] a correct signature passes (key as base64 DER or PEM)", async () => {
      await verify(request(body, signedHeaders));
      const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
      await verify(request(body, signedHeaders), { webhookVerificationKey: pem });
    });

    it("[SG-29] any of several keys may verify (rotation)", async () => {
      const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey;
      const otherKey = other.export({ format: "der", type: "spki" }).toString("base64");
      await verify(request(body, signedHeaders), {
        webhookVerificationKey: [otherKey, verificationKey],
      });
    });

    it("[SG-29] a missing signature is refused", async () => {
      const error = await rejection(request(body));
      expect(error).to.be.instanceOf(AnymailWebhookValidationFailure);
      const noTimestamp = await rejection(
        request(body, { "x-twilio-email-event-webhook-signature": signature }),
      );
      expect(noTimestamp).to.be.instanceOf(AnymailWebhookValidationFailure);
    });

    it("[SG-29] a tampered body, timestamp or signature is refused", async () => {
      const tampered = Buffer.from(body.toString().replace("rcpt@", "evil@"));
      expect(await rejection(request(tampered, signedHeaders))).to.be.instanceOf(
        AnymailWebhookValidationFailure,
      );
      const later = { ...signedHeaders, "x-twilio-email-event-webhook-timestamp": `${TS + 1}` };
      expect(await rejection(request(body, later))).to.be.instanceOf(
        AnymailWebhookValidationFailure,
      );
      const garbage = {
        ...signedHeaders,
        "x-twilio-email-event-webhook-signature": "bm90IGRlcg==",
      };
      expect(await rejection(request(body, garbage))).to.be.instanceOf(
        AnymailWebhookValidationFailure,
      );
    });

    it("[SG-29] a signature from another key is refused", async () => {
      const other = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey;
      const otherKey = other.export({ format: "der", type: "spki" }).toString("base64");
      const error = await rejection(request(body, signedHeaders), {
        webhookVerificationKey: otherKey,
      });
      expect(error).to.be.instanceOf(AnymailWebhookValidationFailure);
      expect((error as Error).message).to.not.contain(otherKey);
    });

    it("[SG-29] without a verification key nothing is checked", async () => {
      await verify(request(body), {});
      const signature = sendgridEsp.tracking!.signature;
      expect(signature?.enabled({})).to.equal(false);
      expect(signature?.enabled({ webhookVerificationKey: [verificationKey] })).to.equal(true);
    });

    it("[SG-29] an unusable verification key is a configuration error, not echoed", async () => {
      const error = await rejection(request(body, signedHeaders), {
        webhookVerificationKey: "bm90IGEga2V5",
      });
      expect(error).to.be.instanceOf(AnymailError);
      expect((error as Error).message).to.not.contain("bm90IGEga2V5");
      const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey;
      const rsaError = await rejection(request(body, signedHeaders), {
        webhookVerificationKey: rsa.export({ format: "pem", type: "spki" }).toString(),
      });
      expect(rsaError).to.be.instanceOf(AnymailError);
    });

    // SendGrid's own SDK test vectors, read from ../shared beside the repository (or beside
    // the worktree folder) when it is there; skipped otherwise.
    const vectorDirs = ["../../../../shared/", "../../../../../shared/"].map(
      (dir) => new URL(`${dir}vectors/sendgrid/`, import.meta.url),
    );
    for (const name of ["signed-event-webhook-single.json", "signed-event-webhook-multi.json"]) {
      it(`[SG-29] SendGrid's vector ${name} verifies`, async function () {
        const file = vectorDirs.map((dir) => new URL(name, dir)).find((f) => existsSync(f));
        if (!file)
          skipBecause(
            this,
            "the shared vectors folder (../shared/vectors) is not beside this checkout",
          );
        const vector = JSON.parse(readFileSync(file, "utf8")) as {
          public_key_b64_der: string;
          timestamp: string;
          signature_b64_der: string;
          payload_b64: string;
        };
        const headers = {
          "x-twilio-email-event-webhook-signature": vector.signature_b64_der,
          "x-twilio-email-event-webhook-timestamp": vector.timestamp,
        };
        const payload = Buffer.from(vector.payload_b64, "base64");
        await verify(request(payload, headers), {
          webhookVerificationKey: vector.public_key_b64_der,
        });
        const tampered = Buffer.concat([payload, Buffer.from(" ")]);
        expect(
          await rejection(request(tampered, headers), {
            webhookVerificationKey: vector.public_key_b64_der,
          }),
        ).to.be.instanceOf(AnymailWebhookValidationFailure);
      });
    }
  });

  describe("SendGrid tracking webhook over HTTP", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const verificationKey = publicKey.export({ format: "der", type: "spki" }).toString("base64");
    // SendGrid posts one event per line, CRLF-separated (as in SendGrid's SDK vectors)
    const body = "[" + BATCH.map((e) => JSON.stringify(e)).join(",\r\n") + "]\r\n";
    function signedHeaders(payload: string, timestamp = String(TS)) {
      const signature = sign("sha256", Buffer.from(timestamp + payload), {
        key: privateKey,
        dsaEncoding: "der",
      }).toString("base64");
      return {
        "X-Twilio-Email-Event-Webhook-Signature": signature,
        "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
      };
    }

    it("[SG-29] [SG-30] POST /sendgrid/tracking/ emits every event of the batch, in order", async () => {
      const hook = webhookApp();
      const res = await hook.post("/sendgrid/tracking/").type("application/json").send(body);
      expect(res.status).to.equal(200);
      expect(hook.events.map((e) => [e.channel, e.espName])).to.deep.equal(
        BATCH.map(() => ["tracking", "SendGrid"]),
      );
      expect(hook.tracking.map((e) => (e.espEvent as SendGridEvent).sg_event_id)).to.deep.equal(
        BATCH.map((e) => e.sg_event_id),
      );
    });

    it("[SG-29] with a verification key, a signed batch is accepted", async () => {
      const hook = webhookApp({ sendgrid: { webhookVerificationKey: verificationKey } });
      const res = await hook
        .post("/sendgrid/tracking/")
        .type("application/json")
        .set(signedHeaders(body))
        .send(body);
      expect(res.status).to.equal(200);
      expect(hook.tracking).to.have.length(BATCH.length);
    });

    it("[SG-29] with a verification key, unsigned or tampered batches get 400 and emit nothing", async () => {
      const hook = webhookApp({ sendgrid: { webhookVerificationKey: verificationKey } });
      const unsigned = await hook.post("/sendgrid/tracking/").type("application/json").send(body);
      expect(unsigned.status).to.equal(400);
      const tampered = await hook
        .post("/sendgrid/tracking/")
        .type("application/json")
        .set(signedHeaders(body))
        .send(body.replace("rcpt@", "evil@"));
      expect(tampered.status).to.equal(400);
      expect(hook.events).to.have.length(0);
    });

    it("[SG-29] the verification key also comes from ANYMAIL_SENDGRID_WEBHOOK_VERIFICATION_KEY", async () => {
      const hook = webhookApp(
        { env: { ANYMAIL_SENDGRID_WEBHOOK_VERIFICATION_KEY: verificationKey } },
        { isolateEnv: false },
      );
      const unsigned = await hook.post("/sendgrid/tracking/").type("application/json").send(body);
      expect(unsigned.status).to.equal(400);
      const signed = await hook
        .post("/sendgrid/tracking/")
        .type("application/json")
        .set(signedHeaders(body))
        .send(body);
      expect(signed.status).to.equal(200);
    });

    it("a body that is not an event array answers 400", async () => {
      const hook = webhookApp();
      const res = await hook.post("/sendgrid/tracking/").type("application/json").send("{}");
      expect(res.status).to.equal(400);
      expect(hook.events).to.have.length(0);
    });

    describeWebhookBasicAuth("SendGrid tracking", (hook) =>
      hook.post("/sendgrid/tracking/").type("application/json").send(body),
    );
  });
});
