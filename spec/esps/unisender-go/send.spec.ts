// Unisender Go sending, end to end: createSender → real HTTP → the loopback capture server.
// Expected requests and statuses were checked against django-anymail 15.1 (the oracle).
import { expect } from "chai";
import { createSender, type CreateSenderOptions } from "../../../lib/index.js";
import { AnymailAPIError, AnymailUnsupportedFeature } from "../../../lib/errors.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { expectEachUnsupported } from "../../helpers/unsupported.js";

const KEY = "unisender-test-api-key-42";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ok = (emails: string[], failed: Record<string, string> = {}) => ({
  status: "success",
  job_id: "1ZymBc-00041N-9X",
  emails,
  failed_emails: failed,
});

type Recipient = { email: string; substitutions?: object; metadata?: Record<string, unknown> };

describe("Unisender Go send", () => {
  const server = useCaptureServer(200, ok(["to@example.com"]));
  const sender = (options: CreateSenderOptions<"unisender_go"> = {}) =>
    createSender("unisender_go", {
      apiKey: KEY,
      apiUrl: `${server().url}/ru/transactional/api/v1`,
      env: {},
      ...options,
    });
  const send = (message: AnymailMessage, options: CreateSenderOptions<"unisender_go"> = {}) =>
    sender(options).send({ from: "from@example.com", to: "to@example.com", ...message });
  const sent = () => (server().last().json as { message: Record<string, unknown> }).message;

  it("posts { message } to email/send.json with X-API-KEY; each recipient its own UUID", async () => {
    server().respond(200, ok(["alice@example.com", "bob@example.com", "carol@example.com"]));
    const status = await send({
      from: "Från <from@example.com>",
      to: ['"Alice, Smith" <alice@example.com>', "bob@example.com"],
      cc: "Cärol <carol@example.com>",
      replyTo: "Rü (x) <r@example.com>",
      subject: "S",
      text: "text",
      html: "<p>h</p>",
      headers: { "X-Custom": "vü", "X-Plain": "v" },
      tags: ["t1"],
      metadata: { a: 1 },
      trackOpens: true,
      trackClicks: false,
      sendAt: new Date("2024-05-01T14:00:00+02:00"),
      attachments: [
        { filename: "a.txt", content: "hi", contentType: "text/plain" },
        { filename: "logo.png", content: Buffer.from("PNG"), cid: "logo" },
      ],
    });
    const request = server().last();
    expect(request.path).to.equal("/ru/transactional/api/v1/email/send.json");
    expect(request.headers["x-api-key"]).to.equal(KEY);
    expect(request.headers.accept).to.equal("application/json");
    const message = sent();
    const recipients = message.recipients as Recipient[];
    const ids = recipients.map((r) => r.metadata?.anymail_id as string);
    ids.forEach((id) => expect(id).to.match(UUID));
    expect(new Set(ids).size).to.equal(3);
    expect({
      ...message,
      recipients: recipients.map(({ metadata: _metadata, ...rest }) => rest),
    }).to.deep.equal({
      headers: {
        to: "=?UTF-8?B?QWxpY2UsIFNtaXRo?= <alice@example.com>, bob@example.com",
        cc: "=?UTF-8?B?Q8Okcm9s?= <carol@example.com>",
        "X-Custom": "=?UTF-8?B?dsO8?=",
        "X-Plain": "v",
      },
      recipients: [
        { email: "alice@example.com", substitutions: { to_name: "Alice, Smith" } },
        { email: "bob@example.com" },
        { email: "carol@example.com", substitutions: { to_name: "Cärol" } },
      ],
      from_email: "from@example.com",
      from_name: "Från",
      subject: "S",
      reply_to: "r@example.com",
      reply_to_name: "=?UTF-8?B?UsO8ICh4KQ==?=",
      body: { plaintext: "text", html: "<p>h</p>" },
      attachments: [{ content: "aGk=", type: "text/plain", name: "a.txt" }],
      inline_attachments: [{ content: "UE5H", type: "image/png", name: "logo" }],
      global_metadata: { a: 1 },
      options: { send_at: "2024-05-01 12:00:00" },
      tags: ["t1"],
      track_links: 0,
      track_read: 1,
    });
    expect(status.recipients["alice@example.com"]).to.deep.equal({
      status: "queued",
      messageId: ids[0],
    });
    expect(status.recipients["carol@example.com"]).to.deep.equal({
      status: "queued",
      messageId: ids[2],
    });
  });

  it("batch: substitutions and metadata per recipient, no To header; templates and amp", async () => {
    server().respond(200, ok(["alice@example.com", "bob@example.com"]));
    await send({
      to: ["Alice <alice@example.com>", "bob@example.com"],
      templateId: "tmpl",
      mergeGlobalData: { g: 1 },
      mergeData: { "alice@example.com": { name: "A" } },
      mergeMetadata: { "bob@example.com": { c: "3" } },
      mergeHeaders: { "bob@example.com": { "list-unsubscribe": "<https://example.com/u/bob>" } },
      alternatives: [{ content: "<html ⚡4email>amp</html>", contentType: "text/x-amp-html" }],
    });
    const message = sent();
    const recipients = message.recipients as Recipient[];
    expect(recipients[0]).to.deep.include({
      email: "alice@example.com",
      substitutions: { to_name: "Alice", name: "A" },
    });
    expect(recipients[1].substitutions).to.deep.equal({
      Header__List_Unsubscribe: "<https://example.com/u/bob>",
    });
    expect(recipients[1].metadata).to.include({ c: "3" });
    expect(recipients[1].metadata?.anymail_id).to.match(UUID);
    expect(message.headers).to.deep.equal({ "List-Unsubscribe": "{{Header__List_Unsubscribe}}" });
    expect(message).to.include({ template_id: "tmpl" });
    expect(message.global_substitutions).to.deep.equal({ g: 1 });
    expect(message.body).to.deep.equal({ amp: "<html ⚡4email>amp</html>" });
  });

  it("batch: cc and merge headers other than List-Unsubscribe are unsupported", async () => {
    let error = await rejectionOf(
      send({ cc: "c@example.com", mergeData: { "to@example.com": {} } }),
    );
    expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
    expect(String(error)).to.match(/cc with a batch send/);
    error = await rejectionOf(send({ mergeHeaders: { "to@example.com": { "X-Other": "1" } } }));
    expect(String(error)).to.match(/"X-Other" in mergeHeaders/);
    expect(server().requests).to.have.length(0);
  });

  it("failed_emails: invalid, rejected, failed; duplicates were sent once", async () => {
    server().respond(
      200,
      ok(["a@example.com", "dup@example.com"], {
        "dup@example.com": "duplicate",
        "bad@address": "invalid",
        "gone@example.com": "permanent_unavailable",
        "later@example.com": "temporary_unavailable",
        "unsub@example.com": "unsubscribed",
      }),
    );
    const status = await send({
      to: [
        "a@example.com",
        "dup@example.com",
        "gone@example.com",
        "later@example.com",
        "unsub@example.com",
      ],
    });
    expect(status.recipients["dup@example.com"].status).to.equal("queued");
    expect(status.recipients["bad@address"]).to.deep.equal({ status: "invalid", messageId: null });
    expect(status.recipients["gone@example.com"].status).to.equal("rejected");
    expect(status.recipients["later@example.com"].status).to.equal("failed");
    expect(status.recipients["unsub@example.com"].status).to.equal("rejected");
  });

  it("generateMessageId false: no anymail_id, the job_id is every recipient's message id", async () => {
    const status = await send({}, { generateMessageId: false });
    expect((sent().recipients as Recipient[])[0]).to.deep.equal({ email: "to@example.com" });
    expect(status.recipients["to@example.com"].messageId).to.equal("1ZymBc-00041N-9X");
  });

  it("errors carry Unisender Go's own text; a 200 that is not success is an error", async () => {
    server().respond(400, { status: "error", message: "Invalid from_email", code: 102 });
    const error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(String(error)).to.include("Invalid from_email");
    expect(String(error)).to.not.include(KEY);
    server().respond(200, { status: "error" });
    expect(String(await rejectionOf(send({})))).to.match(/unexpected answer/);
  });

  it("espExtra is deep-merged into the message", async () => {
    await send({
      trackOpens: true,
      espExtra: { options: { unsubscribe_url: "https://example.com/u" }, skip_unsubscribe: 1 },
    });
    expect(sent()).to.include({ skip_unsubscribe: 1, track_read: 1 });
    expect(sent().options).to.deep.equal({ unsubscribe_url: "https://example.com/u" });
  });

  it("raises AnymailUnsupportedFeature by name for what Unisender Go cannot do", async () => {
    const cases: [AnymailMessage, RegExp][] = [
      [{ replyTo: ["a@example.com", "b@example.com"] }, /multiple replyTo/],
      [{ envelopeSender: "b@example.com" }, /envelopeSender/],
      [
        { alternatives: [{ content: "x", contentType: "text/calendar" }] },
        /alternative part with type text\/calendar/,
      ],
    ];
    await expectEachUnsupported(send, cases);
  });
});
