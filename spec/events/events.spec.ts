import { expect } from "chai";
import { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import { AnymailInboundEvent } from "../../lib/events/inbound.js";
import { AnymailInboundMessage } from "../../lib/events/inbound-message.js";
import * as anymail from "../../lib/index.js";

describe("Webhook events", () => {
  it("[HOOK-26] [HOOK-27] [HOOK-31] [HOOK-32] a tracking event defaults metadata to {}, tags to [], the rest to null", () => {
    const espEvent = { event: "something-new" };
    const event = new AnymailTrackingEvent({ eventType: "unknown", espEvent });
    expect(event).to.deep.include({
      eventType: "unknown",
      timestamp: null,
      eventId: null,
      recipient: null,
      messageId: null,
      metadata: {},
      tags: [],
      rejectReason: null,
      description: null,
      mtaResponse: null,
      userAgent: null,
      clickUrl: null,
    });
    expect(event.espEvent).to.equal(espEvent);
  });

  it("[HOOK-29] [HOOK-30] [HOOK-33] [HOOK-34] [HOOK-35] [HOOK-36] [HOOK-37] [HOOK-38] [HOOK-39] keeps every field given", () => {
    const timestamp = new Date("2026-11-23T10:00:00Z");
    const event = new AnymailTrackingEvent({
      eventType: "bounced",
      timestamp,
      eventId: "ev-1",
      recipient: "to@example.com",
      messageId: "msg-1",
      metadata: { order: 7 },
      tags: ["welcome"],
      rejectReason: "bounced",
      description: "Mailbox does not exist",
      mtaResponse: "550 5.1.1 No such user",
      userAgent: null,
      clickUrl: null,
      espEvent: { raw: true },
    });
    expect(event.timestamp?.toISOString()).to.equal("2026-11-23T10:00:00.000Z");
    expect(event).to.deep.include({
      eventId: "ev-1",
      recipient: "to@example.com",
      messageId: "msg-1",
      metadata: { order: 7 },
      tags: ["welcome"],
      rejectReason: "bounced",
      description: "Mailbox does not exist",
      mtaResponse: "550 5.1.1 No such user",
      espEvent: { raw: true },
    });
    const click = new AnymailTrackingEvent({
      eventType: "clicked",
      userAgent: "Mozilla/5.0",
      clickUrl: "https://example.com/a",
      espEvent: {},
    });
    expect(click).to.include({ userAgent: "Mozilla/5.0", clickUrl: "https://example.com/a" });
  });

  it("[HOOK-41] an inbound event is always 'inbound', with message and espEvent", async () => {
    const message = await AnymailInboundMessage.fromRaw("Subject: hi\r\n\r\nbody");
    const event = new AnymailInboundEvent({ message, espEvent: { fields: 1 } });
    expect(event).to.include({ eventType: "inbound", timestamp: null, eventId: null, message });
    expect(event.espEvent).to.deep.equal({ fields: 1 });
    const stamped = new AnymailInboundEvent({
      message,
      espEvent: null,
      timestamp: new Date(0),
      eventId: "in-1",
    });
    expect(stamped.timestamp?.getTime()).to.equal(0);
    expect(stamped.eventId).to.equal("in-1");
  });

  it("exports the receiving API from the package entry", () => {
    for (const name of [
      "anymailRouter",
      "AnymailEmitter",
      "AnymailTrackingEvent",
      "AnymailInboundEvent",
      "AnymailInboundMessage",
      "EmailAddress",
    ] as const) {
      expect(anymail[name], name).to.be.a("function");
    }
  });
});
