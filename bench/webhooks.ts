/**
 * @module
 * Webhook throughput: the router handling realistic ESP webhooks vs a bare Express +
 * body-parser route that parses the same body and answers 200 (the ceiling), measured with
 * autocannon on loopback.
 */
import autocannon from "autocannon";
import bodyParser from "body-parser";
import express from "express";
import { createHmac, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AnymailEmitter } from "../lib/events/emitter.js";
import { findAdapter } from "../lib/esps/registry.js";
import { anymailRouter } from "../lib/middleware/router.js";
import { record } from "./lib.js";

const SECRET = "bench:bench-secret";
const AUTH = `Basic ${Buffer.from(SECRET).toString("base64")}`;
const SIGNING_KEY = "bench-mailgun-signing-key";

interface Case {
  name: string;
  esp: string;
  path: string;
  contentType: string;
  body: () => string;
  /** How the ceiling route parses the body. */
  ceiling: "json" | "form";
}

const sendgridBatch = JSON.stringify(
  Array.from({ length: 50 }, (_, i) => ({
    email: `user${i}@example.com`,
    timestamp: 1700000000 + i,
    event: ["processed", "delivered", "open", "click", "bounce"][i % 5],
    sg_event_id: `event-${i}`,
    sg_message_id: `msg-${i}.filter0001`,
    "smtp-id": `<msg-${i}@example.com>`,
    category: ["bench"],
    url: "https://example.com/",
    useragent: "Mozilla/5.0",
    reason: "550 5.1.1 unknown user",
    type: "bounce",
  })),
);

function mailgunSigned(): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = randomBytes(25).toString("hex");
  const signature = createHmac("sha256", SIGNING_KEY)
    .update(timestamp + token)
    .digest("hex");
  return JSON.stringify({
    signature: { timestamp, token, signature },
    "event-data": {
      event: "delivered",
      timestamp: Number(timestamp),
      id: token.slice(0, 22),
      recipient: "user@example.com",
      tags: ["bench"],
      "user-variables": { user_id: "42" },
      message: { headers: { "message-id": "bench@mg.example.com" } },
      "delivery-status": { code: 250, message: "OK" },
    },
  });
}

const postmarkInbound = JSON.stringify({
  FromFull: { Email: "sender@example.net", Name: "Sender" },
  ToFull: [{ Email: "inbound@example.com", Name: "" }],
  CcFull: [],
  Subject: "With a 1 MiB attachment",
  MessageID: "bench-inbound",
  Date: "Mon, 23 Nov 2026 10:00:00 +0000",
  TextBody: "See attached.",
  HtmlBody: "<p>See attached.</p>",
  Headers: [{ Name: "X-Spam-Status", Value: "No" }],
  Attachments: [
    {
      Name: "big.bin",
      Content: randomBytes(1024 * 1024).toString("base64"),
      ContentType: "application/octet-stream",
      ContentLength: 1048576,
    },
  ],
});

const CASES: Case[] = [
  {
    name: "SendGrid tracking batch of 50 events",
    esp: "sendgrid",
    path: "/anymail/sendgrid/tracking/",
    contentType: "application/json",
    body: () => sendgridBatch,
    ceiling: "json",
  },
  // a fresh token each request: the replay cache (when on) must not refuse it
  {
    name: "signed Mailgun tracking event",
    esp: "mailgun",
    path: "/anymail/mailgun/tracking/",
    contentType: "application/json",
    body: mailgunSigned,
    ceiling: "json",
  },
  {
    name: "Postmark inbound with a 1 MiB attachment",
    esp: "postmark",
    path: "/anymail/postmark/inbound/",
    contentType: "application/json",
    body: () => postmarkInbound,
    ceiling: "json",
  },
];

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function load(url: string, path: string, contentType: string, body: string, seconds: number) {
  const result = await autocannon({
    url: url + path,
    method: "POST",
    connections: 10,
    duration: seconds,
    // the load generator runs in its own thread, not on the server's event loop
    workers: 1,
    headers: { "content-type": contentType, authorization: AUTH },
    body,
  });
  const ok = result["2xx"];
  if (ok === 0 || result.non2xx > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx answers of ${ok + result.non2xx}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

export async function benchWebhooks(
  seconds = Number(process.env.BENCH_SECONDS ?? 5),
): Promise<void> {
  for (const c of CASES) {
    if (!findAdapter(c.esp)) {
      console.log(`(skipping ${c.name}: ${c.esp} is not registered)`);
      continue;
    }
    const ceilingApp = express();
    ceilingApp.post(c.path, bodyParser.json({ limit: "50mb", type: () => true }), (req, res) => {
      if (!req.body) throw new Error("no body");
      res.sendStatus(200);
    });
    const emitter = new AnymailEmitter();
    let events = 0;
    emitter.on("tracking", () => void events++);
    emitter.on("inbound", () => void events++);
    const routerApp = express();
    routerApp.use(
      "/anymail",
      anymailRouter({
        webhookSecret: SECRET,
        emitter,
        mailgun: { webhookSigningKey: SIGNING_KEY },
        logger: { warn() {}, error() {} },
      }),
    );

    const ceiling = await listen(ceilingApp);
    const ours = await listen(routerApp);
    try {
      // a fixed body per run: autocannon sends the same bytes each request (Mailgun's
      // signature stays valid; replay protection is off by default)
      const body = c.body();
      const base = await load(ceiling.url, c.path, c.contentType, body, seconds);
      const mine = await load(ours.url, c.path, c.contentType, body, seconds);
      if (events === 0) throw new Error(`${c.name}: no events emitted`);
      const section = `webhooks: ${c.name}`;
      record({
        section,
        name: "bare Express + body-parser (ceiling)",
        value: base.rps,
        unit: "req/s",
        note: `p50 ${base.p50} ms, p99 ${base.p99} ms`,
      });
      record({
        section,
        name: `anymailRouter (p50 ${mine.p50} ms, p99 ${mine.p99} ms; ceiling p50 ${base.p50}, p99 ${base.p99})`,
        value: mine.rps,
        unit: "req/s",
        ratio: mine.rps / base.rps,
        target: ">= 0.70",
      });
    } finally {
      ceiling.server.closeAllConnections();
      ceiling.server.close();
      ours.server.closeAllConnections();
      ours.server.close();
    }
  }
}
