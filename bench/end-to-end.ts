/**
 * @module
 * End to end on loopback: each HTTP ESP's sender sending to a local server that answers as
 * the ESP would, 16 sends in flight, vs a hand-written `undici.request` POST of the very same
 * bytes (url, headers, body captured from the sender) on an undici pool, 16 in flight. For the
 * ESPs with an official SDK in bench/sdks.ts, a second row: that SDK sending the same message to
 * the same server, 16 in flight (the server counts requests, so every SDK send is checked to
 * have reached it).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { shipped } from "./shipped.js";
import { FULL, PROFILES, answerOf } from "./profiles.js";
import { QUICK, paired, record } from "./lib.js";
import { OFFICIAL_SDKS } from "./sdks.js";

const { createSender } =
  await shipped<typeof import("../lib/sender/sender.js")>("sender/sender.js");

const CONCURRENCY = 16;
const SENDS = QUICK ? 300 : 1500;
const ROUNDS = QUICK ? 3 : 5;

/** Runs `count` calls of `fn`, `CONCURRENCY` at a time; returns calls per second. */
async function rate(fn: () => Promise<unknown>, count = SENDS): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < count) await fn();
    }),
  );
  return (count * 1000) / (performance.now() - start);
}

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

async function startServer(answer: ReturnType<typeof answerOf>) {
  let capture: Captured | null = null;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      requests++;
      if (capture === null) {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === "string") headers[name] = value;
        }
        capture = {
          method: req.method ?? "POST",
          path: req.url ?? "/",
          headers,
          body: Buffer.concat(chunks),
        };
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    url,
    captured: () => capture,
    /** Captures the next request again. */
    recapture: () => void (capture = null),
    requests: () => requests,
  };
}

export async function benchEndToEnd(): Promise<void> {
  const section = `end to end: loopback, ${CONCURRENCY} in flight, single full message`;
  for (const profile of PROFILES) {
    const answer = answerOf(profile, ["to@example.com"]);
    const { server, url, captured, recapture, requests } = await startServer(answer);
    const sender = createSender(profile.esp, {
      ...profile.options(url),
      env: {},
      ignoreUnsupportedFeatures: true,
    } as never);
    const agent = new Agent({ keepAliveTimeout: 30_000 });
    try {
      await sender.send(FULL);
      const sent = captured();
      if (!sent) throw new Error(`${profile.esp}: nothing reached the server`);
      const { host: _host, connection: _connection, ...headers } = sent.headers;
      const hand = async () => {
        const res = await request(url + sent.path, {
          method: sent.method as "POST",
          headers,
          body: sent.body,
          dispatcher: agent,
        });
        const text = await res.body.text();
        if (res.statusCode !== answer.status) throw new Error(`${res.statusCode} ${text}`);
      };
      // warm-up: connections, JIT
      await rate(hand, 100);
      await rate(() => sender.send(FULL), 100);
      const result = await paired(
        () => rate(hand),
        () => rate(() => sender.send(FULL)),
        ROUNDS,
      );
      record({
        section,
        name: profile.esp,
        value: result.ours,
        baseline: result.baseline,
        unit: "send/s",
        ratio: result.ratio,
        spread: result.spread,
        target: ">= 0.80",
        holds: result.ratio >= 0.8,
      });
      const sdk = await OFFICIAL_SDKS[profile.esp]?.(url);
      if (sdk) {
        recapture();
        await sdk.send();
        const theirs = captured();
        const body = theirs?.body.toString("utf8") ?? "";
        const missing = sdk.expect.filter((text) => !body.includes(text));
        if (theirs?.method !== sent.method || theirs.path !== sent.path || missing.length) {
          throw new Error(
            `${sdk.label}: sent ${theirs?.method} ${theirs?.path} (ours ${sent.method} ` +
              `${sent.path}), missing ${missing.join(", ") || "nothing"}`,
          );
        }
        const before = requests();
        await rate(sdk.send, 100);
        const sdkResult = await paired(
          () => rate(sdk.send),
          () => rate(() => sender.send(FULL)),
          ROUNDS,
        );
        // every send of either side reached the server
        const expected = 100 + 2 * ROUNDS * SENDS;
        if (requests() - before !== expected) {
          throw new Error(`${sdk.label}: ${requests() - before} requests, ${expected} sent`);
        }
        record({
          section,
          name: `${profile.esp} vs official SDK (${sdk.label})`,
          value: sdkResult.ours,
          baseline: sdkResult.baseline,
          unit: "send/s",
          ratio: sdkResult.ratio,
          spread: sdkResult.spread,
          target: ">= 1",
          holds: sdkResult.ratio >= 1,
        });
      }
    } finally {
      await sender.close();
      await agent.close();
      server.closeAllConnections();
      server.close();
    }
  }
}
