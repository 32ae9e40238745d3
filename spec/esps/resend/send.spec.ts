// Resend sending, end to end: createSender → real HTTP → the loopback capture server.
// Expected requests and statuses were checked against django-anymail 15.1 (the oracle).
import { expect } from "chai";
import { createSender, type CreateSenderOptions } from "../../../lib/index.js";
import { AnymailAPIError, AnymailUnsupportedFeature } from "../../../lib/errors.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { expectEachUnsupported } from "../../helpers/unsupported.js";

const API_KEY = "re_test_api_key_123";
const ID = "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794";

describe("Resend send", () => {
  const server = useCaptureServer(200, { id: ID });
  const sender = (options: CreateSenderOptions<"resend"> = {}) =>
    createSender("resend", { apiKey: API_KEY, apiUrl: server().url, env: {}, ...options });
  const send = (message: AnymailMessage, options: CreateSenderOptions<"resend"> = {}) =>
    sender(options).send({ from: "from@example.com", to: "to@example.com", ...message });
  const body = () => server().last().json as Record<string, unknown>;

  it("posts the message as JSON to /emails with the API key as a bearer token", async () => {
    const status = await send({
      from: "Från <from@example.com>",
      to: ["Alice <alice@example.com>", "bob@example.com"],
      cc: "carol@example.com",
      bcc: "dave@example.com",
      replyTo: "r@example.com",
      subject: "Sübject",
      text: "text",
      html: "<p>html</p>",
      headers: { "X-Custom": "v", "X-Number": 42 },
    });
    const request = server().last();
    expect(request.method).to.equal("POST");
    expect(request.path).to.equal("/emails");
    expect(request.headers.authorization).to.equal(`Bearer ${API_KEY}`);
    expect(request.headers["content-type"]).to.equal("application/json");
    expect(request.headers.accept).to.equal("application/json");
    expect(request.headers["user-agent"]).to.match(/^anymail\/\S+ \(resend\)$/);
    expect(request.json).to.deep.equal({
      from: "Från <from@example.com>",
      to: ["Alice <alice@example.com>", "bob@example.com"],
      cc: ["carol@example.com"],
      bcc: ["dave@example.com"],
      reply_to: ["r@example.com"],
      subject: "Sübject",
      headers: { "X-Custom": "v", "X-Number": "42" },
      text: "text",
      html: "<p>html</p>",
    });
    expect(status.status).to.deep.equal(new Set(["queued"]));
    expect(status.messageId).to.equal(ID);
    for (const address of ["alice@example.com", "bob@example.com", "carol@example.com"]) {
      expect(status.recipients[address]).to.deep.equal({ status: "queued", messageId: ID });
    }
  });

  it("sends metadata and tags as JSON X-Metadata / X-Tags headers, and scheduled_at", async () => {
    await send({
      metadata: { user: "ü", n: 1 },
      tags: ["t1", "t2"],
      sendAt: new Date("2024-05-01T12:00:00Z"),
    });
    expect(body().headers).to.deep.equal({
      "X-Metadata": '{"user":"ü","n":1}',
      "X-Tags": '["t1","t2"]',
    });
    expect(body().scheduled_at).to.equal("2024-05-01T12:00:00Z");
    await send({ sendAt: new Date("2024-05-01T12:00:00.250Z") });
    expect(body().scheduled_at).to.equal("2024-05-01T12:00:00.250Z");
  });

  it("sends attachments base64 with their type, and inline images with content_id", async () => {
    await send({
      html: '<img src="cid:logo">',
      attachments: [
        { filename: "ä.txt", content: "hi ☺", contentType: "text/plain" },
        { filename: "logo.png", content: Buffer.from("PNG"), cid: "logo" },
        { content: Buffer.from("%PDF"), contentType: "application/pdf" },
      ],
    });
    expect(body().attachments).to.deep.equal([
      {
        content: Buffer.from("hi ☺").toString("base64"),
        filename: "ä.txt",
        content_type: "text/plain",
      },
      { content: "UE5H", filename: "logo.png", content_type: "image/png", content_id: "logo" },
      { content: "JVBERg==", filename: "attachment.pdf", content_type: "application/pdf" },
    ]);
  });

  it("refuses attachments Resend would silently drop (name vs type, unnamed unknown type)", async () => {
    const mismatch = await rejectionOf(
      send({ attachments: [{ filename: "a.pdf", content: "x", contentType: "text/plain" }] }),
    );
    expect(mismatch).to.be.instanceOf(AnymailUnsupportedFeature);
    expect(String(mismatch)).to.match(/attachments of type text\/plain with name "a\.pdf"/);
    const unnamed = await rejectionOf(
      send({ attachments: [{ content: "x", contentType: "application/x-anymail-unknown" }] }),
    );
    expect(String(unnamed)).to.match(/unnamed attachments of type application\/x-anymail-unknown/);
    expect(server().requests).to.have.length(0);
    // the check can be turned off, as in django-anymail (RESEND_VERIFY_ATTACHMENT_EXTENSIONS)
    await send(
      { attachments: [{ filename: "a.pdf", content: "x", contentType: "text/plain" }] },
      { verifyAttachmentExtensions: false },
    );
    expect((body().attachments as unknown[]).length).to.equal(1);
  });

  it("raises AnymailUnsupportedFeature by name for what Resend cannot do", async () => {
    const cases: [AnymailMessage, RegExp][] = [
      [{ trackOpens: true }, /trackOpens/],
      [{ trackClicks: false }, /trackClicks/],
      [{ templateId: "welcome" }, /templateId/],
      [{ mergeGlobalData: { a: 1 } }, /mergeGlobalData/],
      [{ envelopeSender: "bounce@example.com" }, /envelopeSender/],
      [{ mergeData: { "to@example.com": { name: "A" } } }, /mergeData/],
      [{ alternatives: [{ content: "amp", contentType: "text/x-amp-html" }] }, /alternative/],
    ];
    await expectEachUnsupported(send, cases);
    expect(server().requests).to.have.length(0);
  });

  it("batch: one email per `to` on /emails/batch, metadata merged per recipient", async () => {
    server().respond(200, { data: [{ id: "id-1" }, { id: "id-2" }] });
    const status = await send({
      to: ["Alice <alice@example.com>", "bob@example.com"],
      cc: "carol@example.com",
      subject: "S",
      text: "text",
      headers: { "X-Custom": "v" },
      metadata: { a: 1 },
      mergeData: {},
      mergeMetadata: { "alice@example.com": { b: 2 } },
      mergeHeaders: { "bob@example.com": { "x-custom": "bob" } },
    });
    expect(server().last().path).to.equal("/emails/batch");
    const common = {
      from: "from@example.com",
      cc: ["carol@example.com"],
      subject: "S",
      text: "text",
    };
    expect(server().last().json).to.deep.equal([
      {
        ...common,
        to: ["Alice <alice@example.com>"],
        headers: { "X-Custom": "v", "X-Metadata": '{"a":1,"b":2}' },
      },
      {
        ...common,
        to: ["bob@example.com"],
        headers: { "X-Metadata": '{"a":1}', "x-custom": "bob" },
      },
    ]);
    expect(status.recipients).to.deep.equal({
      "alice@example.com": { status: "queued", messageId: "id-1" },
      "bob@example.com": { status: "queued", messageId: "id-2" },
      "carol@example.com": { status: "queued", messageId: null },
    });
  });

  it("batch: attachments and sendAt are refused (Resend's batch endpoint takes neither)", async () => {
    const error = await rejectionOf(
      send({
        mergeMetadata: { "to@example.com": {} },
        attachments: [{ filename: "a.txt", content: "x" }],
      }),
    );
    expect(String(error)).to.match(/attachments in a batch send/);
    const late = await rejectionOf(
      send({ mergeMetadata: { "to@example.com": {} }, sendAt: new Date("2030-01-01T00:00:00Z") }),
    );
    expect(String(late)).to.match(/sendAt in a batch send/);
    expect(server().requests).to.have.length(0);
  });

  it("merges espExtra into the request (e.g. Resend's own tags)", async () => {
    await send({ espExtra: { tags: [{ name: "category", value: "welcome" }] } });
    expect(body().tags).to.deep.equal([{ name: "category", value: "welcome" }]);
  });

  it("errors carry Resend's own text and status", async () => {
    server().respond(422, {
      statusCode: 422,
      name: "validation_error",
      message:
        "Invalid `to` field. The email address needs to follow the `email@example.com` format.",
    });
    const error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as AnymailAPIError).statusCode).to.equal(422);
    expect(String(error)).to.include("Invalid `to` field");
    expect(String(error)).to.not.include(API_KEY);
  });

  it("a 2xx answer without an id is an AnymailAPIError naming what is missing", async () => {
    server().respond(200, { ok: true });
    expect(String(await rejectionOf(send({})))).to.match(/no id in Resend's answer/);
    server().respond(200, { data: [{ id: "only-one" }] });
    const batch = send({ to: ["a@example.com", "b@example.com"], mergeMetadata: {} });
    expect(String(await rejectionOf(batch))).to.match(/no id for every message/);
  });

  it("reads apiKey from RESEND_API_KEY and ANYMAIL_RESEND_API_KEY", async () => {
    for (const env of [{ RESEND_API_KEY: "re_bare" }, { ANYMAIL_RESEND_API_KEY: "re_bare" }]) {
      await createSender("resend", { apiUrl: server().url, env }).send({
        from: "from@example.com",
        to: "to@example.com",
      });
      expect(server().last().headers.authorization).to.equal("Bearer re_bare");
    }
  });
});
