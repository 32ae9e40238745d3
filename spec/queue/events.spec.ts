import { expect } from "chai";
import { Queue } from "bullmq";
import { AnymailInboundEvent } from "../../lib/events/inbound.js";
import { AnymailInboundMessage } from "../../lib/events/inbound-message.js";
import { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import { queueEvents, type QueuedEventSink } from "../../lib/queue/event-sink.js";
import { processEvents, type EventWorker } from "../../lib/queue/event-worker.js";
import { fromJobData, toJobData, type BlobStore } from "../../lib/queue/event-data.js";
import { webhookApp } from "../helpers/webhooks.js";
import { useRedis } from "../helpers/redis.js";
import {
  freshQueueName,
  queueTestEsp,
  RAW_MESSAGE,
  waitFor,
  type QueueTestEvent,
} from "./queue-esp.js";

type Received = { event: AnymailTrackingEvent | AnymailInboundEvent; espName: string };

describe("Queue: webhook events through BullMQ", function () {
  const redis = useRedis();
  let queueName: string;
  let sink: QueuedEventSink;
  const workers: EventWorker[] = [];
  const closers: Array<{ close(): Promise<void> }> = [];

  beforeEach(() => {
    queueName = freshQueueName();
    sink = queueEvents(redis().connection, { queueName, backoffDelay: 50 });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await Promise.all(closers.splice(0).map((c) => c.close()));
    await sink.close();
  });

  const app = () => webhookApp({ esps: [queueTestEsp], emitter: sink });

  async function startWorker(received: Received[], fail?: (event: unknown) => boolean) {
    const handler = (event: AnymailTrackingEvent | AnymailInboundEvent, espName: string) => {
      if (fail?.(event)) throw new Error("handler failed");
      received.push({ event, espName });
    };
    const worker = await processEvents(
      redis().connection,
      { tracking: handler, inbound: handler },
      { queueName, concurrency: 2, onError: () => {} },
    );
    workers.push(worker);
    return worker;
  }

  async function jobCount(): Promise<number> {
    const queue = new Queue(queueName, { connection: redis().connection });
    closers.push(queue);
    const counts = await queue.getJobCounts("wait", "active", "completed", "failed", "delayed");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  const BATCH: QueueTestEvent[] = [
    {
      type: "delivered",
      id: "1152921519812251571",
      recipient: "a@example.com",
      at: 1_700_000_000_123,
      metadata: { order: 42, nested: { when: "x" } },
      tags: ["welcome"],
    },
    // the same id for another recipient of one notification: a different event
    {
      type: "delivered",
      id: "1152921519812251571",
      recipient: "b@example.com",
      at: 1_700_000_000_123,
    },
    { type: "opened", recipient: "a@example.com", at: 1_700_000_001_000 },
  ];

  it("stores each event before answering 200, and a worker gets the typed events back", async () => {
    const hook = app();
    const res = await hook.post("/queuetest/tracking/").send(BATCH);
    expect(res.status).to.equal(200);
    expect(await jobCount()).to.equal(3);

    const received: Received[] = [];
    await startWorker(received);
    await waitFor(() => received.length === 3, 8000, "3 events");
    const byRecipient = received
      .map((r) => r.event as AnymailTrackingEvent)
      .sort((x, y) => `${x.eventType}${x.recipient}`.localeCompare(`${y.eventType}${y.recipient}`));
    expect(received.every((r) => r.espName === "Queue Test")).to.equal(true);
    expect(byRecipient.map((e) => e.constructor)).to.deep.equal(
      Array(3).fill(AnymailTrackingEvent),
    );
    // exactly as the router emitted them in-process
    const inProcess = [...hook.tracking].sort((x, y) =>
      `${x.eventType}${x.recipient}`.localeCompare(`${y.eventType}${y.recipient}`),
    );
    expect(byRecipient).to.deep.equal(inProcess);
    expect(byRecipient[0].timestamp).to.deep.equal(new Date(1_700_000_000_123));
    expect(byRecipient[0].eventId).to.equal("1152921519812251571");
    expect(byRecipient[0].metadata).to.deep.equal({ order: 42, nested: { when: "x" } });
  });

  it("takes a BullMQ Queue of the caller's as it is", async () => {
    const queue = new Queue(queueName, { connection: redis().connection });
    closers.push(queue);
    const own = queueEvents(queue);
    const hook = webhookApp({ esps: [queueTestEsp], emitter: own });
    expect((await hook.post("/queuetest/tracking/").send([BATCH[2]])).status).to.equal(200);
    expect(await own.queue()).to.equal(queue);
    expect(await queue.count()).to.equal(1);
    await own.close(); // leaves the caller's queue open
    expect(await queue.count()).to.equal(1);
  });

  it("an ESP's retry of a batch adds no job and is not processed again", async () => {
    const hook = app();
    expect((await hook.post("/queuetest/tracking/").send(BATCH)).status).to.equal(200);
    const received: Received[] = [];
    await startWorker(received);
    await waitFor(() => received.length === 3, 8000, "3 events");
    expect((await hook.post("/queuetest/tracking/").send(BATCH)).status).to.equal(200);
    expect((await hook.post("/queuetest/tracking/").send([BATCH[2], BATCH[0]])).status).to.equal(
      200,
    );
    expect(await jobCount()).to.equal(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).to.have.length(3);
  });

  it("inbound raw MIME comes back as a working AnymailInboundMessage", async () => {
    const hook = app();
    const res = await hook
      .post("/queuetest/inbound/")
      .set("Content-Type", "message/rfc822")
      .set("X-Envelope-Sender", "bounce@example.com")
      .set("X-Event-Id", "inbound-1")
      .send(RAW_MESSAGE);
    expect(res.status).to.equal(200);
    const received: Received[] = [];
    await startWorker(received);
    await waitFor(() => received.length === 1, 8000, "the inbound event");
    const event = received[0].event as AnymailInboundEvent;
    expect(event).to.be.instanceOf(AnymailInboundEvent);
    expect(event.eventId).to.equal("inbound-1");
    expect(event.timestamp).to.deep.equal(new Date(1_700_000_000_000));
    expect(event.espEvent).to.deep.equal({
      received: new Date(1_700_000_000_000),
      size: Buffer.byteLength(RAW_MESSAGE),
    });
    const message = event.message;
    expect(message).to.be.instanceOf(AnymailInboundMessage);
    expect(message.subject).to.equal("Café report");
    expect(message.fromEmail?.addrSpec).to.equal("sender@example.com");
    expect(message.text?.trim()).to.equal("Hello café");
    expect(message.envelopeSender).to.equal("bounce@example.com");
    expect(message.spamScore).to.equal(1.5);
    expect(message.attachments).to.have.length(1);
    expect(message.attachments[0].getFilename()).to.equal("data.bin");
    expect([...message.attachments[0].getContentBytes()]).to.deep.equal([0, 1, 2, 250, 255]);
    expect(message.getContentBytes().toString()).to.equal(RAW_MESSAGE);
  });

  it("an inbound message an ESP posted as fields is rebuilt from them", async () => {
    const fields = {
      from: "Sender <sender@example.com>",
      to: "a@example.com, B <b@example.com>",
      subject: "Fields",
      date: "Tue, 14 Nov 2023 22:13:20 +0000",
      text: "plain",
      html: '<p>html <img src="cid:logo"></p>',
      headers: [["X-Custom", "yes"]],
      attachments: [
        { filename: "a.txt", contentType: "text/plain; charset=utf-8", content: "attached" },
        { contentType: "image/png", content: "PNGDATA", contentId: "logo", inline: true },
        { filename: "pic.gif", contentType: "image/gif", content: "GIF", inline: true },
      ],
    };
    const original = await AnymailInboundMessage.fromFields(fields as never);
    const event = new AnymailInboundEvent({ message: original, espEvent: { fields: true } });
    const data = JSON.parse(JSON.stringify(await toJobData("inbound", event, "Queue Test")));
    const rebuilt = ((await fromJobData(data)) as AnymailInboundEvent).message;
    for (const key of ["subject", "date", "text", "html", "to", "cc", "fromEmail"] as const) {
      expect(rebuilt[key], key).to.deep.equal(original[key]);
    }
    expect(rebuilt.get("x-custom")).to.equal("yes");
    expect(
      rebuilt.attachments.map((a) => [a.getFilename(), a.getContentType(), a.getContentText()]),
    ).to.deep.equal([
      ["a.txt", "text/plain", "attached"],
      ["pic.gif", "image/gif", "GIF"],
    ]);
    expect(rebuilt.contentIdMap.logo.getContentBytes().toString()).to.equal("PNGDATA");
    expect(rebuilt.inlines.map((part) => part.getContentType()).sort()).to.deep.equal([
      "image/gif",
      "image/png",
    ]);
  });

  it("large raw messages can go to a blob store instead of Redis", async () => {
    const blobs = new Map<string, Buffer>();
    const blobStore: BlobStore = {
      put: async (key, bytes) => (blobs.set(`blob/${key}`, bytes), `blob/${key}`),
      get: async (ref) => blobs.get(ref) as Buffer,
    };
    const message = await AnymailInboundMessage.fromRaw(RAW_MESSAGE);
    const event = new AnymailInboundEvent({ message, espEvent: null });
    const data = await toJobData("inbound", event, "Queue Test", { blobStore, blobThreshold: 100 });
    expect(JSON.stringify(data)).to.not.include(Buffer.from(RAW_MESSAGE).toString("base64"));
    expect(blobs.size).to.equal(1);
    const back = (await fromJobData(data, { blobStore })) as AnymailInboundEvent;
    expect(back.message.subject).to.equal("Café report");
  });

  it("an event that keeps failing ends in the dead-letter queue with its reason", async () => {
    sink = queueEvents(redis().connection, { queueName, attempts: 2, backoffDelay: 10 });
    const hook = app();
    expect((await hook.post("/queuetest/tracking/").send([BATCH[0]])).status).to.equal(200);
    const received: Received[] = [];
    const worker = await startWorker(received, () => true);
    await waitFor(
      async () => (await worker.deadLetterQueue.count()) === 1,
      8000,
      "the dead letter",
    );
    const [dead] = await worker.deadLetterQueue.getJobs(["wait"]);
    expect(dead.data).to.include({
      failedReason: "handler failed",
      attemptsMade: 2,
      channel: "tracking",
    });
    const back = (await fromJobData(dead.data)) as AnymailTrackingEvent;
    expect(back.recipient).to.equal("a@example.com");
    expect(received).to.have.length(0);
  });
});
