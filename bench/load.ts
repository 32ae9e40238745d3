/**
 * @module
 * Load test: sustained webhook traffic at high concurrency, with listeners that await I/O.
 * Memory must stay flat (RSS at start vs end) and no request may be lost (events emitted ==
 * events in the requests the server answered 200).
 */
import autocannon from "autocannon";
import express from "express";
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { AnymailEmitter } from "../lib/events/emitter.js";
import { findAdapter } from "../lib/esps/registry.js";
import { anymailRouter } from "../lib/middleware/router.js";
import { record } from "./lib.js";

const SECRET = "load:load-secret";
const EVENTS_PER_REQUEST = 10;

export async function benchLoad(seconds = Number(process.env.LOAD_SECONDS ?? 60)): Promise<void> {
  if (!findAdapter("sendgrid")) {
    console.log("(skipping the load test: sendgrid is not registered)");
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), "anymail-load-"));
  const log = join(dir, "events.log");
  const emitter = new AnymailEmitter();
  let emitted = 0;
  emitter.on("tracking", async (event) => {
    await appendFile(log, `${event.eventType} ${event.recipient}\n`); // real I/O per event
    emitted++;
  });
  const app = express();
  // what the server acknowledged: every 200 answer promises its events were handled
  let acknowledged = 0;
  // requests the client gave up on when the load stopped: their events may still be emitted
  let abandoned = 0;
  app.use((req, res, next) => {
    res.on("finish", () => {
      if (res.statusCode === 200) acknowledged++;
    });
    res.on("close", () => {
      if (!res.writableFinished) abandoned++;
    });
    next();
  });
  app.use(
    "/anymail",
    anymailRouter({ webhookSecret: SECRET, emitter, logger: { warn() {}, error() {} } }),
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/anymail/sendgrid/tracking/`;
  const body = JSON.stringify(
    Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
      email: `user${i}@example.com`,
      timestamp: 1700000000 + i,
      event: "delivered",
      sg_event_id: `load-${i}`,
      sg_message_id: `load-${i}.filter0001`,
    })),
  );

  globalThis.gc?.();
  const rssStart = process.memoryUsage().rss;
  const result = await autocannon({
    url,
    method: "POST",
    connections: 100,
    duration: seconds,
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from(SECRET).toString("base64")}`,
    },
    body,
  });
  // let the requests still in flight when the load stopped finish before counting
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (let last = -1; last !== emitted;) {
    last = emitted;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // let the requests still in flight when the load stopped finish before counting
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (let last = -1; last !== emitted;) {
    last = emitted;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  globalThis.gc?.();
  const rssEnd = process.memoryUsage().rss;
  await rm(dir, { recursive: true, force: true });

  const sent = acknowledged * EVENTS_PER_REQUEST;
  const section = `load test (${seconds} s, 100 connections, async listeners)`;
  record({
    section,
    name: `requests the server answered 200 (client saw ${result["2xx"]} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors)`,
    value: acknowledged,
    unit: "req",
  });
  record({
    section,
    name: "events emitted / events sent (must be 1)",
    value: emitted,
    unit: "events",
    ratio: emitted / sent,
    target: `== 1 (up to ${abandoned} abandoned requests may add their events)`,
  });
  record({ section, name: "RSS at start", value: rssStart / 2 ** 20, unit: "MiB" });
  record({
    section,
    name: "RSS at end / start",
    value: rssEnd / 2 ** 20,
    unit: "MiB",
    ratio: rssEnd / rssStart,
    target: "flat",
  });
  if (emitted < sent || emitted > sent + abandoned * EVENTS_PER_REQUEST) {
    throw new Error(
      `lost events: emitted ${emitted}, acknowledged ${sent}, abandoned ${abandoned}`,
    );
  }
}
