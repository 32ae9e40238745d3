/**
 * @module
 * End to end on loopback: each HTTP ESP's sender sending to a local server that answers as
 * the ESP would, 16 sends in flight, vs hand-written code doing the same on an undici pool, 16
 * in flight: the request the sender sent (as the server received it) hand-built afresh each
 * time (bench/hand.ts: payload objects + `JSON.stringify`, or multipart written by hand),
 * `undici.request` POSTing it, the answer read and `JSON.parse`d. A second, informational row
 * per ESP (full run only) replays the captured bytes instead (no building at all: the
 * transport alone). For the ESPs with an official SDK in bench/sdks.ts, a third row: that SDK
 * sending the same message to the same server, 16 in flight (the server counts requests, so
 * every SDK send is checked to have reached it).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { shipped } from "./shipped.js";
import { FULL, PROFILES, answerOf } from "./profiles.js";
import { QUICK, paired, pairedWith, record } from "./lib.js";
import { handBuilder, readAnswer } from "./hand.js";
import { OFFICIAL_SDKS } from "./sdks.js";

const { createSender } =
  await shipped<typeof import("../lib/sender/sender.js")>("sender/sender.js");

const CONCURRENCY = 16;
// several short rounds rather than a few long ones: a burst of load elsewhere spoils one
// round and the median passes over it
const SENDS = QUICK ? 600 : 2000;
const ROUNDS = QUICK ? 4 : 7;
// both sides run until the JIT has settled: a short warm-up favours the baseline, whose
// undici code is already hot from the ESPs before while this ESP's code is fresh
const WARM_UP = QUICK ? 1000 : 3000;
// the SDKs are five times slower: fewer sends give rounds of a similar length
const SDK_SENDS = QUICK ? 200 : 500;

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
      const build = await handBuilder({ ...sent, url: url + sent.path });
      const check = (status: number, text: string) => {
        if (status !== answer.status) throw new Error(`${status} ${text}`);
      };
      const hand = async () => {
        const built = build();
        const res = await request(built.url, {
          method: built.method as "POST",
          headers: built.headers,
          body: built.body,
          dispatcher: agent,
        });
        const text = await res.body.text();
        check(res.statusCode, text);
        readAnswer(text);
      };
      const replay = async () => {
        const res = await request(url + sent.path, {
          method: sent.method as "POST",
          headers,
          body: sent.body,
          dispatcher: agent,
        });
        check(res.statusCode, await res.body.text());
      };
      const ours = () => sender.send(FULL);
      // --quick measures the target's baseline only
      const baselines = QUICK ? [hand] : [hand, replay];
      for (const fn of [...baselines, ours]) await rate(fn, WARM_UP);
      const [result, replayed] = await pairedWith(
        baselines.map((fn) => () => rate(fn)),
        () => rate(ours),
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
      if (replayed) {
        record({
          section,
          name: `${profile.esp} vs replaying the captured bytes (the transport alone, no target)`,
          value: replayed.ours,
          baseline: replayed.baseline,
          unit: "send/s",
          ratio: replayed.ratio,
          spread: replayed.spread,
        });
      }
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
        await rate(sdk.send, SDK_SENDS);
        const sdkResult = await paired(
          () => rate(sdk.send, SDK_SENDS),
          () => rate(ours, SDK_SENDS),
          ROUNDS,
        );
        // every send of either side reached the server
        const expected = SDK_SENDS + 2 * ROUNDS * SDK_SENDS;
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
