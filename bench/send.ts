/**
 * @module
 * Send path: sendMany through one pooled sender vs a fresh sender (new connection) per
 * message, against the loopback capture server.
 */
import { Sender } from "../lib/sender/sender.js";
import { startCaptureServer } from "../spec/helpers/capture-server.js";
import { fakeHttpAdapter } from "../spec/helpers/fake-esps.js";
import { record } from "./lib.js";

const MESSAGES = 1000;
const message = { from: "from@example.com", to: "to@example.com", subject: "Bench", text: "hello" };

export async function benchSendPath(): Promise<void> {
  const server = await startCaptureServer();
  server.respond(200, { id: "bench" });
  const options = { apiKey: "bench-key", apiUrl: server.url };
  try {
    const pooled = new Sender(fakeHttpAdapter, options);
    let start = performance.now();
    const results = await pooled.sendMany(Array.from({ length: MESSAGES }, () => ({ ...message })));
    const pooledRate = (MESSAGES * 1000) / (performance.now() - start);
    await pooled.close();
    if (results.some((r) => r.status === "rejected")) throw new Error("a pooled send failed");

    start = performance.now();
    for (let i = 0; i < MESSAGES; i++) {
      const fresh = new Sender(fakeHttpAdapter, options);
      await fresh.send({ ...message });
      await fresh.close();
    }
    const freshRate = (MESSAGES * 1000) / (performance.now() - start);

    record({
      section: "send path",
      name: "fresh sender per message (baseline)",
      value: freshRate,
      unit: "msg/s",
    });
    record({
      section: "send path",
      name: `sendMany of ${MESSAGES} through one pooled sender`,
      value: pooledRate,
      unit: "msg/s",
      ratio: pooledRate / freshRate,
      target: ">= 2x",
    });
  } finally {
    await server.close();
  }
}
