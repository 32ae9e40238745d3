/**
 * @module
 * Request building, no network: each HTTP ESP's whole send path (defaults, normalization,
 * feature checks, the ESP's request, the answer's parsing) through the documented in-process
 * `transport` option, vs a hand-built request for the same payload: the same object graph
 * allocated afresh and `JSON.stringify`d (for Mailgun, the same multipart fields written by
 * hand into one buffer), and the ESP's answer `JSON.parse`d. A single full message, and a
 * 100-recipient mergeData batch.
 */
import { randomBytes } from "node:crypto";
import { shipped } from "./shipped.js";
import { parseMultipart } from "../lib/util/multipart.js";
import type { TransportRequest } from "../lib/sender/http.js";
import { BATCH, BATCH_TO, FULL, PROFILES, answerOf } from "./profiles.js";
import { QUICK, opsPerSecond, paired, record } from "./lib.js";

const { createSender } =
  await shipped<typeof import("../lib/sender/sender.js")>("sender/sender.js");

const ROUNDS = QUICK ? 3 : 7;
const MS = QUICK ? 150 : 500;

/** A hand-written mapping allocates the payload's objects and arrays afresh each time. */
function rebuild(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebuild);
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const key in value) copy[key] = rebuild((value as Record<string, unknown>)[key]);
    return copy;
  }
  return value;
}

type Field = [name: string, value: string | { name: string; type: string; bytes: Buffer }];

/** multipart/form-data written by hand: the baseline for a form body. */
function handMultipart(fields: readonly Field[]): { boundary: string; body: Buffer } {
  const boundary = `----bench${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    if (typeof value === "string") {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        ),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.name}"\r\nContent-Type: ${value.type}\r\n\r\n`,
        ),
        value.bytes,
        Buffer.from("\r\n"),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, body: Buffer.concat(chunks) };
}

/** The request body as the wire would carry it (a FormData is encoded, as undici would). */
async function wireBytes(body: TransportRequest["body"]): Promise<number> {
  if (body instanceof FormData) return (await new Response(body).arrayBuffer()).byteLength;
  return body === undefined ? 0 : body.length;
}

/**
 * The captured requests of one send, turned into a function that hand-builds them again and
 * reads the ESP's answer to each, as any client must to learn the message ids: `JSON.parse`
 * of the answer's text, no checks.
 */
async function handBuilt(requests: TransportRequest[], answerText: string): Promise<() => number> {
  const readAnswer = answerText.trim() ? () => (JSON.parse(answerText) === null ? 0 : 1) : () => 0;
  const builders: Array<() => number> = [];
  for (const request of requests) {
    const { url, method } = request;
    const headerPairs = Object.entries(request.headers);
    const headers = () => Object.fromEntries(headerPairs);
    const contentType = Object.entries(request.headers).find(
      ([name]) => name.toLowerCase() === "content-type",
    )?.[1];
    const multipart = /^multipart\/form-data/i.test(contentType ?? "");
    if (request.body instanceof FormData || multipart) {
      const fields: Field[] = [];
      if (request.body instanceof FormData) {
        for (const [name, value] of request.body.entries()) {
          fields.push([
            name,
            typeof value === "string"
              ? value
              : {
                  name: value.name,
                  type: value.type,
                  bytes: Buffer.from(await value.arrayBuffer()),
                },
          ]);
        }
      } else {
        for (const part of await parseMultipart(Buffer.from(request.body ?? ""), contentType)) {
          fields.push([
            part.name,
            part.filename === null
              ? part.content.toString("utf8")
              : { name: part.filename, type: part.contentType, bytes: part.content },
          ]);
        }
      }
      builders.push(() => {
        const { boundary, body } = handMultipart(fields.map(([n, v]) => [n, v]));
        const h = headers();
        h["content-type"] = `multipart/form-data; boundary=${boundary}`;
        return body.length + url.length + method.length + Object.keys(h).length;
      });
    } else {
      const payload = JSON.parse(String(request.body)) as unknown;
      builders.push(() => {
        const body = JSON.stringify(rebuild(payload));
        return body.length + url.length + method.length + Object.keys(headers()).length;
      });
    }
  }
  return () => builders.reduce((total, build) => total + build() + readAnswer(), 0);
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
