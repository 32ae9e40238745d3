import { expect } from "chai";
import * as anymail from "../../lib/index.js";
import { createSender } from "../../lib/index.js";
import { startCaptureServer, type CaptureServer } from "../helpers/capture-server.js";

describe("Behaviour every ESP shares", () => {
  let server: CaptureServer;
  beforeEach(async () => {
    server = await startCaptureServer();
  });
  afterEach(async () => server.close());

  const message = () => ({
    from: "from@example.com",
    to: ["wile@example.com", "Mr. Runner <rr@example.com>"],
    subject: "s",
    text: "t",
    metadata: { customer: "default", order: "none", site: "acme" },
    mergeMetadata: {
      "wile@example.com": { customer: 123, order: "acme-zxyw" },
      "rr@example.com": { customer: 45678 },
    },
  });

  it("[CORE-33] [CORE-32] Postmark: mergeMetadata wins over metadata, per recipient, one message each", async () => {
    server.respond(200, [
      { To: "wile@example.com", MessageID: "m1", ErrorCode: 0, Message: "OK" },
      { To: "rr@example.com", MessageID: "m2", ErrorCode: 0, Message: "OK" },
    ]);
    await createSender("postmark", { serverToken: "t0ken-x", apiUrl: server.url }).send(message());
    const batch = server.last().json as Array<{ To: string; Metadata: Record<string, unknown> }>;
    expect(server.last().path).to.equal("/email/batch");
    expect(batch.map((m) => m.To)).to.deep.equal([
      "wile@example.com",
      '"Mr. Runner" <rr@example.com>',
    ]);
    expect(batch[0].Metadata).to.deep.equal({ customer: 123, order: "acme-zxyw", site: "acme" });
    expect(batch[1].Metadata).to.deep.equal({ customer: 45678, order: "none", site: "acme" });
  });

  it("[CORE-33] SparkPost: each recipient's metadata is the merge, its own keys winning", async () => {
    server.respond(200, {
      results: { id: "tx1", total_accepted_recipients: 2, total_rejected_recipients: 0 },
    });
    await createSender("sparkpost", { apiKey: "sp-key-xyz", apiUrl: server.url }).send(message());
    const body = server.last().json as {
      metadata: Record<string, unknown>;
      recipients: Array<{ metadata?: Record<string, unknown> }>;
    };
    const merged = body.recipients.map((r) => ({ ...body.metadata, ...r.metadata }));
    expect(merged[0]).to.deep.equal({ customer: 123, order: "acme-zxyw", site: "acme" });
    expect(merged[1]).to.deep.equal({ customer: 45678, order: "none", site: "acme" });
  });

  it("[CORE-37] espExtra reaches the ESP's request (Postmark and SparkPost)", async () => {
    server.respond(200, { To: "to@example.com", MessageID: "m1", ErrorCode: 0, Message: "OK" });
    await createSender("postmark", { serverToken: "t0ken-x", apiUrl: server.url }).send({
      from: "from@example.com",
      to: "to@example.com",
      subject: "s",
      text: "t",
      espExtra: { MessageStream: "broadcast" },
    });
    expect((server.last().json as Record<string, unknown>).MessageStream).to.equal("broadcast");

    server.respond(200, {
      results: { id: "tx1", total_accepted_recipients: 1, total_rejected_recipients: 0 },
    });
    await createSender("sparkpost", { apiKey: "sp-key-xyz", apiUrl: server.url }).send({
      from: "from@example.com",
      to: "to@example.com",
      subject: "s",
      text: "t",
      espExtra: { options: { ip_pool: "transactional" } },
    });
    expect((server.last().json as { options: Record<string, unknown> }).options.ip_pool).to.equal(
      "transactional",
    );
  });

  it("[CORE-56] exports every error under the spec's name, all AnymailErrors", () => {
    const names = [
      "AnymailUnsupportedFeature",
      "AnymailRecipientsRefused",
      "AnymailAPIError",
      "AnymailInvalidAddress",
      "AnymailSerializationError",
      "AnymailCancelSend",
      "AnymailWebhookValidationFailure",
      "AnymailConfigurationError",
      "AnymailImproperlyInstalled",
    ] as const;
    for (const name of names) {
      const ErrorClass = anymail[name];
      const error = new ErrorClass("x", { espName: "Test" });
      expect(error, name).to.be.instanceOf(anymail.AnymailError).and.instanceOf(Error);
      expect(error.name).to.equal(name);
      expect(error.espName).to.equal("Test");
    }
  });
});
