/**
 * @module
 * Webhook path: anymailRouter (auth, body, handler, awaited dispatch) against a bare Node
 * handler that only reads the body and answers 200, on loopback; plus the time and memory
 * of parsing a large inbound message.
 */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { anymailRouter } from "../lib/middleware/router.js";
import { AnymailTrackingEvent } from "../lib/events/tracking.js";
import { AnymailInboundMessage } from "../lib/events/inbound-message.js";
import type { EspAdapter } from "../lib/esps/types.js";
import { opsPerSecond, record, timeAndPeak } from "./lib.js";

const benchEsp = {
  name: "bench",
  displayName: "Bench",
  features: {},
  tracking: {
    kind: "tracking",
    handle: (request) =>
      (request.json as Array<{ id: string }>).map(
        (event) =>
          new AnymailTrackingEvent({ eventType: "delivered", eventId: event.id, espEvent: event }),
      ),
  },
} satisfies EspAdapter;

async function listen(handler: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function benchWebhooks(): Promise<void> {
  const batch = JSON.stringify(
    Array.from({ length: 50 }, (_, i) => ({ id: `ev-${i}`, recipient: "to@example.com" })),
  );
  const headers = {
    "content-type": "application/json",
    authorization: `Basic ${Buffer.from("bench:secret").toString("base64")}`,
  };

  const bare = await listen((req, res) => {
    req.on("data", () => {}).on("end", () => res.writeHead(200, { "content-length": "0" }).end());
  });
  const router = anymailRouter({ esps: [benchEsp], webhookSecret: "bench:secret", env: {} });
  let events = 0;
  router.emitter.on("tracking", async () => {
    events++;
  });
  const hooked = await listen((req, res) => router(req, res));
  try {
    const post = (url: string) => async () => {
      const response = await fetch(url, { method: "POST", headers, body: batch });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`status ${response.status}`);
    };
    // the baseline is measured before and after, and the better figure kept, so warm-up
    // and load on the machine do not flatter the router
    const bareBefore = await opsPerSecond(post(`${bare.url}/`));
    const routerRate = await opsPerSecond(post(`${hooked.url}/bench/tracking/`));
    const bareRate = Math.max(bareBefore, await opsPerSecond(post(`${bare.url}/`)));
    if (events === 0) throw new Error("no events dispatched");
    record({
      section: "webhooks",
      name: "bare body-reading handler (baseline)",
      value: bareRate,
      unit: "req/s",
    });
    record({
      section: "webhooks",
      name: "anymailRouter: 50-event JSON batch, basic auth, async listener",
      value: routerRate,
      unit: "req/s",
      ratio: routerRate / bareRate,
      target: ">= 0.5x",
    });
  } finally {
    await bare.close();
    await hooked.close();
  }

  const attachment = Buffer.alloc(10 * 1024 * 1024, 7)
    .toString("base64")
    .replace(/.{76}/g, "$&\r\n");
  const mime = [
    "From: a@example.com",
    "To: b@example.com",
    "Subject: big",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain",
    "",
    "see attached",
    "--b",
    'Content-Type: application/octet-stream; name="big.bin"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="big.bin"',
    "",
    attachment,
    "--b--",
    "",
  ].join("\r\n");
  const raw = Buffer.from(mime);
  const { ms, peakBytes } = await timeAndPeak(async () => {
    const message = await AnymailInboundMessage.fromRaw(raw);
    if (message.attachments[0].getContentBytes().length !== 10 * 1024 * 1024)
      throw new Error("bad parse");
  });
  record({
    section: "webhooks",
    name: "parse a 10 MiB-attachment inbound message",
    value: ms,
    unit: "ms",
  });
  record({
    section: "webhooks",
    name: "peak RSS growth while parsing it",
    value: peakBytes / 1024 / 1024,
    unit: "MiB",
    note: `message is ${(raw.length / 1024 / 1024).toFixed(1)} MiB`,
  });
}
