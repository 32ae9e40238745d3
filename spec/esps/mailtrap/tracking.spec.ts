// Mailtrap tracking webhooks through the router (supertest). Mailtrap does not sign its
// webhooks: basic auth protects them. Expectations checked against django-anymail 15.1.
import { expect } from "chai";
import { describeWebhookBasicAuth, webhookApp } from "../../helpers/webhooks.js";

/** Events as Mailtrap's webhook docs show them. */
const event = (type: string, extra: Record<string, unknown> = {}) => ({
  event: type,
  message_id: "1df37d17-0286-4d8b-8edf-bc4ec5be86e6",
  sending_stream: "transactional",
  email: "receiver@example.com",
  timestamp: 1726358034,
  event_id: `${type}-bede7236-2284-43d6-a953-1fdcafd0fdbc`,
  category: "Password reset",
  custom_variables: { user_id: "123", flag: true },
  ...extra,
});

describe("Mailtrap tracking webhook", () => {
  it("maps a batch of events, in order, with their details", async () => {
    const hook = webhookApp();
    const events = [
      event("delivery"),
      event("bounce", {
        response: "550 5.1.1 <receiver@example.com> User unknown",
        response_code: 550,
        bounce_category: "bad_mailbox",
        reason: "Mailbox does not exist",
      }),
      event("click", { url: "https://example.com/x", user_agent: "Mozilla/5.0", ip: "1.2.3.4" }),
    ];
    await hook.post("/mailtrap/tracking/").send({ events }).expect(200);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal([
      "delivered",
      "bounced",
      "clicked",
    ]);
    const [delivered, bounced, clicked] = hook.tracking;
    expect(delivered).to.include({
      messageId: "1df37d17-0286-4d8b-8edf-bc4ec5be86e6",
      recipient: "receiver@example.com",
      eventId: "delivery-bede7236-2284-43d6-a953-1fdcafd0fdbc",
      rejectReason: null,
    });
    expect(delivered.timestamp?.toISOString()).to.equal("2024-09-14T23:53:54.000Z");
    expect(delivered.tags).to.deep.equal(["Password reset"]);
    expect(delivered.metadata).to.deep.equal({ user_id: "123", flag: true });
    expect(bounced).to.include({
      rejectReason: "bounced",
      mtaResponse: "550 5.1.1 <receiver@example.com> User unknown",
      description: "Mailbox does not exist",
    });
    expect(clicked).to.include({ clickUrl: "https://example.com/x", userAgent: "Mozilla/5.0" });
    expect(hook.tracking[2].espEvent).to.deep.equal(events[2]);
  });

  it("maps every Mailtrap event type and its reject reason", async () => {
    const expected: Record<string, [string, string | null]> = {
      delivery: ["delivered", null],
      open: ["opened", null],
      click: ["clicked", null],
      bounce: ["bounced", "bounced"],
      "soft bounce": ["deferred", "other"],
      suspension: ["deferred", "other"],
      spam: ["complained", "spam"],
      unsubscribe: ["unsubscribed", "unsubscribed"],
      reject: ["rejected", "blocked"],
      "something new": ["unknown", null],
    };
    // a payload's "constructor" must not reach Object.prototype
    expected["constructor"] = ["unknown", null];
    const hook = webhookApp();
    const types = Object.keys(expected);
    await hook
      .post("/mailtrap/tracking/")
      .send({ events: types.map((t) => event(t)) })
      .expect(200);
    hook.tracking.forEach((e, i) => {
      expect([e.eventType, e.rejectReason], types[i]).to.deep.equal(expected[types[i]]);
    });
  });

  it("an empty events list emits nothing; a body without one is refused (400)", async () => {
    const hook = webhookApp();
    await hook.post("/mailtrap/tracking/").send({ events: [] }).expect(200);
    await hook.post("/mailtrap/tracking/").send({ event: "delivery" }).expect(400);
    await hook
      .post("/mailtrap/tracking/")
      .send({ events: [1] })
      .expect(400);
    expect(hook.events).to.have.length(0);
  });

  it("has no inbound route", async () => {
    const res = await webhookApp().post("/mailtrap/inbound/").send({});
    expect(res.status).to.equal(404);
  });

  describeWebhookBasicAuth("Mailtrap tracking", (hook) =>
    hook.post("/mailtrap/tracking/").send({ events: [event("delivery")] }),
  );
});
