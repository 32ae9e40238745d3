/**
 * @module
 * Inbound MIME: a message with a 10 MiB attachment parsed into an AnymailInboundMessage vs
 * mailparser's own simpleParser on the same bytes (the baseline): time and peak memory.
 */
import { simpleParser } from "mailparser";
import { randomBytes } from "node:crypto";
import { QUICK, median, record, timeAndPeak } from "./lib.js";
import { shipped } from "./shipped.js";

const { AnymailInboundMessage } = await shipped<typeof import("../lib/events/inbound-message.js")>(
  "events/inbound-message.js",
);

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

export async function benchInbound(rounds = QUICK ? 3 : 7): Promise<void> {
  const raw = bigMessage();
  const mib = raw.length / (1024 * 1024);
  const theirs: { ms: number; peak: number }[] = [];
  const ours: { ms: number; peak: number }[] = [];
  const mailparser = async () => {
    const parsed = await simpleParser(raw);
    if (parsed.attachments[0].content.length !== ATTACHMENT_BYTES) throw new Error("bad parse");
  };
  const anymail = async () => {
    const message = await AnymailInboundMessage.fromRaw(raw);
    if (message.attachments[0].getContentBytes().length !== ATTACHMENT_BYTES)
      throw new Error("bad parse");
  };
  await mailparser(); // warm-up (and the lazy load of mailparser inside fromRaw)
  await anymail();
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 ? [anymail, mailparser] : [mailparser, anymail];
    for (const run of order) {
      const { ms, peakBytes } = await timeAndPeak(run);
      (run === anymail ? ours : theirs).push({ ms, peak: peakBytes });
    }
  }
  const section = `inbound MIME (${mib.toFixed(1)} MiB message, ${rounds} rounds)`;
  const ratios = ours.map((o, i) => o.ms / theirs[i].ms);
  const ratio = median(ratios);
  record({
    section,
    name: "AnymailInboundMessage.fromRaw vs mailparser simpleParser: time",
    value: median(ours.map((o) => o.ms)),
    baseline: median(theirs.map((t) => t.ms)),
    unit: "ms",
    ratio,
    spread: [Math.min(...ratios), Math.max(...ratios)],
    target: "<= 1.1",
    holds: ratio <= 1.1,
  });
  // a round's RSS growth can be 0 (the heap had room): compare the medians, not per round
  const oursPeak = median(ours.map((o) => o.peak));
  const theirsPeak = median(theirs.map((t) => t.peak));
  const peakRatio = oursPeak / Math.max(theirsPeak, 1);
  record({
    section,
    name: "peak RSS growth",
    value: oursPeak / 2 ** 20,
    baseline: theirsPeak / 2 ** 20,
    unit: "MiB",
    ratio: peakRatio,
    target: "< 1 (below mailparser's)",
    holds: peakRatio < 1,
  });
}
