/**
 * @module
 * Request building, no network: each HTTP ESP's whole send path (defaults, normalization,
 * feature checks, the ESP's request, the answer's parsing) through the documented in-process
 * `transport` option, vs the same request hand-built (bench/hand.ts). A single full message,
 * and a 100-recipient mergeData batch.
 */
import { shipped } from "./shipped.js";
import { handBuilder, readAnswer } from "./hand.js";
import type { TransportRequest } from "../lib/sender/http.js";
import { BATCH, BATCH_TO, FULL, PROFILES, answerOf } from "./profiles.js";
import { QUICK, opsPerSecond, paired, record } from "./lib.js";

const { createSender } =
  await shipped<typeof import("../lib/sender/sender.js")>("sender/sender.js");

const ROUNDS = QUICK ? 3 : 7;
const MS = QUICK ? 100 : 500;

/** The request body as the wire would carry it (a FormData is encoded, as undici would). */
async function wireBytes(body: TransportRequest["body"]): Promise<number> {
  if (body instanceof FormData) return (await new Response(body).arrayBuffer()).byteLength;
  return body === undefined ? 0 : body.length;
}

/** The captured requests of one send, hand-built again, and the ESP's answer to each read. */
async function handBuilt(requests: TransportRequest[], answerText: string): Promise<() => number> {
  const builders = await Promise.all(requests.map(handBuilder));
  return () =>
    builders.reduce((total, build) => {
      const { url, method, headers, body } = build();
      return (
        total +
        body.length +
        url.length +
        method.length +
        Object.keys(headers).length +
        readAnswer(answerText)
      );
    }, 0);
}

export async function benchBuildRequests(): Promise<void> {
  for (const [kind, message, recipients] of [
    ["single full message", FULL, ["to@example.com"]],
    [`${BATCH_TO.length}-recipient mergeData batch`, BATCH, BATCH_TO],
  ] as const) {
    for (const profile of PROFILES) {
      const answer = answerOf(profile, [...recipients]);
      let captured: TransportRequest[] | null = [];
      let sink = 0;
      const sender = createSender(profile.esp, {
        ...profile.options("https://api.bench.invalid"),
        env: {},
        // what an ESP cannot do is dropped, so every ESP builds a request for each message
        ignoreUnsupportedFeatures: true,
        transport: async (request: TransportRequest) => {
          captured?.push(request);
          sink += await wireBytes(request.body);
          return answer;
        },
      });
      const section = `build: ${kind}`;
      try {
        await sender.send(structuredClone(message));
      } catch (error) {
        record({
          section,
          name: `${profile.esp}: skipped (${(error as Error).message.slice(0, 80)})`,
          value: 0,
          unit: "",
        });
        continue;
      }
      const requests = captured;
      captured = null;
      const hand = await handBuilt(requests, answer.body);
      await opsPerSecond(() => sender.send(message), MS); // JIT warm-up of this ESP's path
      const result = await paired(
        () => opsPerSecond(() => void (sink += hand()), MS),
        () => opsPerSecond(() => sender.send(message), MS),
        ROUNDS,
      );
      const target = profile.esp === "mailgun" ? 0.15 : 0.25;
      record({
        section,
        name: `${profile.esp} (${requests.length} request${requests.length > 1 ? "s" : ""}/send)`,
        value: result.ours,
        baseline: result.baseline,
        unit: "send/s",
        ratio: result.ratio,
        spread: result.spread,
        target: `>= ${target}`,
        holds: result.ratio >= target,
      });
      if (sink < 0) console.log(sink); // keeps the work observable
    }
  }
}
