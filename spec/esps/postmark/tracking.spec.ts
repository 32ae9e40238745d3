// Postmark tracking webhook through a real Express app with anymailRouter mounted.
// Expected values were checked against django-anymail 9.0 (the oracle) case by case.
import { expect } from "chai";
import { BOUNCE_TYPES } from "../../../lib/esps/postmark/tracking.js";
import type { AnymailTrackingEvent } from "../../../lib/events/tracking.js";
import { webhookApp } from "../../helpers/webhooks.js";
import { CLICK, DELIVERY, OPEN, SPAM_COMPLAINT, bounce, subscriptionChange } from "./payloads.js";

async function track(payload: unknown, contentType = "application/json") {
  const hook = webhookApp();
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const res = await hook.post("/postmark/tracking/").set("Content-Type", contentType).send(body);
  return { res, hook, events: hook.tracking };
}

async function trackOne(payload: unknown): Promise<AnymailTrackingEvent> {
  const { res, events } = await track(payload);
  expect(res.status, res.text).to.equal(200);
  expect(events).to.have.length(1);
  return events[0];
}

// Postmark bounce Type (with its TypeCode) → [eventType, rejectReason]
const EXPECTED_BOUNCES: [string, number, string, string | null][] = [
  ["HardBounce", 1, "bounced", "bounced"],
  ["Transient", 2, "deferred", null],
  ["Unsubscribe", 16, "unsubscribed", "unsubscribed"],
  ["Subscribe", 32, "subscribed", null],
  ["AutoResponder", 64, "autoresponded", null],
  ["AddressChange", 128, "autoresponded", null],
  ["DnsError", 256, "deferred", null],
  ["SpamNotification", 512, "complained", "spam"],
  ["OpenRelayTest", 1024, "deferred", null],
  ["Unknown", 2048, "unknown", null],
  ["SoftBounce", 4096, "bounced", "bounced"],
  ["VirusNotification", 8192, "bounced", "other"],
  ["ChallengeVerification", 16384, "autoresponded", null],
  ["BadEmailAddress", 100000, "rejected", "invalid"],
  ["SpamComplaint", 100001, "complained", "spam"],
  ["ManuallyDeactivated", 100002, "rejected", "blocked"],
  ["Unconfirmed", 100003, "rejected", null],
  ["Blocked", 100006, "rejected", "blocked"],
  ["SMTPApiError", 100007, "failed", null],
  ["InboundError", 100008, "inbound_failed", null],
  ["DMARCPolicy", 100009, "rejected", "blocked"],
  ["TemplateRenderingFailed", 100010, "failed", null],
];

describe("Postmark tracking webhook", () => {
  it("[PM-24][PM-30][PM-38] a Delivery record → delivered, with every field", async () => {
    const event = await trackOne(DELIVERY);
    expect(event).to.include({
      eventType: "delivered",
      recipient: "john@example.com",
      messageId: "883953f4-6105-42a2-a16a-77a8eac79483",
      eventId: null,
      mtaResponse: DELIVERY.Details,
      rejectReason: null,
    });
    expect(event.timestamp?.toISOString()).to.equal("2021-02-21T16:34:52.000Z");
    expect(event.metadata).to.deep.equal({ a_key: "a_value", b_key: "b_value" });
    expect(event.tags).to.deep.equal(["welcome-email"]);
    expect(event.espEvent).to.deep.equal(DELIVERY);
  });

  it("[PM-25][PM-28][PM-39][PM-41] a HardBounce → bounced, reason bounced, with bounce details", async () => {
    const payload = bounce("HardBounce");
    const event = await trackOne(payload);
    expect(event).to.include({
      eventType: "bounced",
      rejectReason: "bounced",
      eventId: "692560173",
      recipient: "john@example.com",
      description: payload.Description,
      mtaResponse: payload.Details,
    });
    expect(event.timestamp?.toISOString()).to.equal("2019-11-05T16:33:54.907Z");
    expect(event.tags).to.deep.equal(["Invitation"]);
    expect(event.espEvent).to.deep.equal(payload);
  });

  describe("Postmark tracking webhook: every bounce type", () => {
    for (const [type, code, eventType, rejectReason] of EXPECTED_BOUNCES) {
      const ids = {
        bounced: "[PM-28][PM-41]",
        deferred: "[PM-29]",
        rejected: "[PM-26][PM-41]",
        failed: "[PM-27]",
        autoresponded: "[PM-31]",
        unsubscribed: "[PM-35]",
        subscribed: "[PM-36]",
      }[eventType];
      it(`${ids ?? ""} bounce Type ${type} → ${eventType} (${rejectReason})`, async () => {
        const event = await trackOne(bounce(type, code));
        expect([event.eventType, event.rejectReason]).to.deep.equal([eventType, rejectReason]);
      });
    }

    it("the table has one row per Postmark bounce type tested here, plus ManualSuppression", () => {
      expect(Object.keys(BOUNCE_TYPES).sort()).to.deep.equal(
        [...EXPECTED_BOUNCES.map(([type]) => type), "ManualSuppression"].sort(),
      );
    });

    it("an unknown bounce Type stays bounced, without a reason", async () => {
      const event = await trackOne(bounce("SomethingNew", 999999));
      expect([event.eventType, event.rejectReason]).to.deep.equal(["bounced", null]);
    });
  });

  it("[PM-34] a SpamComplaint → complained, reason spam", async () => {
    const event = await trackOne(SPAM_COMPLAINT);
    expect(event).to.include({ eventType: "complained", rejectReason: "spam", eventId: "42" });
    expect(event.mtaResponse).to.equal("Test spam complaint details");
  });

  it("[PM-32][PM-40] an Open → opened with the user agent (FirstOpen false too)", async () => {
    for (const firstOpen of [true, false]) {
      const event = await trackOne({ ...OPEN, FirstOpen: firstOpen });
      expect(event).to.include({
        eventType: "opened",
        recipient: "john@example.com",
        userAgent: OPEN.UserAgent,
        clickUrl: null,
      });
      expect(event.timestamp?.toISOString()).to.equal("2019-11-05T16:33:54.907Z");
      expect(event.metadata).to.deep.equal({ example: "value" });
    }
  });

  it("[PM-33] a Click → clicked with the url and user agent", async () => {
    const event = await trackOne(CLICK);
    expect(event).to.include({
      eventType: "clicked",
      clickUrl: "https://example.com/landing?utm_source=email",
      userAgent: CLICK.UserAgent,
      recipient: "john@example.com",
    });
    expect(event.timestamp?.toISOString()).to.equal("2017-10-25T15:21:11.906Z");
  });

  describe("Postmark tracking webhook: SubscriptionChange", () => {
    const cases: [boolean, string | null, string, string | null][] = [
      [true, "HardBounce", "bounced", "bounced"],
      [true, "SpamComplaint", "complained", "spam"],
      [true, "ManualSuppression", "unsubscribed", "unsubscribed"],
      [true, null, "unsubscribed", null],
      [false, null, "subscribed", null],
    ];
    for (const [suppress, reason, eventType, rejectReason] of cases) {
      it(`[PM-35][PM-36] SuppressSending ${suppress}, reason ${reason} → ${eventType}`, async () => {
        const event = await trackOne(subscriptionChange(suppress, reason));
        expect([event.eventType, event.rejectReason]).to.deep.equal([eventType, rejectReason]);
        expect(event.recipient).to.equal("bounced-address@wildbit.com");
        expect(event.timestamp?.toISOString()).to.equal("2020-02-01T10:53:34.416Z");
        expect(event.tags).to.deep.equal(["my-tag"]);
      });
    }
  });

  it("a RecordType that is not a string → unknown, never a crash", async () => {
    const event = await trackOne({ ...DELIVERY, RecordType: { nested: true } });
    expect(event.eventType).to.equal("unknown");
  });

  it("[PM-37] no Postmark record becomes 'sent'; an unknown RecordType → unknown", async () => {
    const event = await trackOne({ RecordType: "Processed", MessageID: "x", Recipient: "a@b.c" });
    expect(event.eventType).to.equal("unknown");
    expect(event.recipient).to.equal("a@b.c");
  });

  it("keeps a Bounce ID beyond 2^53 exact (Postmark's docs example)", async () => {
    const body = JSON.stringify(bounce("HardBounce")).replace(
      '"ID":692560173',
      '"ID":4323372036854775807',
    );
    const event = await trackOne(body);
    expect(event.eventId).to.equal("4323372036854775807");
  });

  it("an untagged message (Tag '') has no tags; missing Metadata is {}", async () => {
    const { Metadata: _metadata, ...rest } = DELIVERY;
    const event = await trackOne({ ...rest, Tag: "" });
    expect(event.tags).to.deep.equal([]);
    expect(event.metadata).to.deep.equal({});
  });

  it("a timestamp with an offset is converted; one without is UTC", async () => {
    const offset = await trackOne({ ...CLICK, ReceivedAt: "2014-08-01T13:28:10.2735393-04:00" });
    expect(offset.timestamp?.toISOString()).to.equal("2014-08-01T17:28:10.273Z");
    const naive = await trackOne({ ...CLICK, ReceivedAt: "2014-08-01T13:28:10.2735393" });
    expect(naive.timestamp?.toISOString()).to.equal("2014-08-01T13:28:10.273Z");
  });

  it("a bad timestamp becomes null, never an Invalid Date", async () => {
    const event = await trackOne({ ...DELIVERY, DeliveredAt: "not a date" });
    expect(event.timestamp).to.equal(null);
  });

  describe("Postmark tracking webhook: bad input → 400", () => {
    for (const [what, body] of [
      ["not JSON", "{not json"],
      ["a JSON array", "[]"],
      ["a JSON string", '"Delivery"'],
    ] as const) {
      it(`answers 400 to ${what}, emitting nothing`, async () => {
        const { res, events } = await track(body);
        expect(res.status).to.equal(400);
        expect(events).to.have.length(0);
      });
    }

    it("answers 400 with an explanation when an inbound message is posted here", async () => {
      const { res, events } = await track({
        FromFull: { Email: "from@example.com", Name: "" },
        Subject: "Hi",
        MessageID: "x",
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.match(/inbound/i);
      expect(events).to.have.length(0);
    });
  });
});
