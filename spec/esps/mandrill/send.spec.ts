// Mandrill sending end to end: createSender("mandrill") → real HTTP to the loopback
// capture server standing in for mandrillapp.com.
import { expect } from "chai";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailRecipientsRefused,
  AnymailSerializationError,
  AnymailUnsupportedFeature,
  attachInlineImage,
  createSender,
} from "../../../lib/index.js";
import type { AnymailMessage } from "../../../lib/index.js";
import { useCaptureServer } from "../../helpers/capture-server.js";

const SENT = (email: string, id = "abc123") => ({
  email,
  status: "sent",
  _id: id,
  reject_reason: null,
});

describe("Mandrill sending", () => {
  const server = useCaptureServer(200, [SENT("to@example.com")]);

  function sender(options: Record<string, unknown> = {}) {
    return createSender("mandrill", {
      apiKey: "test-api-key",
      apiUrl: `${server().url}/api/1.0`,
      env: {},
      ...options,
    });
  }

  function body(): { key: string; message: Record<string, unknown>; [key: string]: unknown } {
    return server().last().json as { key: string; message: Record<string, unknown> };
  }

  describe("Mandrill standard message", () => {
    it("[MD-01] posts JSON to messages/send.json with the API key in the body", async () => {
      const status = await sender().send({
        from: "From Name <from@example.com>",
        to: ["to@example.com", "Other <other@example.com>"],
        subject: "Hello",
        text: "Body",
        html: "<p>Body</p>",
      });
      const request = server().last();
      expect(request.method).to.equal("POST");
      expect(request.path).to.equal("/api/1.0/messages/send.json");
      expect(request.headers["content-type"]).to.match(/^application\/json/);
      expect(body()).to.deep.equal({
        key: "test-api-key",
        message: {
          from_email: "from@example.com",
          from_name: "From Name",
          to: [
            { email: "to@example.com", type: "to" },
            { email: "other@example.com", name: "Other", type: "to" },
          ],
          subject: "Hello",
          text: "Body",
          html: "<p>Body</p>",
        },
      });
      expect(status.messageId).to.equal("abc123");
      expect([...(status.status ?? [])]).to.deep.equal(["sent"]);
    });

    it("cc and bcc are typed entries of `to`; replyTo and headers go in headers", async () => {
      await sender().send({
        from: "from@example.com",
        to: "to@example.com",
        cc: ["cc@example.com"],
        bcc: "Hidden <bcc@example.com>",
        replyTo: ["reply@example.com", "Reply Two <reply2@example.com>"],
        headers: { "X-Custom": "value", "X-Number": 42 },
        subject: "s",
        text: "t",
      });
      expect(body().message.to).to.deep.equal([
        { email: "to@example.com", type: "to" },
        { email: "cc@example.com", type: "cc" },
        { email: "bcc@example.com", name: "Hidden", type: "bcc" },
      ]);
      expect(body().message.headers).to.deep.equal({
        "Reply-To": "reply@example.com, Reply Two <reply2@example.com>",
        "X-Custom": "value",
        "X-Number": "42",
      });
    });

    it("attachments and inline images (named by cid)", async () => {
      const message: AnymailMessage = {
        from: "from@example.com",
        to: "to@example.com",
        subject: "s",
        html: "<img>",
        attachments: [
          { filename: "report.pdf", content: Buffer.from("%PDF"), contentType: "application/pdf" },
        ],
      };
      const cid = attachInlineImage(
        message,
        Buffer.from("\x89PNG\r\n\x1a\n0000", "latin1"),
        "logo.png",
      );
      await sender().send(message);
      expect(body().message.attachments).to.deep.equal([
        {
          type: "application/pdf",
          name: "report.pdf",
          content: Buffer.from("%PDF").toString("base64"),
        },
      ]);
      const images = body().message.images as { type: string; name: string; content: string }[];
      expect(images).to.have.length(1);
      expect(images[0].name).to.equal(cid);
      expect(images[0].type).to.equal("image/png");
    });
  });

  describe("Mandrill Anymail features", () => {
    it("[MD-10] metadata, tags, tracking, sendAt and mergeMetadata are all supported", async () => {
      await sender().send({
        from: "from@example.com",
        to: ["to@example.com"],
        subject: "s",
        text: "t",
        metadata: { user_id: "12345", n: 7 },
        tags: ["receipt", "onboarding"],
        trackOpens: true,
        trackClicks: false,
        sendAt: new Date("2030-05-06T07:08:09.750Z"),
        mergeMetadata: { "to@example.com": { order: "A1" } },
      });
      expect(body().send_at).to.equal("2030-05-06 07:08:09");
      expect(body().message).to.include.keys(
        "metadata",
        "tags",
        "track_opens",
        "track_clicks",
        "recipient_metadata",
      );
      expect(body().message.metadata).to.deep.equal({ user_id: "12345", n: 7 });
      expect(body().message.tags).to.deep.equal(["receipt", "onboarding"]);
      expect(body().message.track_opens).to.equal(true);
      expect(body().message.track_clicks).to.equal(false);
      expect(body().message.recipient_metadata).to.deep.equal([
        { rcpt: "to@example.com", values: { order: "A1" } },
      ]);
      expect(body().message.preserve_recipients).to.equal(false);
    });

    it("[MD-10] sendAt given as epoch seconds or an ISO string with an offset is sent in UTC", async () => {
      await sender().send({
        from: "f@example.com",
        to: "to@example.com",
        subject: "s",
        text: "t",
        sendAt: 1893456000,
      });
      expect(body().send_at).to.equal("2030-01-01 00:00:00");
      await sender().send({
        from: "f@example.com",
        to: "to@example.com",
        subject: "s",
        text: "t",
        sendAt: "2030-01-01T02:00:00+02:00",
      });
      expect(body().send_at).to.equal("2030-01-01 00:00:00");
    });

    it("[MD-09] envelopeSender sets return_path_domain to its domain only", async () => {
      await sender().send({
        from: "from@example.com",
        to: "to@example.com",
        subject: "s",
        text: "t",
        envelopeSender: "anything@bounces.example.com",
      });
      expect(body().message.return_path_domain).to.equal("bounces.example.com");
    });

    it("[MD-06] espExtra: top-level keys at the root, message keys into message", async () => {
      await sender().send({
        from: "from@example.com",
        to: "to@example.com",
        subject: "s",
        text: "t",
        espExtra: {
          ip_pool: "Bulk Pool",
          async: true,
          message: { subaccount: "Marketing Dept.", important: true },
        },
      });
      expect(body().ip_pool).to.equal("Bulk Pool");
      expect(body().async).to.equal(true);
      expect(body().message.subaccount).to.equal("Marketing Dept.");
      expect(body().message.important).to.equal(true);
      expect(body().message).to.not.have.key("ip_pool");
    });

    it("[MD-06] [MD-11] espExtra in mandrillSendDefaults (the old MANDRILL_SUBACCOUNT)", async () => {
      await sender({ mandrillSendDefaults: { espExtra: { message: { subaccount: "Sub" } } } }).send(
        {
          from: "from@example.com",
          to: "to@example.com",
          subject: "s",
          text: "t",
        },
      );
      expect(body().message.subaccount).to.equal("Sub");
    });

    it("[MD-11] Djrill-style fields on the message are not Mandrill options", async () => {
      const message = {
        from: "from@example.com",
        to: "to@example.com",
        subject: "s",
        text: "t",
        ...({ subaccount: "ignored-not-an-anymail-field" } as object),
      };
      // by default (strict) the unknown field is refused by name rather than dropped
      let error: unknown;
      await sender()
        .send({ ...message })
        .catch((e: unknown) => (error = e));
      expect((error as Error).message).to.include('"subaccount"');
      await sender({ strict: false }).send({ ...message });
      expect(JSON.stringify(body())).to.not.include("ignored-not-an-anymail-field");
    });

    it("[MD-07] espExtra.message.recipient_metadata as a dict becomes Mandrill's list", async () => {
      await sender().send({
        from: "from@example.com",
        to: ["b@example.com", "a@example.com"],
        subject: "s",
        text: "t",
        espExtra: {
          message: {
            recipient_metadata: { "b@example.com": { id: 2 }, "a@example.com": { id: 1 } },
          },
        },
      });
      expect(body().message.recipient_metadata).to.deep.equal([
        { rcpt: "a@example.com", values: { id: 1 } },
        { rcpt: "b@example.com", values: { id: 2 } },
      ]);
    });

    it("[MD-08] [MD-12] templateId is the template name; template_content dict becomes a list", async () => {
      await sender().send({
        from: "from@example.com",
        to: "to@example.com",
        templateId: "welcome-template",
        espExtra: { template_content: { header: "<h1>Hi</h1>", footer: "bye" } },
      });
      expect(server().last().path).to.equal("/api/1.0/messages/send-template.json");
      expect(body().template_name).to.equal("welcome-template");
      expect(body().template_content).to.deep.equal([
        { name: "header", content: "<h1>Hi</h1>" },
        { name: "footer", content: "bye" },
      ]);
    });

    it("[MD-13] [MD-14] an on-the-fly template: merge vars per recipient, globals, preserve_recipients false", async () => {
      server().respond(200, [SENT("alice@example.com", "1"), SENT("bob@example.com", "2")]);
      const status = await sender().send({
        from: "from@example.com",
        to: ["alice@example.com", "Bob <bob@example.com>"],
        subject: "Your order *|order_no|* has shipped",
        text: "Hi *|name|*, we shipped your order *|order_no|* on *|ship_date|*.",
        mergeData: {
          "alice@example.com": { name: "Alice", order_no: "12345" },
          "bob@example.com": { order_no: "54321", name: "Bob" },
        },
        mergeGlobalData: { ship_date: "May 15" },
      });
      expect(body().message.subject).to.equal("Your order *|order_no|* has shipped");
      expect(body().message.merge_vars).to.deep.equal([
        {
          rcpt: "alice@example.com",
          vars: [
            { name: "name", content: "Alice" },
            { name: "order_no", content: "12345" },
          ],
        },
        {
          rcpt: "bob@example.com",
          vars: [
            { name: "name", content: "Bob" },
            { name: "order_no", content: "54321" },
          ],
        },
      ]);
      expect(body().message.global_merge_vars).to.deep.equal([
        { name: "ship_date", content: "May 15" },
      ]);
      expect(body().message.preserve_recipients).to.equal(false);
      expect(status.messageId).to.deep.equal(new Set(["1", "2"]));
    });

    it("[MD-15] from: null and subject: null use the template's", async () => {
      await sender({ sendDefaults: { from: "default@example.com" } }).send({
        from: null,
        subject: null,
        to: "to@example.com",
        templateId: "t",
      });
      expect(body().message).to.not.have.any.keys("from_email", "from_name", "subject");
    });

    it("a value JSON cannot hold is an AnymailSerializationError, and nothing is sent", async () => {
      try {
        await sender().send({
          from: "from@example.com",
          to: "to@example.com",
          subject: "s",
          text: "t",
          espExtra: { message: { big: 10n } },
        });
        expect.fail("should throw");
      } catch (error) {
        expect(error).to.be.instanceOf(AnymailSerializationError);
      }
      expect(server().requests).to.have.length(0);
    });

    it("mergeHeaders is unsupported", async () => {
      try {
        await sender().send({
          from: "from@example.com",
          to: "to@example.com",
          subject: "s",
          text: "t",
          mergeHeaders: { "to@example.com": { "X-A": "1" } },
        });
        expect.fail("should throw");
      } catch (error) {
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      }
      expect(server().requests).to.have.length(0);
    });
  });

  describe("Mandrill recipient status", () => {
    it("maps per-recipient statuses; scheduled is queued; ids per recipient", async () => {
      server().respond(200, [
        { email: "to@example.com", status: "scheduled", _id: "s1" },
        { email: "cc@example.com", status: "queued", _id: "q1" },
        { email: "bcc@example.com", status: "rejected", reject_reason: "hard-bounce" },
      ]);
      const status = await sender().send({
        from: "f@example.com",
        to: "to@example.com",
        cc: "cc@example.com",
        bcc: "bcc@example.com",
        subject: "s",
        text: "t",
        sendAt: new Date("2030-01-01T00:00:00Z"),
      });
      expect(status.recipients).to.deep.equal({
        "to@example.com": { status: "queued", messageId: "s1" },
        "cc@example.com": { status: "queued", messageId: "q1" },
        "bcc@example.com": { status: "rejected", messageId: null },
      });
      expect(status.espResponse).to.have.property("status", 200);
    });

    it("[#17.4] an accepted answer with a status Mandrill added later is unknown, never an error", async () => {
      server().respond(200, [
        { email: "TO@example.com", status: "deferred-by-policy", _id: "d1", extra: { new: 1 } },
      ]);
      const status = await sender().send({
        from: "f@example.com",
        to: "to@example.com",
        subject: "s",
        text: "t",
      });
      expect(status.recipients).to.deep.equal({
        "to@example.com": { status: "unknown", messageId: "d1" },
      });
    });

    it("every recipient refused → AnymailRecipientsRefused", async () => {
      server().respond(200, [{ email: "to@example.com", status: "invalid", _id: "x" }]);
      try {
        await sender().send({
          from: "f@example.com",
          to: "to@example.com",
          subject: "s",
          text: "t",
        });
        expect.fail("should throw");
      } catch (error) {
        expect(error).to.be.instanceOf(AnymailRecipientsRefused);
      }
    });
  });

  describe("Mandrill API errors", () => {
    it("a Mandrill error answer is an AnymailAPIError carrying Mandrill's message, never the key", async () => {
      server().respond(500, {
        status: "error",
        code: -1,
        name: "Invalid_Key",
        message: "Invalid API key",
      });
      try {
        await sender().send({
          from: "f@example.com",
          to: "to@example.com",
          subject: "s",
          text: "t",
        });
        expect.fail("should throw");
      } catch (error) {
        expect(error).to.be.instanceOf(AnymailAPIError);
        expect((error as AnymailAPIError).statusCode).to.equal(500);
        expect(String(error)).to.include("Invalid API key");
        expect(String(error)).to.not.include("test-api-key");
      }
    });

    it("a 200 that is not a recipient list is an AnymailAPIError", async () => {
      server().respond(200, { unexpected: true });
      try {
        await sender().send({
          from: "f@example.com",
          to: "to@example.com",
          subject: "s",
          text: "t",
        });
        expect.fail("should throw");
      } catch (error) {
        expect(error).to.be.instanceOf(AnymailAPIError);
        expect(String(error)).to.match(/Mandrill: invalid API response/);
      }
    });
  });

  describe("Mandrill configuration", () => {
    it("[MD-02] apiKey is required, naming both env vars", () => {
      expect(() => createSender("mandrill", { env: {} })).to.throw(
        AnymailConfigurationError,
        /apiKey.*ANYMAIL_MANDRILL_API_KEY or MANDRILL_API_KEY/,
      );
    });

    it("[MD-02] apiKey from ANYMAIL_MANDRILL_API_KEY, then MANDRILL_API_KEY", async () => {
      const apiUrl = `${server().url}/api/1.0`;
      await createSender("mandrill", { apiUrl, env: { MANDRILL_API_KEY: "bare-key" } }).send({
        from: "f@example.com",
        to: "to@example.com",
        subject: "s",
        text: "t",
      });
      expect(body().key).to.equal("bare-key");
      await createSender("mandrill", {
        apiUrl,
        env: { MANDRILL_API_KEY: "bare-key", ANYMAIL_MANDRILL_API_KEY: "anymail-key" },
      }).send({ from: "f@example.com", to: "to@example.com", subject: "s", text: "t" });
      expect(body().key).to.equal("anymail-key");
    });

    it("[MD-05] apiUrl from ANYMAIL_MANDRILL_API_URL", async () => {
      await createSender("mandrill", {
        apiKey: "k",
        env: { ANYMAIL_MANDRILL_API_URL: `${server().url}/other/` },
      }).send({ from: "f@example.com", to: "to@example.com", subject: "s", text: "t" });
      expect(server().last().path).to.equal("/other/messages/send.json");
    });
  });
});
