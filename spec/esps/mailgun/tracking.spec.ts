// Mailgun tracking webhooks, current JSON and legacy form formats. Payloads follow Mailgun's
// documented samples (mailgun/documentation source/api-events.rst); expected events were
// checked against oracle webhook cases (django-anymail 9.0) unless a test says otherwise.
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import type { AnymailTrackingEvent } from "../../../lib/events/tracking.js";
import { EVENT_TYPES, REJECT_REASONS } from "../../../lib/esps/mailgun/tracking.js";
import { LEGACY_EVENT_TYPES } from "../../../lib/esps/mailgun/tracking-legacy.js";
import { webhookApp } from "../../helpers/webhooks.js";
import { SIGNING_KEY, callMailgun, sign, signedForm } from "./webhook-helpers.js";
import { skipBecause } from "../../helpers/skip.js";

const TOKEN = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0";
const HEADERS = {
  to: "Joan <joan@example.com>",
  "message-id": "20240102030405.1.ABCDEF@mg.example.com",
  from: "sender@mg.example.com",
  subject: "Test Subject",
};

function payload(eventData: Record<string, unknown>, signature = sign(1529006854, TOKEN)) {
  return { signature, "event-data": eventData };
}

async function trackJson(eventData: Record<string, unknown>): Promise<AnymailTrackingEvent> {
  const result = await callMailgun("tracking", { json: payload(eventData) });
  expect(result.status, result.text).to.equal(200);
  expect(result.events).to.have.length(1);
  return result.events[0] as AnymailTrackingEvent;
}

async function trackLegacy(fields: [string, string][]): Promise<AnymailTrackingEvent> {
  const result = await callMailgun("tracking", {
    form: signedForm(fields, sign(1529006854, TOKEN)),
  });
  expect(result.status, result.text).to.equal(200);
  return result.events[0] as AnymailTrackingEvent;
}

describe("Mailgun tracking webhook", () => {
  describe("Mailgun JSON webhooks", () => {
    it("[MG-31][MG-33][MG-34][MG-35][MG-43] delivered: every field, eventId is the token", async () => {
      const eventData = {
        event: "delivered",
        id: "hK7mQVt1QtqRiOfQXta4sw",
        timestamp: 1529692199.626182,
        "log-level": "info",
        envelope: {
          transport: "smtp",
          sender: "sender@mg.example.com",
          targets: "joan@example.com",
        },
        "delivery-status": {
          tls: true,
          code: 250,
          description: "",
          "attempt-no": 1,
          message: "OK",
        },
        message: { headers: HEADERS, attachments: [], size: 586 },
        recipient: "joan@example.com",
        "recipient-domain": "example.com",
        campaigns: [],
        tags: ["welcome", "beta"],
        // merge_metadata arrives without the v: prefix (Mailgun strips it)
        "user-variables": { order: "1", n: 2 },
      };
      const event = await trackJson(eventData);
      expect(event).to.deep.include({
        eventType: "delivered",
        eventId: TOKEN,
        recipient: "joan@example.com",
        messageId: "<20240102030405.1.ABCDEF@mg.example.com>",
        metadata: { order: "1", n: 2 },
        tags: ["welcome", "beta"],
        rejectReason: null,
        description: "",
        mtaResponse: "OK",
        userAgent: null,
        clickUrl: null,
      });
      expect(event.timestamp?.toISOString()).to.equal("2018-06-22T18:29:59.626Z");
      expect(event.espEvent).to.deep.equal(payload(eventData));
      expect(event.espEvent).to.have.all.keys("signature", "event-data");
    });

    it("[MG-37][MG-44] a permanent failure is bounced, with the reason mapped", async () => {
      const event = await trackJson({
        event: "failed",
        severity: "permanent",
        reason: "suppress-bounce",
        timestamp: 1529701969.818328,
        "delivery-status": {
          "attempt-no": 1,
          message: "",
          code: 605,
          description: "Not delivering to previously bounced address",
        },
        message: { headers: HEADERS },
        recipient: "joan@example.com",
        tags: [],
        "user-variables": {},
      });
      expect(event).to.deep.include({
        eventType: "bounced",
        rejectReason: "bounced",
        description: "Not delivering to previously bounced address",
        mtaResponse: "",
      });
    });

    it("[MG-44] every reason in the table, and an unknown reason is 'other'", async () => {
      const reasons: Record<string, string> = { ...REJECT_REASONS, "suppress-complaint": "other" };
      for (const [reason, expected] of Object.entries(reasons)) {
        const event = await trackJson({ event: "failed", severity: "permanent", reason });
        expect(event.rejectReason, reason).to.equal(expected);
      }
      const noReason = await trackJson({ event: "failed", severity: "permanent" });
      expect(noReason.rejectReason).to.equal(null);
    });

    it("[MG-38] [#17.3] a temporary failure is deferred, never bounced, with its reject reason", async () => {
      const event = await trackJson({
        event: "failed",
        severity: "temporary",
        reason: "generic",
        timestamp: 1665066523.871657,
        "delivery-status": {
          code: 451,
          description: "",
          "retry-seconds": 600,
          message: "4.7.652 The mail server has exceeded the maximum number of connections.",
        },
        message: { headers: HEADERS },
        recipient: "test@test.com",
      });
      expect(event.eventType).to.equal("deferred");
      // "generic" maps to "other" (as django-anymail 9.0 and 15.1 report it; #17 item 3)
      expect(event.rejectReason).to.equal("other");
      expect(event.mtaResponse).to.equal(
        "4.7.652 The mail server has exceeded the maximum number of connections.",
      );
    });

    it("[#17.3] deferred events always carry a reject reason: the mapped one, else other", async () => {
      const greylisted = await trackJson({
        event: "failed",
        severity: "temporary",
        "delivery-status": { code: 450, message: "4.2.0 Greylisted, please try again later" },
        recipient: "test@test.com",
      });
      expect(greylisted).to.deep.include({ eventType: "deferred", rejectReason: "other" });
      const suppressed = await trackJson({
        event: "failed",
        severity: "temporary",
        reason: "suppress-bounce",
        recipient: "test@test.com",
      });
      expect(suppressed).to.deep.include({ eventType: "deferred", rejectReason: "bounced" });
      const delivered = await trackJson({ event: "delivered", recipient: "test@test.com" });
      expect(delivered.rejectReason).to.equal(null);
    });

    it("[MG-36][MG-44] rejected: reason 'other', description from the reject block, recipient from To", async () => {
      const event = await trackJson({
        event: "rejected",
        id: "OMTXD3-sSmKIQa1gSKkYVA",
        timestamp: 1529704976.104692,
        reject: { reason: "Sandbox subdomains are for test purposes only.", description: "" },
        "delivery-status": { description: "" },
        message: { headers: HEADERS },
        tags: [],
        "user-variables": {},
      });
      expect(event).to.deep.include({
        eventType: "rejected",
        rejectReason: "other",
        description: "Sandbox subdomains are for test purposes only.",
        recipient: "joan@example.com",
      });
    });

    it("[MG-39][MG-40] complained and unsubscribed", async () => {
      for (const type of ["complained", "unsubscribed"]) {
        const event = await trackJson({
          event: type,
          recipient: "foo@example.com",
          message: { headers: HEADERS },
        });
        expect(event.eventType).to.equal(type);
        expect(event.recipient).to.equal("foo@example.com");
        expect(event.rejectReason).to.equal(null);
      }
    });

    it("[MG-41] opened: user agent; a message id already in brackets stays as is", async () => {
      const event = await trackJson({
        event: "opened",
        timestamp: 1377047343.042277,
        recipient: "recipient@example.com",
        "client-info": { "client-type": "mobile browser", "user-agent": "Mozilla/5.0 (iPhone)" },
        message: { headers: { "message-id": "<already@example.com>" } },
      });
      expect(event).to.deep.include({
        eventType: "opened",
        userAgent: "Mozilla/5.0 (iPhone)",
        messageId: "<already@example.com>",
      });
      expect(event.timestamp?.toISOString()).to.equal("2013-08-21T01:09:03.042Z");
    });

    it("[MG-42] clicked: the URL and user agent", async () => {
      const event = await trackJson({
        event: "clicked",
        recipient: "recipient@example.com",
        url: "http://example.com/signup",
        "client-info": { "user-agent": "Chromium/28" },
        message: { headers: HEADERS },
      });
      expect(event).to.deep.include({
        eventType: "clicked",
        clickUrl: "http://example.com/signup",
        userAgent: "Chromium/28",
      });
    });

    it("walks the event table; other events are 'unknown'", async () => {
      for (const [mailgunType, expected] of Object.entries(EVENT_TYPES)) {
        expect((await trackJson({ event: mailgunType })).eventType, mailgunType).to.equal(expected);
      }
      expect((await trackJson({ event: "stored" })).eventType).to.equal("unknown");
    });

    it("[MG-47] odd or missing fields give an event, never a crash", async () => {
      const event = await trackJson({
        event: "failed",
        timestamp: "not a number",
        tags: "not-a-list",
        "user-variables": ["not", "an", "object"],
        "delivery-status": null,
        message: { headers: null },
        reject: "x",
      });
      expect(event).to.deep.include({
        eventType: "bounced",
        timestamp: null,
        metadata: {},
        tags: [],
        messageId: null,
        recipient: null,
        description: null,
        mtaResponse: null,
      });
      const bare = await trackJson({});
      expect(bare.eventType).to.equal("unknown");
    });

    it("[MG-31] works the same with the router mounted in Express 4", async () => {
      const hook = webhookApp({ mailgun: { webhookSigningKey: SIGNING_KEY } }, { express: 4 });
      const json = payload({ event: "opened", recipient: "r@example.com" });
      const result = await callMailgun("tracking", { json }, {}, {}, hook);
      expect(result.status).to.equal(200);
      expect(hook.tracking.map((e) => [e.eventType, e.recipient, e.eventId])).to.deep.equal([
        ["opened", "r@example.com", TOKEN],
      ]);
      const legacy = await callMailgun(
        "tracking",
        { form: signedForm([["event", "clicked"]]), multipart: true },
        {},
        {},
        hook,
      );
      expect(legacy.status).to.equal(200);
      expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["opened", "clicked"]);
    });

    it("a JSON body without an event-data object is a 400", async () => {
      const result = await callMailgun("tracking", { json: { signature: sign() } });
      expect(result.status).to.equal(400);
      expect(result.text).to.include('no "event-data" object');
    });
  });

  describe("Mailgun legacy webhooks", () => {
    it("[MG-45][MG-37][MG-44] bounced: metadata from X-Mailgun-Variables, tags, code 550 → bounced", async () => {
      const messageHeaders = JSON.stringify([
        ["X-Mailgun-Variables", '{"user": "u1"}'],
        ["Message-Id", "<b1@mg.example.com>"],
        ["X-Mailgun-Variables", '{"n": 2}'],
      ]);
      const fields: [string, string][] = [
        ["event", "bounced"],
        ["recipient", "alice@example.com"],
        ["domain", "mg.example.com"],
        ["code", "550"],
        ["error", "550 5.1.1 The email account that you tried to reach does not exist."],
        ["notification", ""],
        ["message-headers", messageHeaders],
        ["Message-Id", "<b1@mg.example.com>"],
        ["tag", "t1"],
        ["tag", "t2"],
      ];
      const event = await trackLegacy(fields);
      expect(event).to.deep.include({
        eventType: "bounced",
        eventId: TOKEN,
        recipient: "alice@example.com",
        messageId: "<b1@mg.example.com>",
        metadata: { user: "u1", n: 2 },
        tags: ["t1", "t2"],
        rejectReason: "bounced",
        mtaResponse: "550 5.1.1 The email account that you tried to reach does not exist.",
      });
      expect(event.timestamp?.toISOString()).to.equal("2018-06-14T20:07:34.000Z");
      const form: Record<string, string[]> = {};
      for (const [name, value] of signedForm(fields, sign(1529006854, TOKEN)))
        (form[name] ??= []).push(value);
      expect(event.espEvent).to.deep.equal(form);
    });

    it("[MG-36][MG-44] dropped is rejected; codes map through the table and SMTP classes", async () => {
      const cases: [string, string | null][] = [
        ["605", "bounced"],
        ["607", "spam"],
        ["499", "timed_out"],
        ["550", "bounced"],
        ["421", "bounced"],
        ["700", "other"],
        ["5.1.1", "bounced"],
        ["4.2.2", "bounced"],
        ["2.0.0", "other"],
        ["abc", "other"],
      ];
      for (const [code, expected] of cases) {
        const event = await trackLegacy([
          ["event", "dropped"],
          ["recipient", "a@example.com"],
          ["code", code],
          ["message-id", "d2@mg.example.com"],
        ]);
        expect(event.eventType).to.equal("rejected");
        expect(event.rejectReason, code).to.equal(expected);
        expect(event.messageId).to.equal("<d2@mg.example.com>");
      }
      const noCode = await trackLegacy([
        ["event", "dropped"],
        ["description", "Not delivering"],
      ]);
      expect(noCode).to.deep.include({ rejectReason: null, description: "Not delivering" });
    });

    it("[MG-44] a delivered event's code gives no reject reason (spec: bounced and rejected only)", async () => {
      const event = await trackLegacy([
        ["event", "delivered"],
        ["code", "250"],
        ["Message-Id", "<d@mg>"],
      ]);
      expect(event).to.deep.include({ eventType: "delivered", rejectReason: null });
    });

    it("[MG-46] opened: metadata from unknown fields; a user variable named like a Mailgun field", async () => {
      const event = await trackLegacy([
        ["event", "opened"],
        ["recipient", "a@example.com"],
        ["domain", "mg.example.com"],
        ["ip", "1.2.3.4"],
        ["user-agent", "UA"],
        ["message-id", "o1@mg.example.com"],
        ["tag", "t"],
        ["custom", "c1"],
        // user variables come before the security fields: recoverable
        ["token", "user-token-value"],
        // body-plain, h, message-id, tag cannot be recovered (documented limitation)
        ["h", "user-h"],
      ]);
      expect(event).to.deep.include({
        eventType: "opened",
        userAgent: "UA",
        tags: ["t"],
        metadata: { custom: "c1", token: "user-token-value" },
        eventId: TOKEN,
      });
      const clicked = await trackLegacy([
        ["event", "clicked"],
        ["url", "http://example.com/x"],
        ["url", "user-url"],
        ["X-Mailgun-Tag", "xt"],
      ]);
      expect(clicked).to.deep.include({ clickUrl: "http://example.com/x", tags: ["xt"] });
      expect(clicked.metadata).to.deep.equal({ url: "user-url", "X-Mailgun-Tag": "xt" });
    });

    it("walks the legacy event table", async () => {
      for (const [mailgunType, expected] of Object.entries(LEGACY_EVENT_TYPES)) {
        const event = await trackLegacy([["event", mailgunType]]);
        expect(event.eventType, mailgunType).to.equal(expected);
      }
      expect((await trackLegacy([["event", "stored"]])).eventType).to.equal("unknown");
    });

    it("[MG-47] malformed message-headers or variables give an event with empty metadata", async () => {
      for (const headers of [
        "not json",
        '{"a": 1}',
        '[["X-Mailgun-Variables", "not json"]]',
        "[1]",
      ]) {
        const event = await trackLegacy([
          ["event", "bounced"],
          ["message-headers", headers],
        ]);
        expect(event.metadata, headers).to.deep.equal({});
      }
    });

    it("[MG-48] an inbound route's post at the tracking URL is a 400 naming the mix-up", async () => {
      const result = await callMailgun("tracking", {
        form: signedForm([
          ["sender", "someone@example.com"],
          ["recipient", "in@mg.example.com"],
          ["body-plain", "hi"],
        ]),
      });
      expect(result.status).to.equal(400);
      expect(result.text).to.include("*inbound* route to Anymail's Mailgun *tracking*");
    });
  });

  describe("Mailgun webhook signature", () => {
    const delivered = { event: "delivered" };

    it("[MG-32] a correct signature passes; a wrong one is a 400", async () => {
      expect((await callMailgun("tracking", { json: payload(delivered, sign()) })).status).to.equal(
        200,
      );
      const wrong = { ...sign(), signature: sign(undefined, "other-token").signature };
      const result = await callMailgun("tracking", { json: payload(delivered, wrong) });
      expect(result.status).to.equal(400);
      expect(result.text).to.include("Mailgun webhook called with incorrect signature");
      expect(result.text).not.to.include(SIGNING_KEY);
    });

    it("[MG-32] a signature made with another key, or of another length, is a 400", async () => {
      const otherKey = sign(undefined, undefined, "another-key");
      expect(
        (await callMailgun("tracking", { json: payload(delivered, otherKey) })).status,
      ).to.equal(400);
      const short = { ...sign(), signature: "abc" };
      expect((await callMailgun("tracking", { json: payload(delivered, short) })).status).to.equal(
        400,
      );
    });

    it("[MG-32] missing security fields are a 400", async () => {
      for (const json of [
        { "event-data": delivered },
        { signature: "x", "event-data": delivered },
        null,
      ]) {
        const result = await callMailgun("tracking", { json });
        expect(result.status).to.equal(400);
        expect(result.text).to.include("without required security fields");
      }
      const form = await callMailgun("tracking", { form: [["event", "delivered"]] });
      expect(form.status).to.equal(400);
      const unsigned = { ...sign(), token: undefined };
      expect(
        (await callMailgun("tracking", { json: payload(delivered, unsigned as never) })).status,
      ).to.equal(400);
    });

    it("[MG-32] legacy posts use the last timestamp/token/signature values", async () => {
      const fields = signedForm([
        ["event", "opened"],
        ["timestamp", "1"],
        ["token", "user-variable"],
        ["signature", "user-variable"],
      ]);
      expect((await callMailgun("tracking", { form: fields })).status).to.equal(200);
    });

    it("[MG-04][MG-32] without webhookSigningKey, the apiKey is the signing key", async () => {
      const result = await callMailgun(
        "tracking",
        { json: payload(delivered, sign(undefined, undefined, "the-api-key")) },
        {
          apiKey: "the-api-key",
        },
      );
      expect(result.status).to.equal(200);
      const both = await callMailgun(
        "tracking",
        { json: payload(delivered, sign(undefined, undefined, "the-api-key")) },
        {
          apiKey: "the-api-key",
          webhookSigningKey: "rotated-signing-key",
        },
      );
      expect(both.status).to.equal(400);
    });

    it("[MG-04] with neither key set, webhooks answer 400 with a configuration error", async () => {
      const result = await callMailgun("tracking", { json: payload(delivered, sign()) }, {});
      expect(result.status).to.equal(400);
      expect(result.text).to.include("webhookSigningKey");
    });

    it("[MG-32] replay protection is off by default: old signatures and repeated tokens pass", async () => {
      const old = payload(
        delivered,
        sign(1403645220, "repeat-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
      );
      const settings = { webhookSigningKey: SIGNING_KEY };
      expect((await callMailgun("tracking", { json: old }, settings)).status).to.equal(200);
      expect((await callMailgun("tracking", { json: old }, settings)).status).to.equal(200);
    });

    it("[MG-32] webhookMaxSignatureAge refuses stale (and far-future) signatures", async () => {
      const settings = { webhookSigningKey: SIGNING_KEY, webhookMaxSignatureAge: 300 };
      const now = Math.floor(Date.now() / 1000);
      expect(
        (await callMailgun("tracking", { json: payload(delivered, sign(now - 10)) }, settings))
          .status,
      ).to.equal(200);
      for (const timestamp of [now - 301, now + 400, "soon"]) {
        const result = await callMailgun(
          "tracking",
          { json: payload(delivered, sign(timestamp)) },
          settings,
        );
        expect(result.status, String(timestamp)).to.equal(400);
        expect(result.text).to.include("stale signature");
      }
    });

    it("[MG-32] webhookRejectReplayedTokens refuses a token seen before", async () => {
      const hook = webhookApp({
        mailgun: { webhookSigningKey: SIGNING_KEY, webhookRejectReplayedTokens: true },
      });
      const call = (json: unknown) => callMailgun("tracking", { json }, {}, {}, hook);
      const body = payload(
        delivered,
        sign(undefined, "once-only-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
      );
      expect((await call(body)).status).to.equal(200);
      const again = await call(body);
      expect(again.status).to.equal(400);
      expect(again.text).to.include("token already used");
      const other = payload(
        delivered,
        sign(undefined, "another-token-ccccccccccccccccccccccccccccccccccccc"),
      );
      expect((await call(other)).status).to.equal(200);
      expect(hook.tracking).to.have.length(2);
    });

    describe("[#18.1] replay attacks over HTTP", () => {
      // a token that starts with digits: those can be moved onto the timestamp
      const TOKEN_WITH_DIGITS = "12345abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd";
      const now = () => Math.floor(Date.now() / 1000);

      /** The same signed string, split differently between timestamp and token. */
      function shifted(signature: ReturnType<typeof sign>, digits: number) {
        return {
          ...signature,
          timestamp: signature.timestamp + signature.token.slice(0, digits),
          token: signature.token.slice(digits),
        };
      }

      it("[#18.1] moving digits from the token onto the timestamp does not make a new call", async () => {
        const hook = webhookApp({
          mailgun: { webhookSigningKey: SIGNING_KEY, webhookRejectReplayedTokens: true },
        });
        const call = (json: unknown) => callMailgun("tracking", { json }, {}, {}, hook);
        const original = sign(now(), TOKEN_WITH_DIGITS);
        expect((await call(payload(delivered, original))).status).to.equal(200);
        // the HMAC is still valid for the shifted split, and a forged event-data rides along
        const forged = await call(payload({ event: "complained" }, shifted(original, 2)));
        expect(forged.status).to.equal(400);
        expect(forged.text).to.include("token already used");
        expect(hook.tracking).to.have.length(1);
      });

      it("[#18.1] a timestamp that is not all digits is refused, even without replay settings", async () => {
        const original = sign(now(), "abcdef" + TOKEN_WITH_DIGITS);
        const letters = shifted(original, 4); // timestamp "1234567890abcd"
        const result = await callMailgun("tracking", { json: payload(delivered, letters) });
        expect(result.status).to.equal(400);
        expect(result.text).to.include("unusable timestamp");
        for (const timestamp of ["-1", "1e9", " 1700000000", "1700000000.5"]) {
          const odd = await callMailgun("tracking", {
            json: payload(delivered, sign(timestamp, TOKEN_WITH_DIGITS)),
          });
          expect(odd.status, timestamp).to.equal(400);
        }
      });

      it("[#18.1] with webhookMaxSignatureAge, a shifted timestamp is far in the future and refused", async () => {
        const settings = { webhookSigningKey: SIGNING_KEY, webhookMaxSignatureAge: 300 };
        const original = sign(now(), TOKEN_WITH_DIGITS);
        const result = await callMailgun(
          "tracking",
          { json: payload(delivered, shifted(original, 2)) },
          settings,
        );
        expect(result.status).to.equal(400);
        expect(result.text).to.include("stale signature");
      });

      it("[#18.1] replayStore is pluggable: two routers sharing one store refuse a replay across them", async () => {
        const keys = new Map<string, number>();
        const shared = {
          async has(key: string) {
            return keys.has(key);
          },
          async add(key: string, ttlSeconds: number) {
            if (keys.has(key)) return false;
            keys.set(key, ttlSeconds);
            return true;
          },
        };
        const settings = {
          webhookSigningKey: SIGNING_KEY,
          webhookRejectReplayedTokens: true,
          webhookMaxSignatureAge: 300,
          replayStore: shared,
        };
        const body = payload(delivered, sign(now(), TOKEN_WITH_DIGITS));
        const first = webhookApp({ mailgun: settings });
        const second = webhookApp({ mailgun: settings });
        expect((await callMailgun("tracking", { json: body }, {}, {}, first)).status).to.equal(200);
        const replay = await callMailgun("tracking", { json: body }, {}, {}, second);
        expect(replay.status).to.equal(400);
        expect(second.tracking).to.have.length(0);
        // remembered for twice the maximum age (a timestamp may be ahead as well as behind)
        expect([...keys.values()]).to.deep.equal([600]);
      });

      it("[#18.1] the default store is per router (per process): another router accepts once", async () => {
        const settings = { webhookSigningKey: SIGNING_KEY, webhookRejectReplayedTokens: true };
        const body = payload(delivered, sign(now(), TOKEN_WITH_DIGITS));
        for (const hook of [webhookApp({ mailgun: settings }), webhookApp({ mailgun: settings })]) {
          expect((await callMailgun("tracking", { json: body }, {}, {}, hook)).status).to.equal(
            200,
          );
          expect((await callMailgun("tracking", { json: body }, {}, {}, hook)).status).to.equal(
            400,
          );
        }
      });

      it("[#18.1] a replayStore that is not a store is a configuration error naming it", () => {
        expect(() =>
          webhookApp({ mailgun: { webhookSigningKey: SIGNING_KEY, replayStore: {} as never } }),
        ).to.throw(/replayStore.*ReplayStore/);
      });
    });

    it("[MG-04] settings also come from the environment (ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY)", async () => {
      const hook = webhookApp({
        env: { ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY: "env-signing-key" },
      });
      const body = payload(delivered, sign(undefined, undefined, "env-signing-key"));
      expect((await callMailgun("tracking", { json: body }, {}, {}, hook)).status).to.equal(200);
      const bare = webhookApp({ env: { MAILGUN_API_KEY: "bare-api-key" } });
      const signed = payload(delivered, sign(undefined, undefined, "bare-api-key"));
      expect((await callMailgun("tracking", { json: signed }, {}, {}, bare)).status).to.equal(200);
    });

    it("[MG-32] verifies Mailgun's published signature vector (skipped when absent)", async function () {
      const path = ["../shared/vectors", "../../shared/vectors"]
        .map((dir) => `${dir}/mailgun/webhook-signature-mailgun-php.json`)
        .find((candidate) => existsSync(candidate));
      if (!path)
        return skipBecause(
          this,
          "the shared vectors folder (../shared/vectors) is not beside this checkout",
        );
      const vector = JSON.parse(readFileSync(path, "utf8"));
      const settings = { webhookSigningKey: vector.signing_key };
      const good = {
        timestamp: vector.timestamp,
        token: vector.token,
        signature: vector.signature,
      };
      expect(
        (await callMailgun("tracking", { json: payload(delivered, good) }, settings)).status,
      ).to.equal(200);
      const bad = { ...good, token: vector.negative_case_from_same_source.token };
      expect(
        (await callMailgun("tracking", { json: payload(delivered, bad) }, settings)).status,
      ).to.equal(400);
    });
  });
});
