import { expect } from "chai";
import { AnymailEmitter } from "../../lib/events/emitter.js";
import { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import { webhookApp } from "../helpers/webhooks.js";
import { Sender } from "../../lib/sender/sender.js";
import type { NormalizedMessage } from "../../lib/sender/message.js";
import type { EspAdapter, WebhookRequest } from "../../lib/esps/types.js";
import { fakeEsp } from "./fake-esp.js";

const esps = [fakeEsp];
const BATCH = [
  { type: "queued", id: "e1" },
  { type: "delivered", id: "e2" },
  { type: "bounced", id: "e3" },
];
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Webhook router: dispatch", () => {
  it("[HOOK-18] [HOOK-25] gives tracking listeners (event, espName) with the display name", async () => {
    const hook = webhookApp({ esps });
    const calls: unknown[][] = [];
    hook.emitter.on("tracking", (...args) => void calls.push(args));
    await hook.post("/fake/tracking/").send(BATCH.slice(0, 1)).expect(200);
    expect(calls).to.have.length(1);
    expect(calls[0][0]).to.be.instanceOf(AnymailTrackingEvent);
    expect(calls[0][1]).to.equal("Fake ESP");
  });

  it("[HOOK-19] [HOOK-20] [HOOK-21] runs every listener once per event, in batch order", async () => {
    const hook = webhookApp({ esps });
    const order: string[] = [];
    hook.emitter.on("tracking", async (event) => {
      await delay(event.eventId === "e1" ? 30 : 1);
      order.push(`A:${event.eventId}`);
    });
    hook.emitter.on("tracking", (event) => void order.push(`B:${event.eventId}`));
    await hook.post("/fake/tracking/").send(BATCH).expect(200);
    expect(order).to.deep.equal(["A:e1", "B:e1", "A:e2", "B:e2", "A:e3", "B:e3"]);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["queued", "delivered", "bounced"]);
  });

  it("[HOOK-22] answers 200 only after every async listener finished", async () => {
    const hook = webhookApp({ esps });
    let finished = 0;
    hook.emitter.on("tracking", async () => {
      await delay(20);
      finished++;
    });
    const res = await hook.post("/fake/tracking/").send(BATCH);
    expect(res.status).to.equal(200);
    expect(finished).to.equal(3);
  });

  it("[HOOK-23] a listener that throws stops the batch; the answer is 400 and it is logged", async () => {
    const hook = webhookApp({ esps });
    const handled: string[] = [];
    hook.emitter.on("tracking", (event) => {
      if (event.eventId === "e2") throw new Error("cannot store e2");
      handled.push(event.eventId ?? "");
    });
    const later: string[] = [];
    hook.emitter.on("tracking", (event) => void later.push(event.eventId ?? ""));
    const res = await hook.post("/fake/tracking/").send(BATCH);
    expect(res.status).to.equal(400);
    expect(handled).to.deep.equal(["e1"]);
    expect(later).to.deep.equal(["e1"]);
    expect(hook.logs.error.join()).to.match(/listener failed.*cannot store e2/s);
  });

  it("[HOOK-23] a rejecting async listener counts as a throw", async () => {
    const hook = webhookApp({ esps });
    hook.emitter.on("tracking", async (event) => {
      await delay(5);
      if (event.eventId === "e1") throw new Error("later");
    });
    expect((await hook.post("/fake/tracking/").send(BATCH)).status).to.equal(400);
    expect(hook.tracking).to.have.length(1);
  });

  it("[HOOK-24] [HOOK-40] inbound listeners get (event, espName); a throw answers 400", async () => {
    const hook = webhookApp({ esps });
    const mime = "From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n";
    await hook.post("/fake/inbound/").set("Content-Type", "message/rfc822").send(mime).expect(200);
    expect(hook.inbound).to.have.length(1);
    expect(hook.events[0]).to.include({ channel: "inbound", espName: "Fake ESP" });
    hook.emitter.on("inbound", () => {
      throw new Error("no");
    });
    const res = await hook.post("/fake/inbound/").set("Content-Type", "message/rfc822").send(mime);
    expect(res.status).to.equal(400);
  });

  it("runs `once` listeners once, awaiting them too", async () => {
    const emitter = new AnymailEmitter();
    const seen: string[] = [];
    emitter.once("tracking", async (event) => {
      await delay(5);
      seen.push(`once:${event.eventId}`);
    });
    emitter.on("tracking", (event) => void seen.push(`on:${event.eventId}`));
    const event = (id: string) =>
      new AnymailTrackingEvent({ eventType: "sent", eventId: id, espEvent: {} });
    await emitter.dispatch("tracking", event("1"), "X");
    await emitter.dispatch("tracking", event("2"), "X");
    expect(seen).to.deep.equal(["once:1", "on:1", "on:2"]);
  });
});

describe("Webhook router: send → track round trip", () => {
  it("[HOOK-28] a tracking event's messageId matches the send's anymailStatus.messageId", async () => {
    const roundTripEsp = {
      ...fakeEsp,
      name: "roundtrip",
      displayName: "Round Trip",
      aliases: [],
      features: {},
      async send(message: NormalizedMessage) {
        const messageId = `rt-${message.subject}`;
        return {
          recipients: Object.fromEntries(
            message.to.map((to) => [to.addrSpec, { status: "queued" as const, messageId }]),
          ),
          espResponse: { messageId },
        };
      },
      tracking: {
        handle: (request: WebhookRequest) =>
          (request.json as Array<{ id: string; to: string }>).map(
            (e) =>
              new AnymailTrackingEvent({
                eventType: "delivered",
                messageId: e.id,
                recipient: e.to,
                espEvent: e,
              }),
          ),
      },
    } satisfies EspAdapter;
    const sender = new Sender(roundTripEsp, { env: {} });
    const status = await sender.send({
      from: "from@example.com",
      to: "to@example.com",
      subject: "hello",
      text: "hi",
    });
    const hook = webhookApp({ esps: [roundTripEsp] });
    await hook
      .post("/roundtrip/tracking/")
      .send([{ id: status.messageId, to: "to@example.com" }])
      .expect(200);
    expect(status.messageId).to.equal("rt-hello");
    expect(hook.tracking[0].messageId).to.equal(status.messageId);
  });
});
