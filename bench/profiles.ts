/**
 * @module
 * Every HTTP ESP's send-kit profile (spec/kits/send): its createSender options for a given
 * server URL and its documented success answer, so the benchmarks send to each ESP alike.
 */
import type { HttpSendProfile } from "../spec/helpers/describe-http-send.js";
import { PROFILES } from "../spec/kits/send/index.js";

export { PROFILES };

/** A canned answer as the bytes and headers a server (or a transport) returns. */
export function answerOf(profile: HttpSendProfile, recipients: string[]) {
  const answer = profile.success(recipients);
  const body =
    typeof answer.body === "string" || Buffer.isBuffer(answer.body)
      ? answer.body
      : JSON.stringify(answer.body);
  return {
    status: answer.status,
    headers: { "content-type": "application/json", ...answer.headers },
    body: typeof body === "string" ? body : body.toString("utf8"),
  };
}

const RECIPIENTS = 100;

/** A full single message: both bodies, a tag, metadata, an attachment. */
export const FULL = {
  from: "Bench Sender <from@example.com>",
  to: ["Bench Recipient <to@example.com>"],
  subject: "Bench",
  text: "hello",
  html: "<p>hello</p>",
  tags: ["bench"],
  metadata: { user: "42" },
  attachments: [{ filename: "a.txt", content: "attached", contentType: "text/plain" }],
};

export const BATCH_TO = Array.from({ length: RECIPIENTS }, (_, i) => `user${i}@example.com`);

/** A 100-recipient batch: one message per recipient through mergeData. */
export const BATCH = {
  from: "from@example.com",
  to: BATCH_TO,
  subject: "Hello {{name}}",
  text: "Hi {{name}}, your code is {{code}}.",
  html: "<p>Hi {{name}}, your code is {{code}}.</p>",
  mergeData: Object.fromEntries(
    BATCH_TO.map((to, i) => [to, { name: `User ${i}`, code: String(100000 + i) }]),
  ),
  mergeGlobalData: { company: "Example" },
};
