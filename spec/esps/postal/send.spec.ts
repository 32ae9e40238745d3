// Postal sending, end to end: createSender → real HTTP → the loopback capture server.
// Expected requests and statuses were checked against django-anymail 15.1 (the oracle).
import { expect } from "chai";
import { createSender, type CreateSenderOptions } from "../../../lib/index.js";
import { AnymailAPIError, AnymailConfigurationError } from "../../../lib/errors.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { expectEachUnsupported } from "../../helpers/unsupported.js";

const KEY = "postal-test-server-key-654";

/** Postal's answer to an accepted message (Postal API docs: send/message). */
function accepted(addresses: string[]) {
  return {
    status: "success",
    time: 0.12,
    flags: {},
    data: {
      message_id: "b3c4f7d1-7b5e-4f7a-9f0e-2c1c4b8b8d3e@rp.postal.example.com",
      messages: Object.fromEntries(
        addresses.map((a, i) => [a, { id: 1000 + i, token: `tok${i}` }]),
      ),
    },
  };
}

describe("Postal send", () => {
  const server = useCaptureServer(200, accepted(["to@example.com"]));
  const sender = (options: CreateSenderOptions<"postal"> = {}) =>
    createSender("postal", { apiKey: KEY, apiUrl: server().url, env: {}, ...options });
  const send = (message: AnymailMessage, options: CreateSenderOptions<"postal"> = {}) =>
    sender(options).send({ from: "from@example.com", to: "to@example.com", ...message });
  const body = () => server().last().json as Record<string, unknown>;

  it("posts to /api/v1/send/message with X-Server-API-Key; one id per recipient", async () => {
    server().respond(
      200,
      accepted(["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"]),
    );
    const status = await send({
      from: "Från <from@example.com>",
      to: ["Alice <Alice@Example.com>", "bob@example.com"],
      cc: "carol@example.com",
      bcc: "dave@example.com",
      replyTo: "r@example.com",
      subject: "Sübject",
      text: "text",
      html: "<p>html</p>",
      headers: { "X-Custom": "v" },
      tags: ["welcome"],
      envelopeSender: "bounces@example.com",
      attachments: [{ filename: "ä.txt", content: "hi", contentType: "text/plain" }],
    });
    const request = server().last();
    expect(request.path).to.equal("/api/v1/send/message");
    expect(request.headers["x-server-api-key"]).to.equal(KEY);
    expect(request.headers.accept).to.equal("application/json");
    expect(request.json).to.deep.equal({
      from: "Från <from@example.com>",
      sender: "bounces@example.com",
      to: ["Alice <Alice@Example.com>", "bob@example.com"],
      cc: ["carol@example.com"],
      bcc: ["dave@example.com"],
      reply_to: "r@example.com",
      subject: "Sübject",
      tag: "welcome",
      plain_body: "text",
      html_body: "<p>html</p>",
      headers: { "X-Custom": "v" },
      attachments: [{ name: "ä.txt", content_type: "text/plain", data: "aGk=" }],
    });
    expect(status.recipients).to.deep.equal({
      "Alice@Example.com": { status: "queued", messageId: "1000" },
      "bob@example.com": { status: "queued", messageId: "1001" },
      "carol@example.com": { status: "queued", messageId: "1002" },
      "dave@example.com": { status: "queued", messageId: "1003" },
    });
  });

  it("apiUrl is required (no hosted Postal), with or without a trailing slash", async () => {
    expect(() => createSender("postal", { apiKey: KEY, env: {} })).to.throw(
      AnymailConfigurationError,
      /apiUrl/,
    );
    await send({}, { apiUrl: `${server().url}/` });
    expect(server().last().path).to.equal("/api/v1/send/message");
  });

  it("Postal's errors (HTTP 200 with an error status) carry its code and message", async () => {
    server().respond(200, {
      status: "parameter-error",
      time: 0.01,
      flags: {},
      data: {
        code: "UnauthenticatedFromAddress",
        message: "The From address is not authorised to send mail from this server",
      },
    });
    const error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(String(error)).to.include(
      "UnauthenticatedFromAddress: The From address is not authorised",
    );
    expect(String(error)).to.not.include(KEY);
    server().respond(500, "Internal Server Error");
    expect(String(await rejectionOf(send({})))).to.include("500");
  });

  it("a recipient missing from Postal's answer is unknown, not an error", async () => {
    server().respond(200, accepted(["to@example.com"]));
    const status = await send({ cc: "cc@example.com" });
    expect(status.recipients["cc@example.com"]).to.deep.equal({
      status: "unknown",
      messageId: null,
    });
  });

  it("espExtra is merged into the request (e.g. bounce)", async () => {
    await send({ espExtra: { bounce: true } });
    expect(body().bounce).to.equal(true);
  });

  it("raises AnymailUnsupportedFeature by name for what Postal cannot do", async () => {
    const cases: [AnymailMessage, RegExp][] = [
      [{ tags: ["a", "b"] }, /multiple tags/],
      [{ replyTo: ["a@example.com", "b@example.com"] }, /multiple replyTo/],
      [{ metadata: { a: 1 } }, /metadata/],
      [{ trackOpens: true }, /trackOpens/],
      [{ sendAt: new Date() }, /sendAt/],
      [{ templateId: "t" }, /templateId/],
      [{ mergeData: { "to@example.com": {} } }, /mergeData/],
      [{ attachments: [{ filename: "logo.png", content: "PNG", cid: "logo" }] }, /inline images/],
    ];
    await expectEachUnsupported(send, cases);
    expect(server().requests).to.have.length(0);
  });
});
