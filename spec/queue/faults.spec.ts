import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import { queueEvents, type QueuedEventSink } from "../../lib/queue/event-sink.js";
import { processEvents, type EventWorker } from "../../lib/queue/event-worker.js";
import { useRedis } from "../helpers/redis.js";
import { webhookApp } from "../helpers/webhooks.js";
import { freshQueueName, queueTestEsp, waitFor, type QueueTestEvent } from "./queue-esp.js";

const events = (prefix: string, n: number): QueueTestEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: "delivered",
    id: `${prefix}-${i}`,
    recipient: `r${i}@example.com`,
  }));

/** Counts how often each event id was handled, with the worker that did. */
function tally() {
  const seen = new Map<string, string[]>();
  const handler = (name: string) => (event: AnymailTrackingEvent) => {
    const id = event.eventId as string;
    seen.set(id, [...(seen.get(id) ?? []), name]);
  };
  const total = () => [...seen.values()].reduce((n, list) => n + list.length, 0);
  return { seen, handler, total };
}

describe("Queue: fault tests", function () {
  this.timeout(30_000);
  const workers: EventWorker[] = [];
  const sinks: QueuedEventSink[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await Promise.all(sinks.splice(0).map((s) => s.close()));
  });

  describe("with a redis-server", () => {
    const redis = useRedis();

    it("[fault] a worker killed mid-job: the event is processed exactly once after restart", async () => {
      const queueName = freshQueueName();
      const sink = queueEvents(redis().connection, { queueName });
      sinks.push(sink);
      const hook = webhookApp({ esps: [queueTestEsp], emitter: sink });
      expect((await hook.post("/queuetest/tracking/").send(events("kill", 3))).status).to.equal(
        200,
      );

      const dir = mkdtempSync(join(tmpdir(), "anymail-worker-"));
      const log = join(dir, "log");
      writeFileSync(log, "");
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "spec/queue/fixtures/event-worker-child.ts",
          String(redis().port),
          queueName,
          log,
        ],
        { stdio: "ignore", env: { ...process.env, NODE_V8_COVERAGE: "" } },
      );
      try {
        await waitFor(
          () => readFileSync(log, "utf8").includes("start"),
          20_000,
          "the child to take a job",
        );
      } finally {
        child.kill("SIGKILL");
      }
      const taken = readFileSync(log, "utf8").trim().split("\n");
      rmSync(dir, { recursive: true, force: true });
      expect(taken).to.have.length(1);

      const { seen, handler, total } = tally();
      workers.push(
        await processEvents(
          redis().connection,
          { tracking: handler("restarted") },
          { queueName, lockDuration: 1000, stalledInterval: 500, onError: () => {} },
        ),
      );
      await waitFor(() => total() === 3, 15_000, "every event after the restart");
      await sleep(1200); // a second stall check: nothing runs twice
      expect(total()).to.equal(3);
      expect([...seen.keys()].sort()).to.deep.equal(["kill-0", "kill-1", "kill-2"]);
    });

    it("[fault] two receivers and two workers on one Redis: each event is processed once", async () => {
      const queueName = freshQueueName();
      const receivers = [0, 1].map(() => {
        const sink = queueEvents(redis().connection, { queueName });
        sinks.push(sink);
        return webhookApp({ esps: [queueTestEsp], emitter: sink });
      });
      const { seen, handler, total } = tally();
      for (const name of ["worker-1", "worker-2"]) {
        workers.push(
          await processEvents(
            redis().connection,
            { tracking: handler(name) },
            { queueName, concurrency: 3 },
          ),
        );
      }
      const batch = events("dup", 20);
      // every event delivered to both receivers, twice, overlapping
      const answers = await Promise.all(
        [0, 1, 0, 1].map((i, round) =>
          receivers[i].post("/queuetest/tracking/").send(round % 2 ? [...batch].reverse() : batch),
        ),
      );
      expect(answers.map((res) => res.status)).to.deep.equal([200, 200, 200, 200]);
      await waitFor(() => total() >= 20, 10_000, "20 events");
      await sleep(300);
      expect(total()).to.equal(20);
      expect([...seen.values()].every((list) => list.length === 1)).to.equal(true);
      const byWorker = new Set([...seen.values()].flat());
      expect(byWorker.size).to.be.at.least(1);
    });
  });

  describe("with a redis-server that restarts", () => {
    const redis = useRedis({ persistent: true });

    it("[fault] Redis down: 503 with Retry-After; no acknowledged event lost", async () => {
      const queueName = freshQueueName();
      const sink = queueEvents(redis().connection, { queueName, addTimeout: 500, retryAfter: 2 });
      sinks.push(sink);
      const hook = webhookApp({ esps: [queueTestEsp], emitter: sink });
      const pending = events("restart", 60);
      const acked = new Set<string>();
      let refused = 0;
      let retryAfter: string | undefined;

      const esp = (async () => {
        // an ESP: posts one event at a time, and posts a refused one again later
        const deadline = Date.now() + 20_000;
        while (pending.length > 0 && Date.now() < deadline) {
          const event = pending.shift() as QueueTestEvent;
          const res = await hook.post("/queuetest/tracking/").send([event]);
          if (res.status === 200) acked.add(event.id as string);
          else {
            expect(res.status).to.equal(503);
            retryAfter = res.headers["retry-after"];
            refused++;
            pending.push(event);
            await sleep(50);
          }
          await sleep(10);
        }
      })();
      await waitFor(() => acked.size >= 10, 10_000, "the first acknowledgements");
      await redis().stop({ kill: true });
      await waitFor(() => refused >= 3, 10_000, "503s while Redis is down");
      await redis().start();
      await esp;

      expect(refused).to.be.at.least(3);
      expect(retryAfter).to.equal("2");
      expect(acked.size).to.equal(60);
      const { seen, handler, total } = tally();
      workers.push(
        await processEvents(
          redis().connection,
          { tracking: handler("after") },
          { queueName, concurrency: 4 },
        ),
      );
      await waitFor(() => total() >= 60, 15_000, "every acknowledged event");
      await sleep(200);
      expect(total()).to.equal(60);
      expect([...seen.keys()].sort()).to.deep.equal([...acked].sort());
    });
  });
});
