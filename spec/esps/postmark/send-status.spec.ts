// Postmark's answers → per-recipient statuses and errors. The answers copy the shapes and
// texts of Postmark's Email API responses; the statuses were checked against django-anymail 9.0.
import { expect } from "chai";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailRecipientsRefused,
} from "../../../lib/errors.js";
import { createSender } from "../../../lib/index.js";
import { adapter as postmark } from "../../../lib/esps/postmark/index.js";
import { OK, TOKEN, usePostmarkApi } from "./helpers.js";
import { rejectionOf } from "../../helpers/rejection.js";

const INACTIVE_TAIL =
  "Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.";

describe("Postmark send: recipient status", () => {
  const api = usePostmarkApi();
  const { send } = api;

  it("[PM-12][PM-14] every to, cc and bcc gets 'sent', keyed with the case given", async () => {
    api.server.respond(200, { ...OK, To: "Alice <alice@example.com>, bob@example.com" });
    const status = await send({
      to: ["Alice <Alice@Example.com>", "bob@example.com"],
      cc: "Carol@Example.COM",
      bcc: "dave@example.com",
    });
    const sent = { status: "sent", messageId: OK.MessageID };
    expect(status.recipients).to.deep.equal({
      "Alice@Example.com": sent,
      "bob@example.com": sent,
      "Carol@Example.COM": sent,
      "dave@example.com": sent,
    });
    expect(status.status).to.deep.equal(new Set(["sent"]));
  });

  it("#17.4 'accepted, but delivery may be delayed' (no ErrorCode) → queued with its MessageID", async () => {
    // Postmark's answer when a message stream is paused or throttled; django-anymail 15.1
    // (oracle) reports the recipients "queued" with that id
    api.server.respond(200, {
      To: "to@example.com",
      SubmittedAt: "2024-01-02T03:04:05Z",
      MessageID: "delayed-id",
      Message: "Message accepted, but delivery may be delayed.",
    });
    const status = await send({ cc: "cc@example.com" });
    expect(status.recipients).to.deep.equal({
      "to@example.com": { status: "queued", messageId: "delayed-id" },
      "cc@example.com": { status: "queued", messageId: "delayed-id" },
    });
    expect(status.messageId).to.equal("delayed-id");
    // the same words with ErrorCode 0, and in a batch answer, are read the same way
    api.server.respond(200, [
      {
        ...OK,
        To: "a@example.com",
        MessageID: "a1",
        Message: "Message accepted, but delivery may be delayed.",
      },
      { ...OK, To: "b@example.com", MessageID: "b1" },
    ]);
    const batch = await send({ to: ["a@example.com", "b@example.com"], mergeMetadata: {} });
    expect(batch.recipients).to.deep.equal({
      "a@example.com": { status: "queued", messageId: "a1" },
      "b@example.com": { status: "sent", messageId: "b1" },
    });
  });

  it("[PM-13] a message with only cc and bcc sends, and reports both", async () => {
    api.server.respond(200, { ...OK, To: undefined });
    const status = await send({ to: null, cc: "cc@example.com", bcc: "bcc@example.com" });
    expect(api.body()).to.not.have.property("To");
    expect(status.recipients["cc@example.com"].status).to.equal("sent");
    expect(status.recipients["bcc@example.com"].status).to.equal("sent");
  });

  it("[PM-15][PM-14] a partial refusal: inactive recipients 'rejected', the rest 'sent'", async () => {
    api.server.respond(200, {
      ...OK,
      To: "ok@example.com, Bob@Example.com",
      Message: `Message OK, but will not deliver to these inactive addresses: bob@example.com, carol@example.com. ${INACTIVE_TAIL}`,
    });
    const status = await send({
      to: ["ok@example.com", "Bob@Example.com"],
      cc: "Carol@example.com",
    });
    expect(status.recipients).to.deep.equal({
      "ok@example.com": { status: "sent", messageId: OK.MessageID },
      "Bob@Example.com": { status: "rejected", messageId: null },
      "Carol@example.com": { status: "rejected", messageId: null },
    });
  });

  it("[PM-15] every recipient inactive (406) → AnymailRecipientsRefused", async () => {
    api.server.respond(422, {
      ErrorCode: 406,
      Message: `You tried to send to recipient(s) that have been marked as inactive.\nFound inactive addresses: a@example.com, b@example.com.\n${INACTIVE_TAIL}`,
    });
    const error = await rejectionOf(send({ to: ["a@example.com", "B@example.com"] }));
    expect(error).to.be.instanceOf(AnymailRecipientsRefused);
    const status = await send(
      { to: ["a@example.com", "B@example.com"] },
      { ignoreRecipientStatus: true },
    );
    expect(status.recipients).to.deep.equal({
      "a@example.com": { status: "rejected", messageId: null },
      "B@example.com": { status: "rejected", messageId: null },
    });
    expect(status.messageId).to.equal(null);
  });

  it("[PM-15] a malformed recipient (300) → 'invalid'; alone, AnymailRecipientsRefused", async () => {
    api.server.respond(422, { ErrorCode: 300, Message: "Invalid 'To' address: 'bad@localhost'." });
    expect(await rejectionOf(send({ to: "bad@localhost" }))).to.be.instanceOf(
      AnymailRecipientsRefused,
    );
    const status = await send({ to: "bad@localhost" }, { ignoreRecipientStatus: true });
    expect(status.recipients).to.deep.equal({
      "bad@localhost": { status: "invalid", messageId: null },
    });
  });

  it("[PM-15] an invalid cc stops the whole message: the others are 'failed', not refused", async () => {
    api.server.respond(422, {
      ErrorCode: 300,
      Message: "Error parsing 'Cc': Illegal email domain 'nowhere' in address 'o'brien@nowhere'.",
    });
    const status = await send({ to: "to@example.com", cc: "o'brien@nowhere" });
    expect(status.recipients).to.deep.equal({
      "to@example.com": { status: "failed", messageId: null },
      "o'brien@nowhere": { status: "invalid", messageId: null },
    });
  });

  it("[PM-12] a batch with one refused message: each to gets its own status and id", async () => {
    api.server.respond(200, [
      { ...OK, To: "a@example.com", MessageID: "id-a" },
      {
        ErrorCode: 406,
        Message: `You tried to send to recipient(s) that have been marked as inactive.\nFound inactive addresses: b@example.com.\n${INACTIVE_TAIL}`,
      },
    ]);
    const status = await send({
      to: ["a@example.com", "b@example.com"],
      cc: "cc@example.com",
      templateId: 7,
      mergeData: { "a@example.com": { n: 1 }, "b@example.com": { n: 2 } },
    });
    expect(status.recipients).to.deep.equal({
      "a@example.com": { status: "sent", messageId: "id-a" },
      "b@example.com": { status: "rejected", messageId: null },
      "cc@example.com": { status: "sent", messageId: "id-a" },
    });
  });
});

describe("Postmark send: API errors", () => {
  const api = usePostmarkApi();
  const { send } = api;

  it("another Postmark error code → AnymailAPIError with Postmark's message", async () => {
    api.server.respond(422, {
      ErrorCode: 1101,
      Message: "The 'TemplateModel' is not valid: missing 'name'.",
    });
    const error = await rejectionOf(send({ templateId: 1 }));
    expect(error).to.be.instanceOf(AnymailAPIError).and.not.instanceOf(AnymailRecipientsRefused);
    expect((error as AnymailAPIError).message)
      .to.contain("1101")
      .and.contain("'TemplateModel' is not valid");
    expect((error as AnymailAPIError).statusCode).to.equal(422);
    expect((error as AnymailAPIError).espName).to.equal("Postmark");
  });

  it("a non-recipient 300 error (bad From) → AnymailAPIError", async () => {
    api.server.respond(422, { ErrorCode: 300, Message: "Invalid 'From' address: 'nobody'." });
    const error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as Error).message).to.contain("Invalid 'From' address");
  });

  it("a refusal naming no recipient of ours → AnymailAPIError, never a silent 'unknown'", async () => {
    api.server.respond(422, {
      ErrorCode: 406,
      Message: `Found inactive addresses: someone@else.example. ${INACTIVE_TAIL}`,
    });
    expect(await rejectionOf(send({}))).to.be.instanceOf(AnymailAPIError);
  });

  it("a bad token (401) → AnymailAPIError that never shows the token", async () => {
    api.server.respond(401, {
      ErrorCode: 10,
      Message:
        "The Server Token you provided in the X-Postmark-Server-Token request header was invalid.",
    });
    const error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as AnymailAPIError).statusCode).to.equal(401);
    expect(JSON.stringify(error) + String(error)).to.not.contain(TOKEN);
  });

  it("a success without JSON, or without a MessageID, → AnymailAPIError", async () => {
    api.server.respond(200, "<html>gateway</html>");
    expect(await rejectionOf(send({}))).to.be.instanceOf(AnymailAPIError);
    api.server.respond(200, { ErrorCode: 0, Message: "OK" });
    expect(await rejectionOf(send({}))).to.be.instanceOf(AnymailAPIError);
  });

  it("a server error (500) → AnymailAPIError", async () => {
    api.server.respond(500, "Internal Server Error");
    const error = await rejectionOf(send({}));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as AnymailAPIError).statusCode).to.equal(500);
  });
});

describe("Postmark send: configuration", () => {
  it("[PM-02] serverToken is required, and names its env vars", () => {
    let error: unknown;
    try {
      createSender("postmark", { env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AnymailConfigurationError);
    expect((error as Error).message)
      .to.contain("serverToken")
      .and.contain("ANYMAIL_POSTMARK_SERVER_TOKEN")
      .and.contain("POSTMARK_SERVER_TOKEN");
  });

  describe("Postmark send: settings from the environment", () => {
    const api = usePostmarkApi();
    const message = { from: "from@example.com", to: "to@example.com" };

    it("[PM-02] reads ANYMAIL_POSTMARK_SERVER_TOKEN first, then POSTMARK_SERVER_TOKEN", async () => {
      const env = { ANYMAIL_POSTMARK_API_URL: api.server.url, POSTMARK_SERVER_TOKEN: "bare" };
      await createSender("postmark", { env }).send(message);
      expect(api.server.last().headers["x-postmark-server-token"]).to.equal("bare");
      await createSender("postmark", {
        env: { ...env, ANYMAIL_POSTMARK_SERVER_TOKEN: "prefixed" },
      }).send(message);
      expect(api.server.last().headers["x-postmark-server-token"]).to.equal("prefixed");
    });

    it("[PM-04] apiUrl defaults to https://api.postmarkapp.com/", () => {
      expect(postmark.settings.apiUrl.default).to.equal("https://api.postmarkapp.com/");
    });
  });
});
