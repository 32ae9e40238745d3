/**
 * @module
 * Webhook throughput: the router handling realistic ESP webhooks vs a bare Express route with
 * the matching body-parser (JSON, or urlencoded for Mandrill) that parses the same body and
 * answers 200 (the ceiling), measured with autocannon on loopback in alternating rounds; and
 * how the cost per event grows from a batch of 100 to one of 1000. Mandrill's urlencoded
 * parser leaves the events a string of JSON, so Mandrill's bare route also `JSON.parse`s that
 * field, as every other bare route's parser does with its body: the events as objects. The
 * full run also shows Mandrill against the urlencoded parser alone, without a target.
 */
import bodyParser from "body-parser";
import express from "express";
import { createHmac, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { computeSignature } from "../lib/esps/mandrill/signature.js";
import {
  QUICK,
  inRotatingRounds,
  median,
  pairedFigures,
  ratioSummary,
  record,
  type Paired,
} from "./lib.js";
import { loadgen } from "./loadgen.js";
import { shipped } from "./shipped.js";
import {
  webhookParts,
  type GrowthEsp,
  type TargetCase,
  type WebhookPart,
} from "./webhook-parts.js";

const { AnymailEmitter } =
  await shipped<typeof import("../lib/events/emitter.js")>("events/emitter.js");
const { findAdapter } = await shipped<typeof import("../lib/esps/registry.js")>("esps/registry.js");
const { anymailRouter } =
  await shipped<typeof import("../lib/middleware/router.js")>("middleware/router.js");

const SECRET = "bench:bench-secret";
const AUTH = `Basic ${Buffer.from(SECRET).toString("base64")}`;
const SIGNING_KEY = "bench-mailgun-signing-key";

const MANDRILL_KEY = "bench-mandrill-webhook-key";
const MANDRILL_URL = "https://bench.example.com/anymail/mandrill/tracking/";

const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 3));
const ROUNDS = QUICK ? 3 : 5;
/** The unrecorded run of each route before the rounds (none in `--quick`, for time). */
const WARM_SECONDS = QUICK ? 0 : 1;

interface Case {
  name: string;
  esp: string;
  path: string;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  /** How the ceiling route parses the body. */
  ceiling: "json" | "form";
  /**
   * Where the body parser leaves the events inside a field (Mandrill's form field of JSON):
   * what the bare route adds to hold them as objects, as the JSON parsers give them. The
   * parser alone is measured too, in the same rounds, and shown without a target.
   */
  eventsFromBody?: { label: string; parse: (body: Record<string, string>) => unknown };
  /** Events per request (for the per-event cost). */
  events: number;
}

function sendgridBatch(count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
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
}

function mailjetBatch(count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      event: ["sent", "open", "click", "bounce", "spam"][i % 5],
      time: 1433333949 + i,
      MessageID: 19421777835146490 + i * 7,
      Message_GUID: `1ab23cd4-e567-8901-2345-6789f0gh1i2j-${i}`,
      email: `user${i}@example.com`,
      mj_campaign_id: 7173,
      mj_contact_id: 320 + i,
      customcampaign: "",
      mj_message_id: String(19421777835146490 + i * 7),
      smtp_reply: "sent (250 2.0.0 OK)",
      CustomID: "helloworld",
      Payload: "",
      url: "https://example.com/",
      ip: "127.0.0.1",
      geo: "US",
      agent: "Mozilla/5.0",
      blocked: false,
      hard_bounce: false,
      error_related_to: "recipient",
      error: "user unknown",
    })),
  );
}

function mandrillBatch(count: number): { body: string; signature: string } {
  const events = JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      event: ["send", "open", "click", "hard_bounce", "deferral"][i % 5],
      _id: `mandrill-event-${i}`,
      ts: 1700000000 + i,
      url: "https://example.com/",
      msg: {
        _id: `message-${i}`,
        ts: 1700000000,
        email: `user${i}@example.com`,
        sender: "from@example.com",
        subject: "Bench",
        state: "sent",
        tags: ["bench"],
        metadata: { user_id: String(i) },
        opens: [],
        clicks: [],
      },
    })),
  );
  const fields = Object.assign(Object.create(null) as Record<string, string>, {
    mandrill_events: events,
  });
  return {
    body: new URLSearchParams({ mandrill_events: events }).toString(),
    signature: computeSignature(MANDRILL_KEY, MANDRILL_URL, fields),
  };
}

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

const postmarkInbound = () =>
  JSON.stringify({
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

const sendgridCase = (count: number): Case => ({
  name: `SendGrid tracking x${count}`,
  esp: "sendgrid",
  path: "/anymail/sendgrid/tracking/",
  contentType: "application/json",
  body: sendgridBatch(count),
  ceiling: "json",
  events: count,
});
const mailjetCase = (count: number): Case => ({
  name: `Mailjet tracking x${count}`,
  esp: "mailjet",
  path: "/anymail/mailjet/tracking/",
  contentType: "application/json",
  body: mailjetBatch(count),
  ceiling: "json",
  events: count,
});
function mandrillCase(count: number): Case {
  const { body, signature } = mandrillBatch(count);
  return {
    name: `Mandrill tracking x${count} (signed)`,
    esp: "mandrill",
    path: "/anymail/mandrill/tracking/",
    contentType: "application/x-www-form-urlencoded",
    body,
    headers: { "x-mandrill-signature": signature },
    ceiling: "form",
    eventsFromBody: {
      label: "JSON.parse of mandrill_events",
      parse: (form) => JSON.parse(form.mandrill_events),
    },
    events: count,
  };
}

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * One autocannon run: requests per second, and the server's CPU time per request
 * (`process.cpuUsage()` over the requests answered). The load generator is a process of its
 * own (`bench/loadgen.ts`), so this process's CPU time is the server's alone, its garbage
 * collector's threads included: what the route itself costs, however the two processes are
 * scheduled on the 2 cores.
 */
async function load(
  url: string,
  c: Case,
  seconds = SECONDS,
): Promise<{ rate: number; cpuUs: number }> {
  const cpuBefore = process.cpuUsage();
  // the load generator runs in its own process, not on the server's CPU time
  const result = await loadgen({
    url: url + c.path,
    method: "POST",
    connections: 10,
    duration: seconds,
    headers: { "content-type": c.contentType, authorization: AUTH, ...c.headers },
    body: c.body,
  });
  if (result.ok === 0 || result.non2xx > 0) {
    throw new Error(`${c.path}: ${result.non2xx} non-2xx answers of ${result.ok + result.non2xx}`);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { rate: result.rate, cpuUs: (cpu.user + cpu.system) / result.total };
}

/** A bare Express route: the body parser, optionally `then` on what it parsed, and 200. */
function ceilingApp(c: Case, then?: (body: Record<string, string>) => unknown): express.Express {
  const app = express();
  const parser =
    c.ceiling === "json"
      ? bodyParser.json({ limit: "50mb", type: () => true })
      : bodyParser.urlencoded({ limit: "50mb", extended: false, type: () => true });
  app.post(c.path, parser, (req, res) => {
    if (!req.body) throw new Error("no body");
    if (then && then(req.body as Record<string, string>) === undefined) throw new Error("empty");
    res.sendStatus(200);
  });
  return app;
}

/** One case against one ceiling: req/s paired round by round, and CPU time per request. */
interface Measured extends Paired {
  /** Median CPU time per request of each side (µs). */
  cpuUs: { ceiling: number; ours: number };
  /** Each round's CPU time per request of each side. */
  cpuRounds: { ceiling: number[]; ours: number[] };
  /** Requests per CPU second, ours over the ceiling's, round by round. */
  capacity: Pick<Paired, "ratio" | "spread">;
}

/**
 * Ceiling and router req/s for cases of one route (the same path: a growth measurement's
 * batch sizes), in rounds that each run every case on every server once, in an order that
 * rotates from round to round, so drift over the run reaches every case and both sides
 * alike. One router and one bare app serve all the cases, as one app serves every batch
 * size. For each case, one Measured per ceiling (the case's second, events-as-objects
 * ceiling when it has one).
 */
async function measure(
  cases: readonly Case[],
  rounds = ROUNDS,
  parserAlone = !QUICK,
): Promise<Measured[][]> {
  const [first] = cases;
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
      mandrill: { webhookKey: MANDRILL_KEY, webhookUrl: MANDRILL_URL },
      logger: { warn() {}, error() {} },
    }),
  );
  const ceilings = [await listen(ceilingApp(first, first.eventsFromBody?.parse))];
  if (first.eventsFromBody && parserAlone) ceilings.push(await listen(ceilingApp(first)));
  const servers = [...ceilings, await listen(routerApp)];
  const ours = servers.length - 1;
  // per case and server: each round's req/s and CPU time per request
  const rates = cases.map(() => servers.map(() => [] as number[]));
  const cpu = cases.map(() => servers.map(() => [] as number[]));
  const runs = cases.flatMap((c, ci) =>
    servers.map(({ url }, si) => async (warm = false) => {
      const { rate, cpuUs } = await load(url, c, warm ? WARM_SECONDS : SECONDS);
      if (warm) return;
      rates[ci][si].push(rate);
      cpu[ci][si].push(cpuUs);
    }),
  );
  try {
    // one unrecorded run of each first: the rounds then compare code the JIT has seen,
    // whichever side a round starts with
    if (WARM_SECONDS > 0) for (const run of runs) await run(true);
    await inRotatingRounds(runs, rounds);
    if (events === 0) throw new Error(`${first.name}: no events emitted`);
    return cases.map((_, ci) =>
      ceilings.map((_, i) => ({
        ...pairedFigures(rates[ci][i], rates[ci][ours]),
        cpuUs: { ceiling: median(cpu[ci][i]), ours: median(cpu[ci][ours]) },
        cpuRounds: { ceiling: cpu[ci][i], ours: cpu[ci][ours] },
        // requests per CPU second, ours over the ceiling's: the CPU times' inverse ratio
        capacity: ratioSummary(cpu[ci][ours].map((value, round) => cpu[ci][i][round] / value)),
      })),
    );
  } finally {
    for (const { server } of servers) {
      server.closeAllConnections();
      server.close();
    }
  }
}

/** The cases with a target, by part name (a fixed body each: autocannon resends its bytes). */
const TARGET_CASE_OF: Record<TargetCase, () => Case> = {
  "sendgrid-x50": () => sendgridCase(50),
  "mailjet-x50": () => mailjetCase(50),
  "mandrill-x50": () => mandrillCase(50),
  // Mailgun's signature stays valid for every resend: replay protection is off by default
  "mailgun-signed": () => ({
    name: "Mailgun signed tracking event",
    esp: "mailgun",
    path: "/anymail/mailgun/tracking/",
    contentType: "application/json",
    body: mailgunSigned(),
    ceiling: "json",
    events: 1,
  }),
  "postmark-inbound": () => ({
    name: "Postmark inbound, 1 MiB attachment",
    esp: "postmark",
    path: "/anymail/postmark/inbound/",
    contentType: "application/json",
    body: postmarkInbound(),
    ceiling: "json",
    events: 1,
  }),
};

const GROWTH_CASE_OF: Record<GrowthEsp, (count: number) => Case> = {
  mailjet: mailjetCase,
  sendgrid: sendgridCase,
  mandrill: mandrillCase,
};

/**
 * One part of the section (`bench/webhook-parts.ts`), or every part in turn in this process
 * when none is named. `bench/run.ts` runs each part in a process of its own.
 */
export async function benchWebhooks(part?: string): Promise<void> {
  for (const name of part ? [part] : webhookParts()) await benchPart(name as WebhookPart);
}

async function benchPart(part: WebhookPart): Promise<void> {
  // a part named on the command line's environment may be none of them
  if (!webhookParts(false).includes(part)) throw new Error(`unknown webhook part ${part}`);
  if (part.startsWith("growth:")) {
    return benchGrowth(GROWTH_CASE_OF[part.slice("growth:".length) as GrowthEsp]);
  }
  const c = TARGET_CASE_OF[part as TargetCase]();
  if (!findAdapter(c.esp)) return;
  const section = "webhooks: router vs bare Express + body parser";
  const [[result, parserAlone]] = await measure([c]);
  record({
    section,
    name: c.eventsFromBody ? `${c.name}, bare route + ${c.eventsFromBody.label}` : c.name,
    value: result.ours,
    baseline: result.baseline,
    unit: "req/s",
    ratio: result.ratio,
    spread: result.spread,
    target: ">= 0.90",
    holds: result.ratio >= 0.9,
  });
  record({
    section: "webhooks: the server's CPU time per request (same runs; no target)",
    name: `${c.name}: capacity (requests per CPU second), ours / bare`,
    value: result.cpuUs.ours,
    baseline: result.cpuUs.ceiling,
    unit: "µs/req",
    ...result.capacity,
  });
  if (parserAlone) {
    record({
      section,
      name: `${c.name} vs the body parser alone (the events left a string of JSON; no target)`,
      value: parserAlone.ours,
      baseline: parserAlone.baseline,
      unit: "req/s",
      ratio: parserAlone.ratio,
      spread: parserAlone.spread,
    });
  }
}

/** Per-event cost from 100 to 1000 events a batch, against the bare route's own growth. */
async function benchGrowth(make: (count: number) => Case): Promise<void> {
  const growthSection = "webhooks: per-event cost growth, 100 → 1000 events a batch";
  const rounds = QUICK ? 2 : ROUNDS;
  // against the bare route with the events as objects (the target rows' baseline), the three
  // sizes in the same rounds; a one-event batch gives each side's fixed cost per request
  const [[one], [small], [large]] = await measure([make(1), make(100), make(1000)], rounds, false);
  const name = make(1).name.replace(/ x1\b/, "");
  // a request's cost is its fixed cost plus n times the cost of one event; the server's CPU
  // time per request (what the route itself spends) without the one-event request's gives
  // the per-event cost at n: p(n) = (T(n) − T(1)) / (n − 1), and a route's growth is
  // p(1000) / p(100). Each round gives both routes' growth from its own six runs, so the
  // ratio is the median of those paired rounds, as every other row's, with their spread
  const perEvent = (t1: number, tn: number, n: number) => (tn - t1) / (n - 1);
  const growthIn = (side: "ours" | "ceiling", round: number) => {
    const [t1, t100, t1000] = [one, small, large].map((at) => at.cpuRounds[side][round]);
    return perEvent(t1, t1000, 1000) / perEvent(t1, t100, 100);
  };
  const roundIndexes = one.cpuRounds.ours.map((_, round) => round);
  const growth = pairedFigures(
    roundIndexes.map((round) => growthIn("ceiling", round)),
    roundIndexes.map((round) => growthIn("ours", round)),
  );
  const medianPerEvent = (side: "ours" | "ceiling", n: number, at: typeof small) =>
    perEvent(one.cpuUs[side], at.cpuUs[side], n);
  // the same ratio from each side's median T(n), the reading before per-round pairing: where
  // the two disagree, the rounds' spread is wider than the difference being measured
  const growthOfMedians = (side: "ours" | "ceiling") =>
    medianPerEvent(side, 1000, large) / medianPerEvent(side, 100, small);
  const fromMedians = growthOfMedians("ours") / growthOfMedians("ceiling");
  const shown = (side: "ours" | "ceiling", n: number, at: typeof small) =>
    medianPerEvent(side, n, at).toFixed(2);
  record({
    section: growthSection,
    name:
      `${name}: per-event cost without the fixed cost (ours ${shown("ours", 100, small)} → ` +
      `${shown("ours", 1000, large)} µs an event, bare ` +
      `${shown("ceiling", 100, small)} → ${shown("ceiling", 1000, large)}, from the medians, ` +
      `whose ratio is ${fromMedians.toFixed(2)}; fixed ${one.cpuUs.ours.toFixed(0)} and ` +
      `${one.cpuUs.ceiling.toFixed(0)} µs a request)`,
    // each side's growth, the median over rounds; the ratio is the median of the rounds' own
    value: growth.ours,
    baseline: growth.baseline,
    unit: "x",
    ratio: growth.ratio,
    spread: growth.spread,
    target: "<= 1.05 (grows no faster, within 5%)",
    holds: growth.ratio <= 1.05,
  });
  // the former reading, fixed cost included: cost per event ∝ 1 / (req/s × events), and
  // ours over the bare route is (ours / bare at 100) ÷ (ours / bare at 1000). A route with
  // a lower fixed cost than the bare one reads above 1 here at equal per-event cost (see
  // bench/README.md), so it is shown without a target
  record({
    section: growthSection,
    name: `${name}, fixed cost included (ours x100 ${small.ours.toFixed(0)}, x1000 ${large.ours.toFixed(1)} req/s; no target)`,
    value: (small.ours * 100) / (large.ours * 1000),
    baseline: (small.baseline * 100) / (large.baseline * 1000),
    unit: "x",
    ratio: small.ratio / large.ratio,
  });
}
