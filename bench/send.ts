/**
 * @module
 * Send path: sendMany through one pooled sender vs a fresh sender (new connection) per
 * message, against the loopback capture server; and the CPU cost of building each ESP's
 * request (messages/s through a sender whose fetch answers in-process).
 */
import { Sender, createSender } from "../lib/sender/sender.js";
import { listAdapters } from "../lib/esps/registry.js";
import { startCaptureServer } from "../spec/helpers/capture-server.js";
import { fakeHttpAdapter } from "../spec/helpers/fake-esps.js";
import { opsPerSecond, record } from "./lib.js";

const MESSAGES = 1000;
const FRESH = 300;
const message = { from: "from@example.com", to: "to@example.com", subject: "Bench", text: "hello" };

async function pooledRate(options: Record<string, unknown>, count: number): Promise<number> {
  const pooled = new Sender(fakeHttpAdapter, options);
  const start = performance.now();
  const results = await pooled.sendMany(Array.from({ length: count }, () => ({ ...message })));
  const rate = (count * 1000) / (performance.now() - start);
  await pooled.close();
  if (results.some((r) => r.status === "rejected")) throw new Error("a pooled send failed");
  return rate;
}

async function freshRate(options: Record<string, unknown>, count: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const fresh = new Sender(fakeHttpAdapter, options);
    await fresh.send({ ...message });
    await fresh.close();
  }
  return (count * 1000) / (performance.now() - start);
}

export async function benchSendPath(): Promise<void> {
  const server = await startCaptureServer();
  server.respond(200, { id: "bench" });
  const options = { apiKey: "bench-key", apiUrl: server.url };
  try {
    // warm both paths up (JIT, connection set-up code) before measuring; best of 3 rounds
    await pooledRate(options, 200);
    await freshRate(options, 50);
    let pooled = 0;
    let fresh = 0;
    for (let round = 0; round < 3; round++) {
      pooled = Math.max(pooled, await pooledRate(options, MESSAGES));
      fresh = Math.max(fresh, await freshRate(options, FRESH));
      server.requests.length = 0;
    }
    record({
      section: "send path",
      name: "fresh sender per message (baseline)",
      value: fresh,
      unit: "msg/s",
    });
    record({
      section: "send path",
      name: `sendMany of ${MESSAGES} through one pooled sender`,
      value: pooled,
      unit: "msg/s",
      ratio: pooled / fresh,
      target: ">= 2x",
    });
  } finally {
    await server.close();
  }
}

/** Required settings and a successful answer for each ESP, so a send completes in-process. */
const ESP_SETUP: Record<
  string,
  { options: Record<string, unknown>; answer: (body: string) => unknown }
> = {
  mailgun: {
    options: { apiKey: "k", senderDomain: "mg.example.com" },
    answer: () => ({ id: "<1@mg.example.com>", message: "Queued. Thank you." }),
  },
  mailjet: {
    options: { apiKey: "k", secretKey: "s" },
    answer: () => ({
      Messages: [
        {
          Status: "success",
          To: [{ Email: "to@example.com", MessageID: 1, MessageUUID: "u" }],
          Cc: [],
          Bcc: [],
        },
      ],
    }),
  },
  mandrill: {
    options: { apiKey: "k" },
    answer: () => [{ email: "to@example.com", status: "sent", _id: "1" }],
  },
  postmark: {
    options: { serverToken: "t" },
    answer: () => ({ To: "to@example.com", MessageID: "1", ErrorCode: 0, Message: "OK" }),
  },
  sendgrid: { options: { apiKey: "k" }, answer: () => "" },
  sendinblue: { options: { apiKey: "k" }, answer: () => ({ messageId: "<1@example.com>" }) },
  sparkpost: {
    options: { apiKey: "k" },
    answer: () => ({
      results: { id: "1", total_accepted_recipients: 1, total_rejected_recipients: 0 },
    }),
  },
};

const FULL = {
  ...message,
  html: "<p>hello</p>",
  tags: ["bench"],
  metadata: { user: "42" },
  attachments: [{ filename: "a.txt", content: "attached" }],
};

export async function benchBuildRequests(): Promise<void> {
  const section = "send path: building each ESP's request (in-process fetch)";
  // baseline: the test ESP, i.e. the neutral normalization alone, with no request to build
  const neutral = createSender("test");
  const baseline = await opsPerSecond(() => {
    neutral.outbox.length = 0;
    return neutral.send({ ...FULL });
  }, 1000);
  record({
    section,
    name: "test ESP: normalization only (baseline)",
    value: baseline,
    unit: "msg/s",
  });
  for (const adapter of listAdapters()) {
    const setup = ESP_SETUP[adapter.name];
    if (!setup) continue;
    const fetch = async (_url: string, init: RequestInit) => {
      const body = setup.answer(String(init.body));
      const status = adapter.name === "sendgrid" ? 202 : 200;
      return new Response(typeof body === "string" ? body : JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json" },
      });
    };
    const sender = createSender(adapter.name, { ...setup.options, fetch, env: {} });
    const rate = await opsPerSecond(() => sender.send({ ...FULL }), 1000);
    record({
      section,
      name: adapter.displayName,
      value: rate,
      unit: "msg/s",
      ratio: rate / baseline,
    });
  }
}
