import { expect } from "chai";
import { createSender } from "../../lib/index.js";
import { Redis } from "ioredis";
import { Sender } from "../../lib/sender/sender.js";
import { createQueuedSender, type QueuedSender } from "../../lib/queue/queued-sender.js";
import { RedisReplayStore } from "../../lib/queue/replay-store.js";
import { fakeHttpAdapter } from "../helpers/fake-esps.js";
import {
  startCaptureServer,
  useCaptureServer,
  type CaptureServer,
} from "../helpers/capture-server.js";
import { rejectionOf } from "../helpers/rejection.js";
import { useRedis } from "../helpers/redis.js";
import { freshQueueName, waitFor } from "./queue-esp.js";

const MESSAGE = { from: "from@example.com", to: ["to@example.com"], subject: "Hi" };

function httpSender(server: CaptureServer): Sender {
  return new Sender(fakeHttpAdapter, { apiKey: "key-1234", apiUrl: server.url });
}

describe("Queue: createQueuedSender", function () {
  this.timeout(20_000);
  const redis = useRedis();
  const server = useCaptureServer(200, { id: "msg-1" });
  const open: QueuedSender[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
  });

  function queued(options: Parameters<typeof createQueuedSender>[2] = {}) {
    const sender = createQueuedSender(httpSender(server()), redis().connection, {
      queueName: freshQueueName(),
      retry: { baseDelay: 20, attempts: 4 },
      ...options,
    });
    open.push(sender);
    return sender;
  }

  it("[fault] 429 with Retry-After then 200: one send, after the wait; the status is on the job", async () => {
    server().respondOnce(429, { error: "rate limited" }, { "Retry-After": "1" });
    const sender = queued();
    const sent: string[] = [];
    sender.on("sent", (jobId) => sent.push(jobId));
    await sender.startWorkers();
    const started = Date.now();
    const jobId = await sender.enqueue({ ...MESSAGE, metadata: { order: 7 } });
    await waitFor(() => sent.length === 1, 10_000, "the send");
    expect(Date.now() - started).to.be.at.least(1000);
    expect(sent).to.deep.equal([jobId]);
    await waitFor(async () => (await sender.state(jobId))?.state === "completed", 5000, "done");
    expect(server().requests).to.have.length(2);
    const [first, second] = server().requests;
    expect(first.json).to.deep.equal(second.json);
    expect(second.json).to.deep.include({ subject: "Hi", metadata: { order: 7 } });
    const state = await sender.state(jobId);
    expect(state).to.deep.include({ state: "completed", attemptsMade: 2 });
    expect(state?.result).to.deep.equal({
      sender: "default",
      messageId: "msg-1",
      status: ["queued"],
      recipients: { "to@example.com": { status: "queued", messageId: "msg-1" } },
    });
  });

  it("a 4xx is not retried: the job fails at once with the reason", async () => {
    server().respondOnce(422, { error: "invalid address" });
    const sender = queued();
    const failed: unknown[] = [];
    sender.on("failed", (_id, error) => failed.push(error));
    await sender.startWorkers();
    const jobId = await sender.enqueue({ ...MESSAGE });
    await waitFor(() => failed.length === 1, 10_000, "the failure");
    await waitFor(
      async () => (await sender.state(jobId))?.state === "failed",
      5000,
      "failed state",
    );
    const state = await sender.state(jobId);
    expect(state?.attemptsMade).to.equal(1);
    expect(state?.failedReason).to.match(/422/);
    expect(server().requests).to.have.length(1);
  });

  it("gives up after `attempts` retriable failures", async () => {
    server().respond(503, "down");
    const sender = queued({ retry: { baseDelay: 10, attempts: 3 } });
    const failed: string[] = [];
    sender.on("failed", (id) => failed.push(id));
    await sender.startWorkers();
    const jobId = await sender.enqueue({ ...MESSAGE });
    await waitFor(() => failed.length === 1, 10_000, "the final failure");
    expect(failed).to.deep.equal([jobId]);
    expect(server().requests).to.have.length(3);
  });

  it("two workers share the queue: each message is sent once, within the rate limit", async () => {
    const queueName = freshQueueName();
    const limiter = { max: 10, duration: 400 };
    const a = queued({ queueName, limiter, concurrency: 4 });
    const b = queued({ queueName, limiter, concurrency: 4 });
    await a.startWorkers();
    await b.startWorkers();
    const started = Date.now();
    const ids = await Promise.all(
      Array.from({ length: 25 }, (_, i) => a.enqueue({ ...MESSAGE, subject: `m${i}` })),
    );
    expect(new Set(ids).size).to.equal(25);
    await waitFor(() => server().requests.length >= 25, 10_000, "25 sends");
    const subjects = server().requests.map((r) => (r.json as { subject: string }).subject);
    expect(new Set(subjects).size).to.equal(25);
    expect(subjects).to.have.length(25);
    // 25 sends at 10 per 400 ms need at least two full windows
    expect(Date.now() - started).to.be.at.least(800);
  });

  it("several senders by name: one queue each, picked with `via`", async () => {
    const other = await startCaptureServer();
    other.respond(200, { id: "from-bulk" });
    try {
      const sender = createQueuedSender(
        { main: httpSender(server()), bulk: httpSender(other) },
        redis().connection,
        { queueName: freshQueueName() },
      );
      open.push(sender);
      const sent: Array<[string, string]> = [];
      sender.on("sent", (_id, result) => sent.push([result.sender, String(result.messageId)]));
      await sender.startWorkers();
      await sender.enqueue({ ...MESSAGE });
      const bulkId = await sender.enqueue({ ...MESSAGE }, { via: "bulk" });
      await waitFor(() => sent.length === 2, 5000, "both sends");
      expect(sent.sort()).to.deep.equal([
        ["bulk", "from-bulk"],
        ["main", "msg-1"],
      ]);
      // "sent" comes as the ESP answers, just before BullMQ stores the result
      await waitFor(
        async () => (await sender.state(bulkId, "bulk"))?.state === "completed",
        5000,
        "the stored result",
      );
      expect((await sender.state(bulkId, "bulk"))?.result?.sender).to.equal("bulk");
      const error = await rejectionOf(sender.enqueue({ ...MESSAGE }, { via: "nope" }));
      expect(error).to.be.instanceOf(TypeError).with.property("message").match(/nope/);
    } finally {
      await other.close();
    }
  });

  it("enqueueBatch splits by the ESP's own documented limit when no batchSize is given", async () => {
    expect(createSender("postmark", { serverToken: "t" }).maxBatchSize).to.equal(500);
    expect(createSender("mailjet", { apiKey: "k", secretKey: "s" }).maxBatchSize).to.equal(50);
    const sender = createQueuedSender(
      new Sender(
        { ...fakeHttpAdapter, maxBatchSize: 2 },
        { apiKey: "k", apiUrl: server().url, ignoreUnsupportedFeatures: true },
      ),
      redis().connection,
      { queueName: freshQueueName() },
    );
    open.push(sender);
    const to = [
      "a@example.com",
      "b@example.com",
      "c@example.com",
      "d@example.com",
      "e@example.com",
    ];
    const mergeData = Object.fromEntries(to.map((email) => [email, { name: email[0] }]));
    const ids = await sender.enqueueBatch({ ...MESSAGE, to, mergeData }, { jobId: "by-limit" });
    expect(ids).to.deep.equal(["by-limit-0", "by-limit-1", "by-limit-2"]);
  });

  it("enqueueBatch sends a batch larger than batchSize as one job per part", async () => {
    const sender = createQueuedSender(
      // the test ESP has no merge data: it sends each part as a plain message
      new Sender(fakeHttpAdapter, {
        apiKey: "k",
        apiUrl: server().url,
        ignoreUnsupportedFeatures: true,
      }),
      redis().connection,
      { queueName: freshQueueName(), batchSize: 2 },
    );
    open.push(sender);
    const sent: string[] = [];
    sender.on("sent", (jobId) => sent.push(jobId));
    await sender.startWorkers();
    const to = ["a@example.com", "b@example.com", "c@example.com"];
    const mergeData = Object.fromEntries(to.map((email) => [email, { name: email[0] }]));
    const ids = await sender.enqueueBatch({ ...MESSAGE, to, mergeData }, { jobId: "campaign-1" });
    expect(ids).to.deep.equal(["campaign-1-0", "campaign-1-1"]);
    await waitFor(() => sent.length === 2, 5000, "both parts");
    const sentTo = server().requests.map((r) => (r.json as { to: string[] }).to);
    expect(sentTo.sort()).to.deep.equal([["a@example.com", "b@example.com"], ["c@example.com"]]);
  });

  it("an enqueue with a caller's job id is idempotent", async () => {
    const sender = queued();
    await sender.startWorkers();
    const first = await sender.enqueue({ ...MESSAGE }, { jobId: "order-42-welcome" });
    const again = await sender.enqueue({ ...MESSAGE }, { jobId: "order-42-welcome" });
    expect(again).to.equal(first);
    await waitFor(async () => (await sender.state(first))?.state === "completed", 5000, "the send");
    await sender.enqueue({ ...MESSAGE }, { jobId: "order-42-welcome" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server().requests).to.have.length(1);
  });
});

describe("Queue: RedisReplayStore", () => {
  const redis = useRedis();
  const clients: Redis[] = [];
  after(() => clients.forEach((c) => c.disconnect()));
  const store = () => {
    const client = new Redis(redis().connection);
    clients.push(client);
    return new RedisReplayStore(client, `replay-${process.pid}:`);
  };

  it("two processes' stores accept a key once between them", async () => {
    const [a, b] = [store(), store()];
    const results = await Promise.all([
      a.add("token-1", 60),
      b.add("token-1", 60),
      a.add("token-1", 60),
    ]);
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await b.has("token-1")).to.equal(true);
    expect(await b.has("token-2")).to.equal(false);
  });

  it("keys expire after their ttl", async () => {
    const a = store();
    expect(await a.add("short", 1)).to.equal(true);
    const ttl = await clients[clients.length - 1].pttl(`replay-${process.pid}:short`);
    expect(ttl).to.be.within(1, 1000);
  });
});
