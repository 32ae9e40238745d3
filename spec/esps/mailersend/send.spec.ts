// MailerSend sending, end to end: createSender → real HTTP → the loopback capture server.
// Expected requests and statuses were checked against django-anymail 15.1 (the oracle).
import { expect } from "chai";
import { createSender, type CreateSenderOptions } from "../../../lib/index.js";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailUnsupportedFeature,
} from "../../../lib/errors.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { expectEachUnsupported } from "../../helpers/unsupported.js";

const TOKEN = "mlsn.test-api-token-789";
/** MailerSend's answer to an accepted send: 202, empty body, the id in X-Message-Id. */
const ACCEPTED = [
  202,
  "",
  { "x-message-id": "63ad4f5e2f4e6d6c1d0a1b2c", "content-type": "text/html; charset=UTF-8" },
] as const;

describe("MailerSend send", () => {
  const server = useCaptureServer(202, "");
  beforeEach(() => server().respond(...ACCEPTED));
  const sender = (options: CreateSenderOptions<"mailersend"> = {}) =>
    createSender("mailersend", { apiToken: TOKEN, apiUrl: server().url, env: {}, ...options });
  const send = (message: AnymailMessage, options: CreateSenderOptions<"mailersend"> = {}) =>
    sender(options).send({ from: "from@example.com", to: "to@example.com", ...message });
  const body = () => server().last().json as Record<string, unknown>;

  it("posts the message to /email with the token; addresses as {email, name}", async () => {
    const status = await send({
      from: "Från <from@example.com>",
      to: "Alice <alice@example.com>",
      cc: "carol@example.com",
      bcc: "Dave <dave@example.com>",
      replyTo: "r@example.com",
      subject: "Sübject",
      text: "text",
      html: "<p>html</p>",
      headers: { "X-Custom": "v", "In-Reply-To": "<a@b>", Precedence: "bulk" },
      tags: ["t1", "t2"],
      sendAt: new Date("2024-05-01T12:00:00.900Z"),
      trackOpens: true,
      trackClicks: false,
    });
    const request = server().last();
    expect(request.path).to.equal("/email");
    expect(request.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(request.headers.accept).to.equal("application/json");
    expect(request.headers["content-type"]).to.equal("application/json");
    expect(request.json).to.deep.equal({
      from: { email: "from@example.com", name: "Från" },
      to: [{ email: "alice@example.com", name: "Alice" }],
      cc: [{ email: "carol@example.com" }],
      bcc: [{ email: "dave@example.com", name: "Dave" }],
      subject: "Sübject",
      reply_to: { email: "r@example.com" },
      in_reply_to: "<a@b>",
      precedence_bulk: true,
      headers: [{ name: "X-Custom", value: "v" }],
      text: "text",
      html: "<p>html</p>",
      send_at: 1714564800,
      tags: ["t1", "t2"],
      settings: { track_clicks: false, track_opens: true },
    });
    expect(status.messageId).to.equal("63ad4f5e2f4e6d6c1d0a1b2c");
    expect(status.recipients["dave@example.com"]).to.deep.equal({
      status: "queued",
      messageId: "63ad4f5e2f4e6d6c1d0a1b2c",
    });
  });

  it("attachments: base64 with disposition; inline ones carry the cid; unnamed get a name", async () => {
    await send({
      attachments: [
        { filename: "ä.txt", content: "hi", contentType: "text/plain" },
        { content: Buffer.from("PNG"), contentType: "image/png", cid: "logo" },
      ],
    });
    expect(body().attachments).to.deep.equal([
      { filename: "ä.txt", content: "aGk=", disposition: "attachment" },
      { filename: "attachment.png", content: "UE5H", disposition: "inline", id: "logo" },
    ]);
  });

  it("templates and merge data: personalization per `to`, global data overlaid", async () => {
    await send({ templateId: "tmpl", mergeGlobalData: { g: 1, name: "all" } });
    expect(body()).to.include({ template_id: "tmpl" });
    expect(body().personalization).to.deep.equal([
      { email: "to@example.com", data: { g: 1, name: "all" } },
    ]);
    await send({ mergeData: { "to@example.com": { name: "Alice" } }, mergeGlobalData: { g: 1 } });
    expect(server().last().path).to.equal("/email"); // one `to`: no batch mode needed
    expect(body().personalization).to.deep.equal([
      { email: "to@example.com", data: { g: 1, name: "Alice" } },
    ]);
  });

  it("a batch to several `to` needs batchSendMode, even when ignoring unsupported features", async () => {
    const message = {
      to: ["a@example.com", "b@example.com"],
      mergeData: { "a@example.com": { x: 1 } },
    };
    for (const options of [{}, { ignoreUnsupportedFeatures: true }]) {
      const error = await rejectionOf(send(message, options));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(String(error)).to.match(/batchSendMode/);
    }
    expect(server().requests).to.have.length(0);
  });

  it('batchSendMode "expose-to-list": one /email with everyone in To', async () => {
    await send(
      { to: ["a@example.com", "b@example.com"], mergeData: { "a@example.com": { x: 1 } } },
      { batchSendMode: "expose-to-list" },
    );
    expect(server().last().path).to.equal("/email");
    expect(body().to).to.deep.equal([{ email: "a@example.com" }, { email: "b@example.com" }]);
    expect(body().personalization).to.deep.equal([
      { email: "a@example.com", data: { x: 1 } },
      { email: "b@example.com", data: {} },
    ]);
  });

  it('batchSendMode "use-bulk-email": one email per `to` on /bulk-email; status unknown, id "bulk:…"', async () => {
    server().respond(202, {
      message: "The bulk email is being processed.",
      bulk_email_id: "614470d1588b866d0454f3e2",
    });
    const status = await send(
      {
        to: ["a@example.com", "b@example.com"],
        cc: "c@example.com",
        mergeData: { "a@example.com": { x: 1 } },
      },
      { env: { ANYMAIL_MAILERSEND_BATCH_SEND_MODE: "use-bulk-email" } },
    );
    expect(server().last().path).to.equal("/bulk-email");
    expect(server().last().json).to.deep.equal([
      {
        from: { email: "from@example.com" },
        to: [{ email: "a@example.com" }],
        cc: [{ email: "c@example.com" }],
        personalization: [{ email: "a@example.com", data: { x: 1 } }],
      },
      {
        from: { email: "from@example.com" },
        to: [{ email: "b@example.com" }],
        cc: [{ email: "c@example.com" }],
        personalization: [{ email: "b@example.com", data: {} }],
      },
    ]);
    expect(status.recipients["b@example.com"]).to.deep.equal({
      status: "unknown",
      messageId: "bulk:614470d1588b866d0454f3e2",
    });
    expect(status.recipients["c@example.com"].status).to.equal("unknown");
  });

  it("espExtra is deep-merged; api_token and batch_send_mode are Anymail's keys", async () => {
    await send({
      trackOpens: true,
      espExtra: {
        settings: { track_content: true },
        api_token: "mlsn.other",
        precedence_bulk: false,
      },
    });
    expect(body().settings).to.deep.equal({ track_opens: true, track_content: true });
    expect(body()).to.not.have.property("api_token");
    expect(server().last().headers.authorization).to.equal("Bearer mlsn.other");
    await send({
      to: ["a@example.com", "b@example.com"],
      mergeData: {},
      espExtra: { batch_send_mode: "expose-to-list" },
    });
    expect(server().last().path).to.equal("/email");
    expect(body()).to.not.have.property("batch_send_mode");
  });

  it("suppressed recipients are rejected; all suppressed: the rest failed, no id", async () => {
    const someSuppressed = {
      message: "There are some warnings for your request.",
      warnings: [
        {
          type: "SOME_SUPPRESSED",
          warning: "Some of the recipients have been suppressed.",
          recipients: [{ email: "Bad@Example.com", name: "Bad", reasons: ["hard_bounced"] }],
        },
      ],
    };
    server().respond(202, someSuppressed, { "x-message-id": "msg-2" });
    let status = await send({ to: ["good@example.com", "bad@example.com"] });
    expect(status.recipients).to.deep.equal({
      "good@example.com": { status: "queued", messageId: "msg-2" },
      "bad@example.com": { status: "rejected", messageId: null },
    });
    server().respond(202, {
      ...someSuppressed,
      warnings: [{ ...someSuppressed.warnings[0], type: "ALL_SUPPRESSED" }],
    });
    status = await send({ to: ["bad@example.com"], cc: "other@example.com" });
    expect(status.recipients).to.deep.equal({
      "bad@example.com": { status: "rejected", messageId: null },
      "other@example.com": { status: "failed", messageId: null },
    });
  });

  it("any other warning, and any error, is an AnymailAPIError with MailerSend's text", async () => {
    server().respond(
      202,
      { warnings: [{ type: "SOMETHING_NEW", warning: "Look at this" }] },
      { "x-message-id": "m" },
    );
    expect(String(await rejectionOf(send({})))).to.include("Look at this");
    server().respond(422, {
      message: "The from.email must be verified.",
      errors: {
        "from.email": [
          "The from.email domain must be verified in your account to send emails. #MS42207",
        ],
      },
    });
    const error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as AnymailAPIError).statusCode).to.equal(422);
    expect(String(error)).to.include("#MS42207");
    expect(String(error)).to.not.include(TOKEN);
  });

  it("raises AnymailUnsupportedFeature by name for what MailerSend cannot do", async () => {
    const cases: [AnymailMessage, RegExp][] = [
      [{ metadata: { a: 1 } }, /metadata/],
      [{ mergeMetadata: { "to@example.com": { a: 1 } } }, /mergeMetadata/],
      [{ mergeHeaders: { "to@example.com": { "X-A": "1" } } }, /mergeHeaders/],
      [{ envelopeSender: "bounce@example.com" }, /envelopeSender/],
      [{ replyTo: ["a@example.com", "b@example.com"] }, /multiple replyTo/],
      [{ alternatives: [{ content: "amp", contentType: "text/x-amp-html" }] }, /alternative/],
    ];
    await expectEachUnsupported(send, cases);
    expect(server().requests).to.have.length(0);
  });

  it("settings: apiToken from MAILERSEND_API_TOKEN; a bad batchSendMode is a configuration error", async () => {
    await createSender("mailersend", {
      apiUrl: server().url,
      env: { MAILERSEND_API_TOKEN: "mlsn.bare" },
    }).send({
      from: "from@example.com",
      to: "to@example.com",
    });
    expect(server().last().headers.authorization).to.equal("Bearer mlsn.bare");
    expect(() =>
      createSender("mailersend", {
        apiToken: TOKEN,
        env: { ANYMAIL_MAILERSEND_BATCH_SEND_MODE: "sometimes" },
      }),
    ).to.throw(AnymailConfigurationError, /batchSendMode.*"use-bulk-email"/);
  });
});
