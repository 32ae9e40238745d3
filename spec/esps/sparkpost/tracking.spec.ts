// SparkPost tracking webhook. Payloads follow SparkPost's documented event shapes (see
// ../shared/vectors/sparkpost/webhook-sample-batch.json, SparkPost's own sample batch);
// expectations were checked against the reference oracle (django-anymail 9.0).
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { AnymailTrackingEvent } from "../../../lib/events/tracking.js";
import { BOUNCE_CLASSES, EVENT_TYPES } from "../../../lib/esps/sparkpost/tracking.js";
import { callWebhook } from "./webhook-helper.js";
import { itIf } from "../../helpers/skip.js";

/** A message_event as SparkPost posts it, trimmed to the fields Anymail reads. */
function messageEvent(
  fields: Record<string, unknown>,
  eventClass = "message_event",
): Record<string, unknown> {
  return {
    msys: {
      [eventClass]: {
        type: "delivery",
        campaign_id: "Example Campaign Name",
        event_id: "92356927693813856",
        message_id: "000443ee14578172be22",
        rcpt_meta: { customKey: "customValue" },
        rcpt_tags: ["male", "US"],
        rcpt_to: "recipient@example.com",
        raw_rcpt_to: "Recipient@Example.com",
        timestamp: "1454442600",
        transmission_id: "65832150921904138",
        ...fields,
      },
    },
  };
}

async function trackOne(
  fields: Record<string, unknown>,
  settings: Record<string, unknown> = {},
  eventClass = "message_event",
): Promise<AnymailTrackingEvent> {
  const { status, events } = await callWebhook("tracking", [messageEvent(fields, eventClass)], {
    settings,
  });
  expect(status).to.equal(200);
  expect(events).to.have.length(1);
  return events[0] as AnymailTrackingEvent;
}

describe("SparkPost tracking webhook", () => {
  it("[SP-09][SP-21][SP-22] normalizes a batch: one event per SparkPost event, espEvent the wrapped raw event", async () => {
    const raw = [
      messageEvent({ type: "injection" }),
      messageEvent(
        {
          type: "click",
          target_link_url: "https://example.com/offer",
          user_agent: "Mozilla/5.0 (Macintosh)",
        },
        "track_event",
      ),
    ];
    const { status, events, espNames } = await callWebhook("tracking", raw);
    expect(status).to.equal(200);
    expect(espNames).to.deep.equal(["SparkPost", "SparkPost"]);
    expect(events.map((e) => e.espEvent)).to.deep.equal(raw);
    const [queued, clicked] = events as AnymailTrackingEvent[];
    expect(queued).to.be.instanceOf(AnymailTrackingEvent);
    expect(queued).to.deep.include({
      eventType: "queued",
      messageId: "65832150921904138", // transmission_id, not message_id
      eventId: "92356927693813856",
      recipient: "Recipient@Example.com", // raw_rcpt_to keeps the case
      metadata: { customKey: "customValue" },
      tags: ["Example Campaign Name"], // campaign_id, not rcpt_tags
      rejectReason: null,
      mtaResponse: null,
      description: null,
    });
    expect(queued.timestamp?.toISOString()).to.equal("2016-02-02T19:50:00.000Z");
    expect(clicked).to.deep.include({
      eventType: "clicked",
      clickUrl: "https://example.com/offer",
      userAgent: "Mozilla/5.0 (Macintosh)",
    });
  });

  it("an empty msys is a ping: 200, no event", async () => {
    const { status, events } = await callWebhook("tracking", [{ msys: {} }]);
    expect(status).to.equal(200);
    expect(events).to.deep.equal([]);
  });

  it("[SP-23] injection → queued", async () => {
    expect((await trackOne({ type: "injection" })).eventType).to.equal("queued");
  });

  it("[SP-24] policy_rejection and generation_rejection → rejected, with the bounce class's reason", async () => {
    const policy = await trackOne({
      type: "policy_rejection",
      bounce_class: "25",
      raw_reason: "550 5.7.1 [internal] recipient blackholed",
    });
    expect(policy).to.deep.include({
      eventType: "rejected",
      rejectReason: "blocked",
      mtaResponse: "550 5.7.1 [internal] recipient blackholed",
    });
    const generation = await trackOne({ type: "generation_rejection" }, {}, "gen_event");
    expect(generation).to.deep.include({ eventType: "rejected", rejectReason: null });
  });

  it("generation_failure → failed", async () => {
    expect((await trackOne({ type: "generation_failure" }, {}, "gen_event")).eventType).to.equal(
      "failed",
    );
  });

  it("[SP-25] bounce and out_of_band → bounced", async () => {
    const bounce = await trackOne({
      type: "bounce",
      bounce_class: "10",
      raw_reason: "550 5.1.1 user unknown",
    });
    expect(bounce).to.deep.include({
      eventType: "bounced",
      rejectReason: "invalid",
      mtaResponse: "550 5.1.1 user unknown",
    });
    const outOfBand = await trackOne({ type: "out_of_band", bounce_class: "1" });
    expect(outOfBand).to.deep.include({ eventType: "bounced", rejectReason: "other" });
  });

  it("[SP-26] delay → deferred", async () => {
    const delay = await trackOne({ type: "delay", bounce_class: "21" });
    expect(delay).to.deep.include({ eventType: "deferred", rejectReason: "bounced" });
  });

  it("[SP-27] delivery → delivered", async () => {
    expect((await trackOne({ type: "delivery" })).eventType).to.equal("delivered");
  });

  it("[SP-28] open → opened, whatever trackInitialOpenAsOpened says", async () => {
    for (const settings of [{}, { trackInitialOpenAsOpened: true }]) {
      expect((await trackOne({ type: "open" }, settings, "track_event")).eventType).to.equal(
        "opened",
      );
    }
  });

  it("[SP-29] click → clicked", async () => {
    expect((await trackOne({ type: "click" }, {}, "track_event")).eventType).to.equal("clicked");
  });

  it("[SP-30] spam_complaint → complained", async () => {
    expect((await trackOne({ type: "spam_complaint" })).eventType).to.equal("complained");
  });

  it("[SP-31] list_unsubscribe and link_unsubscribe → unsubscribed", async () => {
    for (const type of ["list_unsubscribe", "link_unsubscribe"]) {
      const event = await trackOne({ type }, {}, "unsubscribe_event");
      expect(event.eventType).to.equal("unsubscribed");
    }
  });

  it("[SP-32] a bounce classified as Subscribe (80) → subscribed", async () => {
    const event = await trackOne({ type: "bounce", bounce_class: "80" });
    expect(event).to.deep.include({ eventType: "subscribed", rejectReason: "other" });
  });

  it("[SP-05][SP-33] initial_open → unknown by default", async () => {
    for (const type of ["initial_open", "amp_initial_open"]) {
      expect((await trackOne({ type }, {}, "track_event")).eventType).to.equal("unknown");
    }
  });

  it("[SP-34] with trackInitialOpenAsOpened, initial_open → opened", async () => {
    const event = await trackOne(
      { type: "initial_open" },
      { trackInitialOpenAsOpened: true },
      "track_event",
    );
    expect(event.eventType).to.equal("opened");
  });

  it("[SP-34] trackInitialOpenAsOpened also comes from ANYMAIL_SPARKPOST_TRACK_INITIAL_OPEN_AS_OPENED", async () => {
    const { events } = await callWebhook(
      "tracking",
      [messageEvent({ type: "initial_open" }, "track_event")],
      { env: { ANYMAIL_SPARKPOST_TRACK_INITIAL_OPEN_AS_OPENED: "true" } },
    );
    expect((events[0] as AnymailTrackingEvent).eventType).to.equal("opened");
  });

  it("[SP-35] amp_open → opened and amp_click → clicked", async () => {
    expect((await trackOne({ type: "amp_open" }, {}, "track_event")).eventType).to.equal("opened");
    expect((await trackOne({ type: "amp_click" }, {}, "track_event")).eventType).to.equal(
      "clicked",
    );
  });

  it("[SP-36] amp_initial_open → opened only with trackInitialOpenAsOpened", async () => {
    const settings = { trackInitialOpenAsOpened: true };
    expect(
      (await trackOne({ type: "amp_initial_open" }, settings, "track_event")).eventType,
    ).to.equal("opened");
    expect((await trackOne({ type: "amp_initial_open" }, {}, "track_event")).eventType).to.equal(
      "unknown",
    );
  });

  it("every EVENT_TYPES row maps as the table says", async () => {
    for (const [type, expected] of Object.entries(EVENT_TYPES)) {
      expect((await trackOne({ type })).eventType, type).to.equal(expected);
    }
  });

  it("[SP-37] every bounce class maps to its reject reason (oracle 9.0 table)", async () => {
    const expected: Record<string, [string, string]> = {
      "1": ["other", "bounced"],
      "10": ["invalid", "bounced"],
      "20": ["bounced", "bounced"],
      "21": ["bounced", "bounced"],
      "22": ["bounced", "bounced"],
      "23": ["bounced", "bounced"],
      "24": ["timed_out", "bounced"],
      "25": ["blocked", "bounced"],
      "30": ["bounced", "bounced"],
      "40": ["bounced", "bounced"],
      "50": ["blocked", "bounced"],
      "51": ["spam", "bounced"],
      "52": ["spam", "bounced"],
      "53": ["other", "bounced"],
      "54": ["blocked", "bounced"],
      "60": ["other", "autoresponded"],
      "70": ["bounced", "bounced"],
      "80": ["other", "subscribed"],
      "90": ["unsubscribed", "unsubscribed"],
      "100": ["other", "autoresponded"],
      "999": ["other", "bounced"], // unlisted
    };
    expect(Object.keys(BOUNCE_CLASSES)).to.have.members(
      Object.keys(expected).filter((c) => c !== "999"),
    );
    for (const [bounceClass, [reason, eventType]] of Object.entries(expected)) {
      const event = await trackOne({ type: "bounce", bounce_class: bounceClass });
      expect([event.rejectReason, event.eventType], bounceClass).to.deep.equal([reason, eventType]);
    }
    // a numeric bounce_class works too
    expect((await trackOne({ type: "bounce", bounce_class: 51 })).rejectReason).to.equal("spam");
  });

  it("tags are always a list: [] without a campaign", async () => {
    expect((await trackOne({ campaign_id: "" })).tags).to.deep.equal([]);
    expect((await trackOne({ campaign_id: undefined })).tags).to.deep.equal([]);
  });

  it("missing or odd optional fields give nulls, an unknown type gives unknown", async () => {
    const event = await trackOne({
      type: "sms_status",
      timestamp: "not a time",
      raw_rcpt_to: undefined,
      rcpt_to: undefined,
      rcpt_meta: ["not", "an", "object"],
      transmission_id: 12345,
    });
    expect(event).to.deep.include({
      eventType: "unknown",
      timestamp: null,
      recipient: null,
      metadata: {},
      messageId: "12345",
    });
    // rcpt_to stands in when raw_rcpt_to is absent
    expect((await trackOne({ raw_rcpt_to: undefined })).recipient).to.equal(
      "recipient@example.com",
    );
    expect((await trackOne({ timestamp: "1e20" })).timestamp).to.equal(null); // out of Date's range
    const noType = await trackOne({ type: undefined, timestamp: undefined });
    expect(noType).to.deep.include({ eventType: "unknown", timestamp: null });
  });

  it("a relay (inbound) message posted to the tracking URL → 400 explaining the mix-up", async () => {
    const { status, error, events } = await callWebhook("tracking", [
      messageEvent({ type: "delivery" }),
      { msys: { relay_message: { msg_from: "a@example.com", content: {} } } },
    ]);
    expect(status).to.equal(400);
    expect(events).to.deep.equal([]);
    expect(error)
      .to.match(/inbound/)
      .and.match(/\/sparkpost\/inbound\//);
  });

  it("malformed bodies → 400", async () => {
    for (const body of [
      { msys: {} },
      "just text",
      [{ notmsys: {} }],
      [{ msys: [] }],
      [{ msys: { message_event: {}, track_event: {} } }],
      [{ msys: { message_event: "x" } }],
      [null],
    ]) {
      const { status } = await callWebhook("tracking", body);
      expect(status, JSON.stringify(body)).to.equal(400);
    }
  });

  // the vectors sit beside the repository (../shared); a worktree is one level deeper
  const SAMPLE = ["../shared", "../../shared"]
    .map((root) => `${root}/vectors/sparkpost/webhook-sample-batch.json`)
    .find((path) => existsSync(path));
  itIf(SAMPLE, "the shared vectors folder (../shared/vectors) is not beside this checkout")(
    "[SP-22] SparkPost's own sample batch gives the oracle's events",
    async () => {
      const batch = JSON.parse(readFileSync(SAMPLE ?? "", "utf8")) as unknown[];
      const { status, events } = await callWebhook("tracking", batch);
      expect(status).to.equal(200);
      // from anymail_ref.py on the same batch (relay events are not tracking events: unknown)
      expect(
        (events as AnymailTrackingEvent[]).map((e) => [e.eventType, e.rejectReason, e.messageId]),
      ).to.deep.equal([
        ["bounced", "other", "65832150921904138"],
        ["delivered", null, "65832150921904138"],
        ["queued", null, "65832150921904138"],
        ["unknown", null, null],
        ["complained", null, "65832150921904138"],
        ["bounced", "other", "65832150921904138"],
        ["rejected", "blocked", "65832150921904138"],
        ["deferred", "other", "65832150921904138"],
        ["clicked", null, "65832150921904138"],
        ["opened", null, "65832150921904138"],
        ["failed", null, "65832150921904138"],
        ["rejected", "blocked", "65832150921904138"],
        ["unsubscribed", null, "65832150921904138"],
        ["unsubscribed", null, "65832150921904138"],
        ["unknown", null, null],
        ["unknown", "blocked", null],
        ["unknown", null, null],
        ["unknown", null, null],
        ["unknown", null, null],
      ]);
    },
  );
});

// [SP-21] SparkPost's webhook "Basic Auth" option carries the webhook secret's two halves
