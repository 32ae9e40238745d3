// Scaleway TEM sending, end to end: createSender → real HTTP → the loopback capture server.
// Expected requests and statuses were checked against django-anymail 15.1 (the oracle).
import { expect } from "chai";
import { createSender, type CreateSenderOptions } from "../../../lib/index.js";
import { AnymailAPIError, AnymailConfigurationError } from "../../../lib/errors.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { expectEachUnsupported } from "../../helpers/unsupported.js";
import { webhookApp } from "../../helpers/webhooks.js";

const SECRET = "scw-test-secret-key-0000";
const PROJECT = "11111111-2222-4333-8444-555555555555";

/** Scaleway's CreateEmail answer: one email per recipient (API reference, v1alpha1). */
const emailFor = (rcpt: string, id: string, status = "sending") => ({
  id,
  message_id: `msg-${id}`,
  project_id: PROJECT,
  mail_from: "from@example.com",
  mail_rcpt: rcpt,
  rcpt_to: rcpt,
  rcpt_type: "to",
  subject: "S",
  created_at: "2024-05-01T12:00:00Z",
  updated_at: "2024-05-01T12:00:00Z",
  status,
  try_count: 0,
  last_tries: [],
  flags: [],
});

describe("Scaleway TEM send", () => {
  const server = useCaptureServer(200, { emails: [emailFor("to@example.com", "e0")] });
  const sender = (options: CreateSenderOptions<"scaleway"> = {}) =>
    createSender("scaleway", {
      secretKey: SECRET,
      projectId: PROJECT,
      apiUrl: `${server().url}/transactional-email/v1alpha1/regions/{region}/`,
      env: {},
      ...options,
    });
  const send = (message: AnymailMessage, options: CreateSenderOptions<"scaleway"> = {}) =>
    sender(options).send({ from: "from@example.com", to: "to@example.com", ...message });
  const body = () => server().last().json as Record<string, unknown>;

  it("posts to /regions/<region>/emails with X-Auth-Token and the project id", async () => {
    server().respond(200, {
      emails: [emailFor("alice@example.com", "e1"), emailFor("carol@example.com", "e2", "new")],
    });
    const status = await send({
      from: "Från <from@example.com>",
      to: "Alice <alice@example.com>",
      cc: "carol@example.com",
      replyTo: ["Rü <r@example.com>", "s@example.com"],
      subject: "S",
      text: "text",
      html: "<p>h</p>",
      headers: { "X-Custom": "v" },
      tags: ["t1"],
      metadata: { a: 1 },
      attachments: [{ filename: "ä.txt", content: "hi", contentType: "text/plain" }],
    });
    const request = server().last();
    expect(request.path).to.equal("/transactional-email/v1alpha1/regions/fr-par/emails");
    expect(request.headers["x-auth-token"]).to.equal(SECRET);
    expect(request.json).to.deep.equal({
      project_id: PROJECT,
      from: { email: "from@example.com", name: "Från" },
      to: [{ email: "alice@example.com", name: "Alice" }],
      cc: [{ email: "carol@example.com" }],
      subject: "S",
      text: "text",
      html: "<p>h</p>",
      attachments: [{ name: "ä.txt", type: "text/plain", content: "aGk=" }],
      additional_headers: [
        { key: "Reply-To", value: "=?UTF-8?B?UsO8?= <r@example.com>, s@example.com" },
        { key: "X-Custom", value: "v" },
        { key: "X-Metadata", value: '{"a":1}' },
        { key: "X-Tags", value: '["t1"]' },
      ],
    });
    expect(status.recipients).to.deep.equal({
      "alice@example.com": { status: "queued", messageId: "e1" },
      "carol@example.com": { status: "queued", messageId: "e2" },
    });
  });

  it("the region goes into the API URL template; projectId and secretKey are required", async () => {
    await send({}, { region: "nl-ams" });
    expect(server().last().path).to.equal("/transactional-email/v1alpha1/regions/nl-ams/emails");
    expect(() => createSender("scaleway", { secretKey: SECRET, env: {} })).to.throw(
      AnymailConfigurationError,
      /projectId/,
    );
    await createSender("scaleway", {
      projectId: PROJECT,
      apiUrl: `${server().url}/r/{region}`,
      env: { SCALEWAY_SECRET_KEY: "scw-bare", ANYMAIL_SCALEWAY_REGION: "pl-waw" },
    }).send({ from: "from@example.com", to: "to@example.com" });
    expect(server().last().path).to.equal("/r/pl-waw/emails");
    expect(server().last().headers["x-auth-token"]).to.equal("scw-bare");
  });

  it("maps each email's status (sent, failed, canceled, unknown)", async () => {
    server().respond(200, {
      emails: [
        emailFor("a@example.com", "1", "sent"),
        emailFor("b@example.com", "2", "failed"),
        emailFor("c@example.com", "3", "canceled"),
        emailFor("d@example.com", "4", "something-new"),
      ],
    });
    const status = await send({
      to: ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com"],
    });
    expect(Object.values(status.recipients).map((r) => r.status)).to.deep.equal([
      "sent",
      "failed",
      "failed",
      "unknown",
      "unknown",
    ]);
  });

  it("errors carry Scaleway's own text; a 2xx without emails is an error", async () => {
    server().respond(400, {
      details: [
        { argument_name: "from.email", reason: "constraint", help_message: "domain not found" },
      ],
      message: "invalid argument(s)",
      type: "invalid_arguments",
    });
    const error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(String(error)).to.include("invalid argument(s)");
    expect(String(error)).to.not.include(SECRET);
    server().respond(200, {});
    expect(String(await rejectionOf(send({})))).to.match(/no emails/);
  });

  it("raises AnymailUnsupportedFeature by name for what Scaleway cannot do", async () => {
    const cases: [AnymailMessage, RegExp][] = [
      [{ to: "jörg@example.com" }, /EAI.*to/],
      [{ replyTo: "jörg@example.com" }, /EAI.*replyTo/],
      [{ attachments: [{ filename: "logo.png", content: "PNG", cid: "logo" }] }, /inline images/],
      [{ trackOpens: true }, /trackOpens/],
      [{ sendAt: new Date() }, /sendAt/],
      [{ templateId: "t" }, /templateId/],
      [{ mergeMetadata: { "to@example.com": {} } }, /mergeMetadata/],
      [{ envelopeSender: "b@example.com" }, /envelopeSender/],
    ];
    await expectEachUnsupported(send, cases);
    expect(server().requests).to.have.length(0);
    // an international domain is fine (sent as its A-label); only the local part is the problem
    await send({ to: "to@exämple.com" });
    expect(body().to).to.deep.equal([{ email: "to@xn--exmple-cua.com" }]);
  });

  it("has no webhooks: its inbound URL answers 404", async () => {
    const res = await webhookApp().post("/scaleway/inbound/").send({});
    expect(res.status).to.equal(404);
  });
});
