// Sendinblue (Brevo) transactional webhook events → normalized tracking events, as pure
// functions. Payload shape: Brevo's transactional webhook fields (event, email, id, date,
// ts, message-id, ts_event, subject, tag/tags, sending_ip, ts_epoch, reason, link,
// X-Mailin-custom); expectations checked with the reference oracle (django-anymail 9.0).
import { expect } from "chai";
import { EVENT_TYPES, toTrackingEvent } from "../../../lib/esps/sendinblue/tracking.js";
import type { SendinblueEvent } from "../../../lib/esps/sendinblue/tracking.js";

function brevoEvent(event: string, extra: Partial<SendinblueEvent> = {}): SendinblueEvent {
  return {
    event,
    email: "recipient@example.com",
    id: 123456,
    date: "2018-03-12 10:44:29",
    ts: 1520847869,
    "message-id": "<201803121044.12345678901@smtp-relay.mailin.fr>",
    ts_event: 1520847869,
    subject: "Test subject",
    tag: "",
    sending_ip: "10.10.10.10",
    ts_epoch: 1520847869123,
    ...extra,
  };
}

describe("Sendinblue tracking events", () => {
  const cases: [string, string, string, string | null][] = [
    ["[SIB-24]", "request", "queued", null],
    ["[SIB-25] [SIB-37]", "blocked", "rejected", "blocked"],
    ["[SIB-26] [SIB-37]", "hard_bounce", "bounced", "bounced"],
    ["[SIB-26] [SIB-37]", "soft_bounce", "bounced", "bounced"],
    ["[SIB-26] [SIB-37]", "invalid_email", "bounced", "invalid"],
    ["[SIB-27]", "deferred", "deferred", null],
    ["[SIB-28]", "delivered", "delivered", null],
    ["[SIB-29]", "opened", "opened", null],
    ["[SIB-29]", "unique_opened", "opened", null],
    ["[SIB-30]", "click", "clicked", null],
    ["[SIB-31] [SIB-37]", "spam", "complained", "spam"],
    ["[SIB-32]", "unsubscribe", "unsubscribed", null],
    ["[SIB-33]", "list_addition", "subscribed", null],
    // #17 item 12: events Brevo added after the 8.1 spec (django-anymail 15.1 maps them alike)
    ["[#17-12]", "complaint", "complained", "spam"],
    ["[#17-12]", "error", "failed", null],
    ["[#17-12] Loaded by proxy (first)", "unique_proxy_open", "opened", null],
    ["[#17-12] Loaded by proxy", "proxy_open", "opened", null],
    ["", "constructor", "unknown", null],
    ["", "some_future_event", "unknown", null],
  ];
  for (const [ids, brevoType, eventType, rejectReason] of cases) {
    it(
      `${ids} ${brevoType} → ${eventType}${rejectReason ? ` (${rejectReason})` : ""}`.trim(),
      () => {
        const event = toTrackingEvent(brevoEvent(brevoType));
        expect(event.eventType).to.equal(eventType);
        expect(event.rejectReason).to.equal(rejectReason);
        expect(event.recipient).to.equal("recipient@example.com");
        expect(event.messageId).to.equal("<201803121044.12345678901@smtp-relay.mailin.fr>");
        expect(event.eventId).to.equal(null);
      },
    );
  }

  it("every row of the table is tested above", () => {
    const tested = new Set(cases.map(([, type]) => type));
    for (const type of Object.keys(EVENT_TYPES)) expect(tested, type).to.include(type);
  });

  it("the timestamp comes from ts_epoch (milliseconds, UTC), not the account-local ts/date", () => {
    const event = toTrackingEvent(brevoEvent("delivered"));
    expect(event.timestamp?.toISOString()).to.equal("2018-03-12T09:44:29.123Z");
    expect(toTrackingEvent(brevoEvent("delivered", { ts_epoch: undefined })).timestamp).to.equal(
      null,
    );
  });

  it("[SIB-26] a bounce's reason is the MTA response", () => {
    const event = toTrackingEvent(
      brevoEvent("hard_bounce", { reason: "550 5.1.1 no such mailbox" }),
    );
    expect(event.mtaResponse).to.equal("550 5.1.1 no such mailbox");
  });

  it("[SIB-30] a click carries its link", () => {
    expect(
      toTrackingEvent(brevoEvent("click", { link: "https://example.com/x" })).clickUrl,
    ).to.equal("https://example.com/x");
  });

  it("tags: the tags list when present, else the single tag, else none", () => {
    expect(
      toTrackingEvent(brevoEvent("delivered", { tags: ["a", "b"], tag: "a" })).tags,
    ).to.deep.equal(["a", "b"]);
    expect(toTrackingEvent(brevoEvent("delivered", { tag: "single" })).tags).to.deep.equal([
      "single",
    ]);
    expect(toTrackingEvent(brevoEvent("delivered")).tags).to.deep.equal([]);
  });

  it("[SIB-35] metadata is read back from X-Mailin-custom", () => {
    const event = toTrackingEvent(
      brevoEvent("delivered", { "X-Mailin-custom": '{"user_id": "12", "n": 1}' }),
    );
    expect(event.metadata).to.deep.equal({ user_id: "12", n: 1 });
  });

  it("[SIB-35] an X-Mailin-custom that is not a JSON object gives no metadata, not an error", () => {
    for (const value of ["not json", "[1,2]", "42", ""]) {
      expect(
        toTrackingEvent(brevoEvent("delivered", { "X-Mailin-custom": value })).metadata,
      ).to.deep.equal({});
    }
  });

  it("[SIB-36] espEvent is the raw event", () => {
    const raw = brevoEvent("opened");
    expect(toTrackingEvent(raw).espEvent).to.equal(raw);
  });
});
