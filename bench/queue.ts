/**
 * @module
 * The queue (anymail/queue on a local redis-server): webhook throughput when every event is
 * stored in BullMQ before the answer, vs the in-process emitter; and queued sends per second
 * with two workers, vs sendMany in one process. Each webhook request carries new event ids,
 * so no add is skipped as a duplicate.
 */
import autocannon from "autocannon";
import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AnymailEmitter } from "../lib/events/emitter.js";
import { anymailRouter } from "../lib/middleware/router.js";
import { queueEvents } from "../lib/queue/event-sink.js";
import { createQueuedSender } from "../lib/queue/queued-sender.js";
import { Sender } from "../lib/sender/sender.js";
import { startCaptureServer } from "../spec/helpers/capture-server.js";
import { fakeHttpAdapter } from "../spec/helpers/fake-esps.js";
import { startRedis } from "../spec/helpers/redis.js";
import { record } from "./lib.js";

const SECRET = "bench:bench-secret";
const AUTH = `Basic ${Buffer.from(SECRET).toString("base64")}`;
const BATCH = 10;
const SENDS = 1000;

let batches = 0;
/** A tracking batch whose event ids were never sent before. */
function freshBatch(): string {
  const n = ++batches;
  return JSON.stringify(
    Array.from({ length: BATCH }, (_, i) => ({
      email: `user${i}@example.com`,
      timestamp: 1700000000 + i,
      event: "delivered",
      sg_event_id: `bench-${n}-${i}`,
      sg_message_id: `msg-${n}-${i}.filter0001`,
    })),
  );
}

async function serve(emitter: AnymailEmitter): Promise<{ server: Server; url: string }> {
  const app = express();
  app.use(
    "/anymail",
    anymailRouter({ webhookSecret: SECRET, emitter, logger: { warn() {}, error() {} } }),
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function load(url: string, seconds: number) {
  const result = await autocannon({
    url: `${url}/anymail/sendgrid/tracking/`,
    method: "POST",
    connections: 10,
    duration: seconds,
    headers: { "content-type": "application/json", authorization: AUTH },
    // a new body per request (in this thread: setupRequest cannot cross to a worker)
    requests: [{ setupRequest: (request) => ({ ...request, body: freshBatch() }) }],
  });
  if (result["2xx"] === 0 || result.non2xx > 0) {
    throw new Error(`${result.non2xx} non-2xx answers of ${result["2xx"] + result.non2xx}`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function benchWebhookSink(connection: { host: string; port: number }, seconds: number) {
  const inProcess = new AnymailEmitter();
  let emitted = 0;
  inProcess.on("tracking", () => void emitted++);
  const sink = queueEvents(connection, { queueName: "bench-events" });
  const plain = await serve(inProcess);
  const queued = await serve(sink);
  try {
    const base = await load(plain.url, seconds);
    const mine = await load(queued.url, seconds);
    if (emitted === 0) throw new Error("no events emitted");
    const stored = await (await sink.queue()).count();
    const section = `queue: SendGrid tracking batch of ${BATCH} new events`;
    record({
      section,
      name: `in-process emitter (baseline; p50 ${base.p50} ms, p99 ${base.p99} ms)`,
      value: base.rps,
      unit: "req/s",
    });
    record({
      section,
      name: `queueEvents sink, every event stored in Redis before 200 (p50 ${mine.p50} ms, p99 ${mine.p99} ms; ${stored} jobs)`,
      value: mine.rps,
      unit: "req/s",
      ratio: mine.rps / base.rps,
    });
  } finally {
    for (const { server } of [plain, queued]) {
      server.closeAllConnections();
      server.close();
    }
    await (await sink.queue()).obliterate({ force: true });
    await sink.close();
  }
}

async function benchQueuedSends(connection: { host: string; port: number }) {
  const api = await startCaptureServer();
  api.respond(200, { id: "bench" });
  const options = { apiKey: "bench-key", apiUrl: api.url };
  const message = { from: "from@example.com", to: "to@example.com", subject: "Bench" };
  try {
    const direct = new Sender(fakeHttpAdapter, options);
    let start = performance.now();
    await direct.sendMany(Array.from({ length: SENDS }, () => ({ ...message })));
    const baseline = (SENDS * 1000) / (performance.now() - start);
    await direct.close();

    const producer = createQueuedSender(new Sender(fakeHttpAdapter, options), connection, {
      queueName: "bench-send",
    });
    const workers = [0, 1].map(() =>
      createQueuedSender(new Sender(fakeHttpAdapter, options), connection, {
        queueName: "bench-send",
        concurrency: 8,
      }),
    );
    let sent = 0;
    const done = new Promise<void>((resolve) =>
      workers.forEach((w) => w.on("sent", () => ++sent === SENDS && resolve())),
    );
    api.requests.length = 0;
    start = performance.now();
    await Promise.all(Array.from({ length: SENDS }, () => producer.enqueue({ ...message })));
    const enqueued = (SENDS * 1000) / (performance.now() - start);
    await Promise.all(workers.map((w) => w.startWorkers()));
    await done;
    const rate = (SENDS * 1000) / (performance.now() - start);
    if (api.requests.length !== SENDS)
      throw new Error(`${api.requests.length} sends, not ${SENDS}`);
    await Promise.all([producer, ...workers].map((q) => q.close()));
    const section = `queue: ${SENDS} sends`;
    record({ section, name: "sendMany in one process (baseline)", value: baseline, unit: "msg/s" });
    record({ section, name: "enqueue (Redis writes only)", value: enqueued, unit: "msg/s" });
    record({
      section,
      name: "enqueue to last send, two workers of concurrency 8",
      value: rate,
      unit: "msg/s",
      ratio: rate / baseline,
    });
  } finally {
    await api.close();
  }
}

export async function benchQueue(seconds = Number(process.env.BENCH_SECONDS ?? 5)): Promise<void> {
  const redis = await startRedis();
  if (!redis) {
    console.log("(skipping the queue: no redis-server could be had)");
    return;
  }
  try {
    await benchWebhookSink(redis.connection, seconds);
    await benchQueuedSends(redis.connection);
  } finally {
    await redis.close();
  }
}
