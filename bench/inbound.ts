/**
 * @module
 * Inbound MIME: a message with a 10 MiB attachment parsed into an AnymailInboundMessage vs
 * mailparser's own simpleParser on the same bytes (the baseline): time and peak memory.
 */
import { simpleParser } from "mailparser";
import { randomBytes } from "node:crypto";
import { AnymailInboundMessage } from "../lib/events/inbound-message.js";
import { record, timeAndPeak } from "./lib.js";

const ATTACHMENT_BYTES = 10 * 1024 * 1024;

export function bigMessage(): Buffer {
  const attachment = randomBytes(ATTACHMENT_BYTES).toString("base64").replace(/.{76}/g, "$&\r\n");
  return Buffer.from(
    [
      "From: Sender <sender@example.net>",
      "To: inbound@example.com",
      "Subject: A big one",
      "Date: Mon, 23 Nov 2026 10:00:00 +0000",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="big"',
      "",
      "--big",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "See attached.",
      "--big",
      'Content-Type: application/octet-stream; name="big.bin"',
      'Content-Disposition: attachment; filename="big.bin"',
      "Content-Transfer-Encoding: base64",
      "",
      attachment,
      "--big--",
      "",
    ].join("\r\n"),
  );
}

export async function benchInbound(rounds = 5): Promise<void> {
  const raw = bigMessage();
  const mib = raw.length / (1024 * 1024);
  const best = { ours: { ms: Infinity, peak: 0 }, theirs: { ms: Infinity, peak: 0 } };
  for (let i = 0; i < rounds; i++) {
    const theirs = await timeAndPeak(async () => {
      const parsed = await simpleParser(raw);
      if (parsed.attachments[0].content.length !== ATTACHMENT_BYTES) throw new Error("bad parse");
    });
    const ours = await timeAndPeak(async () => {
      const message = await AnymailInboundMessage.fromRaw(raw);
      if (message.attachments[0].getContentBytes().length !== ATTACHMENT_BYTES)
        throw new Error("bad parse");
    });
    best.theirs = {
      ms: Math.min(best.theirs.ms, theirs.ms),
      peak: Math.max(best.theirs.peak, theirs.peakBytes),
    };
    best.ours = {
      ms: Math.min(best.ours.ms, ours.ms),
      peak: Math.max(best.ours.peak, ours.peakBytes),
    };
  }
  const section = `inbound MIME (${mib.toFixed(1)} MiB message)`;
  record({
    section,
    name: "mailparser simpleParser (baseline), best time",
    value: best.theirs.ms,
    unit: "ms",
  });
  record({
    section,
    name: "AnymailInboundMessage.fromRaw, best time",
    value: best.ours.ms,
    unit: "ms",
    ratio: best.ours.ms / best.theirs.ms,
    target: "<= 1.3x",
  });
  record({
    section,
    name: "simpleParser peak RSS growth",
    value: best.theirs.peak / 2 ** 20,
    unit: "MiB",
  });
  record({
    section,
    name: "fromRaw peak RSS growth / message size",
    value: best.ours.peak / 2 ** 20,
    unit: "MiB",
    ratio: best.ours.peak / raw.length,
    target: "< 4x message size",
  });
}
