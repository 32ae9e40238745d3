// Mailtrap sending, end to end: createSender → real HTTP → the loopback capture server.
// Expected requests and statuses were checked against django-anymail 15.1 (the oracle).
import { expect } from "chai";
import { createSender, type CreateSenderOptions } from "../../../lib/index.js";
import { AnymailAPIError, AnymailUnsupportedFeature } from "../../../lib/errors.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { expectEachUnsupported } from "../../helpers/unsupported.js";

const TOKEN = "mailtrap-test-token-321";

describe("Mailtrap send", () => {
  const server = useCaptureServer(200, { success: true, message_ids: ["id-to"] });
  const sender = (options: CreateSenderOptions<"mailtrap"> = {}) =>
    createSender("mailtrap", { apiToken: TOKEN, apiUrl: server().url, env: {}, ...options });
  const send = (message: AnymailMessage, options: CreateSenderOptions<"mailtrap"> = {}) =>
    sender(options).send({ from: "from@example.com", to: "to@example.com", ...message });
  const body = () => server().last().json as Record<string, unknown>;

  it("posts to /send with the Api-Token header; one message id per recipient (to, cc, bcc)", async () => {
    server().respond(200, { success: true, message_ids: ["id-a", "id-b", "id-c", "id-d"] });
    const status = await send({
      from: "Från <from@example.com>",
      to: ["Alice <alice@example.com>", "bob@example.com"],
      cc: "carol@example.com",
      bcc: "dave@example.com",
      replyTo: "Rü <r@example.com>",
      subject: "Sübject",
      text: "text",
      html: "<p>html</p>",
      headers: { "X-Custom": "v" },
      tags: ["welcome"],
      metadata: { user: "ü", n: 1, ok: true, nested: { a: 1 } },
    });
    const request = server().last();
    expect(request.path).to.equal("/send");
    expect(request.headers["api-token"]).to.equal(TOKEN);
    expect(request.headers.accept).to.equal("application/json");
    expect(request.json).to.deep.equal({
      from: { email: "from@example.com", name: "Från" },
      to: [{ email: "alice@example.com", name: "Alice" }, { email: "bob@example.com" }],
      cc: [{ email: "carol@example.com" }],
      bcc: [{ email: "dave@example.com" }],
      reply_to: { email: "r@example.com", name: "Rü" },
      subject: "Sübject",
      headers: { "X-Custom": "v" },
      text: "text",
      html: "<p>html</p>",
      custom_variables: { user: "ü", n: "1", ok: "true", nested: '{"a":1}' },
      category: "welcome",
    });
    expect(status.recipients).to.deep.equal({
      "alice@example.com": { status: "queued", messageId: "id-a" },
      "bob@example.com": { status: "queued", messageId: "id-b" },
      "carol@example.com": { status: "queued", messageId: "id-c" },
      "dave@example.com": { status: "queued", messageId: "id-d" },
    });
  });

  it("several Reply-To go in a header Anymail encodes (RFC 2047 for non-ASCII names)", async () => {
    await send({ replyTo: ["Rü <r@example.com>", "s@example.com"] });
    expect(body().headers).to.deep.equal({
      "Reply-To": "=?UTF-8?B?UsO8?= <r@example.com>, s@example.com",
    });
    const error = await rejectionOf(send({ replyTo: ["jörg@exämple.com", "s@example.com"] }));
    expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
  });

  it("attachments: content, type, filename (a default for unnamed), inline with content_id", async () => {
    await send({
      attachments: [
        { filename: "ä.txt", content: "hi", contentType: "text/plain" },
        { content: Buffer.from("PNG"), contentType: "image/png", cid: "logo" },
      ],
    });
    expect(body().attachments).to.deep.equal([
      { content: "aGk=", type: "text/plain", filename: "ä.txt" },
      {
        content: "UE5H",
        type: "image/png",
        filename: "attachment",
        disposition: "inline",
        content_id: "logo",
      },
    ]);
  });

  it("batch: /batch with a base and one request per `to`, variables merged per recipient", async () => {
    server().respond(200, {
      success: true,
      responses: [
        { success: true, message_ids: ["m1", "m1cc"] },
        { success: false, errors: ["'to' address is invalid"] },
      ],
    });
    const status = await send({
      to: ["Alice <alice@example.com>", "bob@example.com"],
      cc: "carol@example.com",
      subject: "",
      templateId: "uuid-1",
      mergeGlobalData: { g: 1 },
      mergeData: { "alice@example.com": { name: "A" } },
      metadata: { a: 1 },
      mergeMetadata: { "bob@example.com": { c: "3" } },
      headers: { "X-Custom": "v" },
      mergeHeaders: { "bob@example.com": { "x-custom": "bob" } },
    });
    expect(server().last().path).to.equal("/batch");
    expect(server().last().json).to.deep.equal({
      base: {
        from: { email: "from@example.com" },
        headers: { "X-Custom": "v" },
        custom_variables: { a: "1" },
        template_uuid: "uuid-1",
        template_variables: { g: 1 },
      },
      requests: [
        {
          to: [{ email: "alice@example.com", name: "Alice" }],
          cc: [{ email: "carol@example.com" }],
          template_variables: { g: 1, name: "A" },
        },
        {
          to: [{ email: "bob@example.com" }],
          cc: [{ email: "carol@example.com" }],
          custom_variables: { a: "1", c: "3" },
          headers: { "x-custom": "bob" },
        },
      ],
    });
    expect(status.recipients).to.deep.equal({
      "alice@example.com": { status: "queued", messageId: "m1" },
      "bob@example.com": { status: "failed", messageId: null },
      "carol@example.com": { status: "failed", messageId: null },
    });
  });

  it("sandboxId: /send/<id> on the sandbox API; its one id applies to everyone", async () => {
    server().respond(200, { success: true, message_ids: ["sandbox-1"] });
    const status = await send({ cc: "c@example.com" }, { sandboxId: "12 34" });
    expect(server().last().path).to.equal("/send/12%2034");
    expect(status.recipients["c@example.com"]).to.deep.equal({
      status: "queued",
      messageId: "sandbox-1",
    });
  });

  it("the default API URL depends on sandboxId", async () => {
    const captured: string[] = [];
    const fetch = async (url: string) => {
      captured.push(url);
      return new Response(JSON.stringify({ success: true, message_ids: ["x"] }), {
        headers: { "content-type": "application/json" },
      });
    };
    for (const options of [{}, { sandboxId: "777" }]) {
      await createSender("mailtrap", { apiToken: TOKEN, env: {}, fetch, ...options }).send({
        from: "from@example.com",
        to: "to@example.com",
      });
    }
    expect(captured).to.deep.equal([
      "https://send.api.mailtrap.io/api/send",
      "https://sandbox.api.mailtrap.io/api/send/777",
    ]);
  });

  it("errors carry Mailtrap's own text; a 200 without success or with the wrong ids is an error", async () => {
    server().respond(401, { success: false, errors: ["Unauthorized"] });
    let error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(String(error)).to.include("Unauthorized");
    expect(String(error)).to.not.include(TOKEN);
    server().respond(200, { success: false, errors: ["something"] });
    expect(String(await rejectionOf(send({})))).to.match(/did not report success/);
    server().respond(200, { success: true, message_ids: ["only-one"] });
    error = await rejectionOf(send({ cc: "c@example.com" }));
    expect(String(error)).to.match(/expected 2 message_ids/);
  });

  it("raises AnymailUnsupportedFeature by name for what Mailtrap cannot do", async () => {
    const cases: [AnymailMessage, RegExp][] = [
      [{ tags: ["a", "b"] }, /multiple tags/],
      [{ trackOpens: true }, /trackOpens/],
      [{ trackClicks: true }, /trackClicks/],
      [{ sendAt: new Date() }, /sendAt/],
      [{ envelopeSender: "b@example.com" }, /envelopeSender/],
      [{ mergeData: { "to@example.com": { a: 1 } } }, /mergeData without a templateId/],
      [{ mergeGlobalData: { a: 1 } }, /mergeGlobalData without a templateId/],
      [{ alternatives: [{ content: "amp", contentType: "text/x-amp-html" }] }, /alternative/],
    ];
    await expectEachUnsupported(send, cases);
    expect(server().requests).to.have.length(0);
  });

  it("espExtra is deep-merged into the request", async () => {
    await send({ metadata: { a: 1 }, espExtra: { custom_variables: { b: "2" } } });
    expect(body().custom_variables).to.deep.equal({ a: "1", b: "2" });
  });
});
