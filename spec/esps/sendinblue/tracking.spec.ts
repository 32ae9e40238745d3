// Sendinblue (Brevo) tracking webhooks through a real Express app with anymailRouter
// mounted (supertest). Brevo posts one JSON event per call.
import { expect } from "chai";
import { webhookApp } from "../../helpers/webhooks.js";

const DELIVERED = {
  event: "delivered",
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
  tags: ["receipt"],
  "X-Mailin-custom": '{"user_id": "12"}',
};
const REQUEST = { ...DELIVERED, event: "request", ts_epoch: 1520847868000 };

describe("Sendinblue tracking webhook", () => {
  it("[SIB-23] [SIB-28] [SIB-35] [SIB-36] /sendinblue/tracking/ emits one normalized event", async () => {
    const hook = webhookApp();
    const res = await hook.post("/sendinblue/tracking/").send(DELIVERED);
    expect(res.status).to.equal(200);
    expect(hook.events).to.have.length(1);
    expect(hook.events[0].espName).to.equal("Sendinblue");
    const [event] = hook.tracking;
    expect(event.eventType).to.equal("delivered");
    expect(event.recipient).to.equal("recipient@example.com");
    expect(event.messageId).to.equal("<201803121044.12345678901@smtp-relay.mailin.fr>");
    expect(event.timestamp?.toISOString()).to.equal("2018-03-12T09:44:29.123Z");
    expect(event.tags).to.deep.equal(["receipt"]);
    expect(event.metadata).to.deep.equal({ user_id: "12" });
    expect(event.espEvent).to.deep.equal(DELIVERED);
  });

  it("[SIB-34] events out of order (delivered before its request) are each emitted as they come", async () => {
    const hook = webhookApp();
    expect((await hook.post("/sendinblue/tracking/").send(DELIVERED)).status).to.equal(200);
    expect((await hook.post("/sendinblue/tracking/").send(REQUEST)).status).to.equal(200);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["delivered", "queued"]);
    expect(hook.tracking[1].timestamp?.getTime()).to.be.lessThan(
      hook.tracking[0].timestamp?.getTime() ?? 0,
    );
  });

  it("[SIB-29] opened and unique_opened are both emitted as opened, no de-duplication", async () => {
    const hook = webhookApp();
    await hook.post("/sendinblue/tracking/").send({ ...DELIVERED, event: "unique_opened" });
    await hook.post("/sendinblue/tracking/").send({ ...DELIVERED, event: "opened" });
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["opened", "opened"]);
  });

  it("[SIB-34] a list of events is emitted in its order", async () => {
    const hook = webhookApp();
    const res = await hook.post("/sendinblue/tracking/").send([DELIVERED, REQUEST]);
    expect(res.status).to.equal(200);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["delivered", "queued"]);
  });

  it("[SIB-35] a non-JSON X-Mailin-custom gives an event without metadata, not an error", async () => {
    const hook = webhookApp();
    const res = await hook
      .post("/sendinblue/tracking/")
      .send({ ...DELIVERED, "X-Mailin-custom": "{oops" });
    expect(res.status).to.equal(200);
    expect(hook.tracking[0].metadata).to.deep.equal({});
  });

  it("[SIB-37] a blocked event is rejected with reason blocked", async () => {
    const hook = webhookApp();
    await hook
      .post("/sendinblue/tracking/")
      .send({ ...DELIVERED, event: "blocked", reason: "blocked : due to blacklist user" });
    expect(hook.tracking[0].eventType).to.equal("rejected");
    expect(hook.tracking[0].rejectReason).to.equal("blocked");
    expect(hook.tracking[0].mtaResponse).to.equal("blocked : due to blacklist user");
  });

  it("[SIB-23] /brevo/tracking/ is the same webhook", async () => {
    const hook = webhookApp();
    const res = await hook.post("/brevo/tracking/").send(DELIVERED);
    expect(res.status).to.equal(200);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["delivered"]);
    expect(hook.events[0].espName).to.equal("Sendinblue");
  });

  it("[#17-12] an inbound payload posted to the tracking URL is a 400 that says which URL to use", async () => {
    const hook = webhookApp();
    const res = await hook.post("/brevo/tracking/").send({ items: [{ Uuid: ["u"] }] });
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/\*inbound\* webhook to Anymail's \*tracking\* URL/);
    expect(hook.events).to.have.length(0);
  });

  for (const [title, send] of [
    [
      "a body that is not JSON",
      (hook: ReturnType<typeof webhookApp>) =>
        hook.post("/sendinblue/tracking/").type("text").send("{nope"),
    ],
    [
      "a JSON string",
      (hook: ReturnType<typeof webhookApp>) =>
        hook.post("/sendinblue/tracking/").type("json").send('"delivered"'),
    ],
    [
      "a list with a non-object",
      (hook: ReturnType<typeof webhookApp>) =>
        hook.post("/sendinblue/tracking/").send([DELIVERED, 1]),
    ],
    [
      "a form post",
      (hook: ReturnType<typeof webhookApp>) =>
        hook.post("/sendinblue/tracking/").type("form").send({ event: "delivered" }),
    ],
  ] as const) {
    it(`${title} is a 400, and nothing is emitted`, async () => {
      const hook = webhookApp();
      const res = await send(hook);
      expect(res.status).to.equal(400);
      expect(hook.events).to.have.length(0);
    });
  }
});
