// Sendinblue (Brevo) sending end to end: createSender("sendinblue") → real HTTP to the
// loopback capture server standing in for api.brevo.com. Expected bodies follow the
// reference oracle (django-anymail 9.0) where the 8.1 spec agrees.
import { expect } from "chai";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailError,
  AnymailUnsupportedFeature,
  attachInlineImage,
  createSender,
} from "../../../lib/index.js";
import type { AnymailMessage } from "../../../lib/index.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";

const MESSAGE_ID = "<201801020304.12345678901@smtp-relay.mailin.fr>";
const BASIC: AnymailMessage = {
  from: "from@example.com",
  to: "to@example.com",
  subject: "Subject",
  html: "<p>Hi</p>",
};

describe("Sendinblue sending", () => {
  const server = useCaptureServer(201, { messageId: MESSAGE_ID });

  function sender(options: Record<string, unknown> = {}, esp = "sendinblue") {
    return createSender(esp, {
      apiKey: "test-api-key",
      apiUrl: `${server().url}/v3/`,
      env: {},
      ...options,
    });
  }

  function body(): Record<string, unknown> {
    return server().last().json as Record<string, unknown>;
  }

  describe("Sendinblue standard message", () => {
    it("[SIB-01] posts JSON to smtp/email with the api-key header", async () => {
      const status = await sender().send({
        from: "From Name <from@example.com>",
        to: ["to1@example.com", "Two <to2@example.com>"],
        cc: "cc@example.com",
        bcc: ["bcc@example.com"],
        replyTo: "Reply <reply@example.com>",
        subject: "Subj",
        text: "Text",
        html: "<p>Html</p>",
        headers: { "X-Custom": "1", "X-Num": 5 },
      });
      const request = server().last();
      expect(request.method).to.equal("POST");
      expect(request.path).to.equal("/v3/smtp/email");
      expect(request.headers["api-key"]).to.equal("test-api-key");
      expect(request.headers["content-type"]).to.match(/^application\/json/);
      expect(body()).to.deep.equal({
        sender: { email: "from@example.com", name: "From Name" },
        to: [{ email: "to1@example.com" }, { email: "to2@example.com", name: "Two" }],
        cc: [{ email: "cc@example.com" }],
        bcc: [{ email: "bcc@example.com" }],
        replyTo: { email: "reply@example.com", name: "Reply" },
        subject: "Subj",
        headers: { "X-Custom": "1", "X-Num": "5" },
        textContent: "Text",
        htmlContent: "<p>Html</p>",
      });
      expect(status.messageId).to.equal(MESSAGE_ID);
    });

    it("[SIB-06] html without text is sent as is", async () => {
      await sender().send(BASIC);
      expect(body()).to.not.have.key("textContent");
      expect(body().htmlContent).to.equal("<p>Hi</p>");
    });

    it("[SIB-06] a text-only message is not refused here; Brevo's refusal is an AnymailAPIError with its message", async () => {
      server().respond(400, { code: "missing_parameter", message: "htmlContent is missing" });
      const error = await rejectionOf(
        sender().send({
          from: "from@example.com",
          to: "to@example.com",
          subject: "s",
          text: "Text only",
        }),
      );
      expect(body().textContent).to.equal("Text only");
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect((error as AnymailAPIError).statusCode).to.equal(400);
      expect(String(error)).to.include("htmlContent is missing");
      expect(String(error)).to.not.include("test-api-key");
    });

    it("[SIB-08] attachments are sent as {name, content}; Brevo infers the type from the name", async () => {
      await sender().send({
        ...BASIC,
        attachments: [
          {
            filename: "report.pdf",
            content: Buffer.from("%PDF-1.4"),
            contentType: "application/pdf",
          },
          { content: "no name", contentType: "text/plain" },
        ],
      });
      expect(body().attachment).to.deep.equal([
        { name: "report.pdf", content: Buffer.from("%PDF-1.4").toString("base64") },
        { name: "attachment", content: Buffer.from("no name").toString("base64") },
      ]);
    });

    it("[SIB-08] Brevo's refusal of an attachment name reaches the caller as an AnymailAPIError", async () => {
      server().respond(400, { code: "invalid_parameter", message: "Unsupported file extension" });
      const error = await rejectionOf(
        sender().send({ ...BASIC, attachments: [{ filename: "data.weird", content: "x" }] }),
      );
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(String(error)).to.include("Unsupported file extension");
    });
  });

  describe("Sendinblue Anymail features", () => {
    it("[SIB-10] metadata is JSON in the X-Mailin-custom header, replacing one given in headers", async () => {
      await sender().send({
        ...BASIC,
        headers: { "x-mailin-custom": "old" },
        metadata: { user_id: "12", n: 1 },
      });
      const headers = body().headers as Record<string, string>;
      expect(headers).to.deep.equal({ "X-Mailin-custom": JSON.stringify({ user_id: "12", n: 1 }) });
      expect(JSON.parse(headers["X-Mailin-custom"])).to.deep.equal({ user_id: "12", n: 1 });
    });

    it("[SIB-16] several tags are sent", async () => {
      await sender().send({ ...BASIC, tags: ["receipt", "onboarding"] });
      expect(body().tags).to.deep.equal(["receipt", "onboarding"]);
    });

    it("[SIB-04] espExtra is merged into the JSON", async () => {
      await sender().send({
        ...BASIC,
        espExtra: { hypotheticalFutureParam: "2022", subject: "override" },
      });
      expect(body().hypotheticalFutureParam).to.equal("2022");
      expect(body().subject).to.equal("override");
    });

    it("[SIB-05] espExtra in sendDefaults and sendinblueSendDefaults applies to every message", async () => {
      await sender({ sendDefaults: { espExtra: { a: 1 } } }).send(BASIC);
      expect(body().a).to.equal(1);
      await sender({ sendinblueSendDefaults: { espExtra: { b: 2 } } }).send(BASIC);
      expect(body().b).to.equal(2);
    });

    it("[SIB-07] inline images are unsupported", async () => {
      const message: AnymailMessage = { ...BASIC };
      attachInlineImage(message, Buffer.from("\x89PNG\r\n\x1a\n0000", "latin1"), "logo.png");
      const error = await rejectionOf(sender().send(message));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(server().requests).to.have.length(0);
    });

    it("[SIB-07] ignoring unsupported features sends inline images as plain attachments", async () => {
      const message: AnymailMessage = { ...BASIC };
      attachInlineImage(message, Buffer.from("\x89PNG\r\n\x1a\n0000", "latin1"), "logo.png");
      await sender({ ignoreUnsupportedFeatures: true }).send(message);
      expect(body().attachment).to.deep.equal([
        {
          name: "logo.png",
          content: Buffer.from("\x89PNG\r\n\x1a\n0000", "latin1").toString("base64"),
        },
      ]);
    });

    it("[SIB-09] more than one replyTo is unsupported; when ignored only the first is sent", async () => {
      const message = { ...BASIC, replyTo: ["one@example.com", "two@example.com"] };
      expect(await rejectionOf(sender().send(message))).to.be.instanceOf(AnymailUnsupportedFeature);
      await sender({ ignoreUnsupportedFeatures: true }).send(message);
      expect(body().replyTo).to.deep.equal({ email: "one@example.com" });
    });

    const unsupported: [string, Partial<AnymailMessage>][] = [
      ["[SIB-12] trackClicks", { trackClicks: true }],
      ["[SIB-12] trackOpens", { trackOpens: false }],
      ["[SIB-13] envelopeSender", { envelopeSender: "bounce@example.com" }],
    ];
    for (const [title, fields] of unsupported) {
      it(`${title} throws AnymailUnsupportedFeature and sends nothing`, async () => {
        const error = await rejectionOf(sender().send({ ...BASIC, ...fields }));
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
        expect(server().requests).to.have.length(0);
      });
    }

    it("[SIB-12] [SIB-13] ignored, those features are left out of the request", async () => {
      await sender({ ignoreUnsupportedFeatures: true }).send({
        ...BASIC,
        trackClicks: true,
        trackOpens: true,
        envelopeSender: "bounce@example.com",
      });
      expect(body()).to.have.all.keys("sender", "to", "subject", "htmlContent");
    });
  });

  describe("Sendinblue templates", () => {
    it("[SIB-18] [SIB-20] templateId is numeric, mergeGlobalData are its params, from: null keeps the template's sender", async () => {
      await sender({ sendDefaults: { from: "default@example.com" } }).send({
        from: null,
        to: "alice@example.com",
        templateId: 3,
        mergeGlobalData: { name: "Alice", order_no: "12345", ship_date: "May 15" },
      });
      expect(body()).to.deep.equal({
        to: [{ email: "alice@example.com" }],
        templateId: 3,
        params: { name: "Alice", order_no: "12345", ship_date: "May 15" },
      });
    });

    it("[SIB-18] a numeric string templateId is sent as a number; anything else is an AnymailError", async () => {
      await sender().send({ from: "f@example.com", to: "to@example.com", templateId: "12" });
      expect(body().templateId).to.equal(12);
      const error = await rejectionOf(
        sender().send({ from: "f@example.com", to: "to@example.com", templateId: "welcome" }),
      );
      expect(error).to.be.instanceOf(AnymailError);
      expect(String(error)).to.match(/templateId must be the numeric ID/);
    });

    it("[SIB-20] [SIB-21] a set from, subject and replyTo override the template's", async () => {
      await sender().send({
        from: "Shop <shop@example.com>",
        to: "to@example.com",
        subject: "Custom subject",
        replyTo: "help@example.com",
        templateId: 3,
      });
      expect(body().sender).to.deep.equal({ email: "shop@example.com", name: "Shop" });
      expect(body().subject).to.equal("Custom subject");
      expect(body().replyTo).to.deep.equal({ email: "help@example.com" });
    });

    it("[SIB-21] a body with a template is unsupported (Brevo would ignore it); dropped when ignoring", async () => {
      const message = {
        from: "f@example.com",
        to: "to@example.com",
        templateId: 3,
        html: "<p>x</p>",
        text: "x",
      };
      expect(await rejectionOf(sender().send(message))).to.be.instanceOf(AnymailUnsupportedFeature);
      await sender({ ignoreUnsupportedFeatures: true }).send(message);
      expect(body()).to.not.have.any.keys("htmlContent", "textContent");
    });

    it("[SIB-19] a template sent to several `to` is one message listing every recipient", async () => {
      const status = await sender().send({
        from: "f@example.com",
        to: ["a@example.com", "b@example.com"],
        templateId: 3,
      });
      expect(server().requests).to.have.length(1);
      expect(body().to).to.deep.equal([{ email: "a@example.com" }, { email: "b@example.com" }]);
      expect(status.messageId).to.equal(MESSAGE_ID);
    });

    it("[SIB-22] attachments are allowed on template sends", async () => {
      await sender().send({
        from: "f@example.com",
        to: "to@example.com",
        templateId: 3,
        attachments: [{ filename: "a.txt", content: "hello" }],
      });
      expect(body().attachment).to.deep.equal([{ name: "a.txt", content: "aGVsbG8=" }]);
    });
  });

  describe("Sendinblue recipient status", () => {
    it("[SIB-17] every recipient is queued with the messageId", async () => {
      const status = await sender().send({
        ...BASIC,
        to: ["A@example.com"],
        cc: "cc@example.com",
        bcc: "bcc@example.com",
      });
      expect(status.recipients).to.deep.equal({
        "A@example.com": { status: "queued", messageId: MESSAGE_ID },
        "cc@example.com": { status: "queued", messageId: MESSAGE_ID },
        "bcc@example.com": { status: "queued", messageId: MESSAGE_ID },
      });
      expect([...(status.status ?? [])]).to.deep.equal(["queued"]);
    });

    it("[SIB-17] an empty answer still means queued, without a message id", async () => {
      server().respond(201, "");
      const status = await sender().send(BASIC);
      expect(status.recipients["to@example.com"]).to.deep.equal({
        status: "queued",
        messageId: null,
      });
    });

    it("an answer without messageId is an AnymailAPIError", async () => {
      server().respond(201, { unexpected: true });
      const error = await rejectionOf(sender().send(BASIC));
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(String(error)).to.match(/invalid API response/);
    });
  });

  describe("Sendinblue configuration", () => {
    it("[SIB-02] apiKey is required, naming the env vars", () => {
      expect(() => createSender("sendinblue", { env: {} })).to.throw(
        AnymailConfigurationError,
        /apiKey.*ANYMAIL_SENDINBLUE_API_KEY.*SENDINBLUE_API_KEY/,
      );
    });

    it("[SIB-02] apiKey from ANYMAIL_SENDINBLUE_API_KEY, then SENDINBLUE_API_KEY", async () => {
      const apiUrl = `${server().url}/v3/`;
      await createSender("sendinblue", { apiUrl, env: { SENDINBLUE_API_KEY: "bare" } }).send(BASIC);
      expect(server().last().headers["api-key"]).to.equal("bare");
      await createSender("sendinblue", {
        apiUrl,
        env: { SENDINBLUE_API_KEY: "bare", ANYMAIL_SENDINBLUE_API_KEY: "prefixed" },
      }).send(BASIC);
      expect(server().last().headers["api-key"]).to.equal("prefixed");
    });

    it('[SIB-01] [SIB-02] createSender("brevo") is the same ESP, with settings under either prefix', async () => {
      const apiUrl = `${server().url}/v3/`;
      const brevo = createSender("brevo", { apiUrl, env: { BREVO_API_KEY: "brevo-key" } });
      expect(brevo.espName).to.equal("Sendinblue");
      await brevo.send(BASIC);
      expect(server().last().headers["api-key"]).to.equal("brevo-key");
      await createSender("brevo", {
        env: { ANYMAIL_BREVO_API_KEY: "k", ANYMAIL_BREVO_API_URL: `${server().url}/brevo/` },
      }).send(BASIC);
      expect(server().last().path).to.equal("/brevo/smtp/email");
      await createSender("sendinblue", {
        apiUrl,
        env: { ANYMAIL_BREVO_API_KEY: "via-brevo" },
      }).send(BASIC);
      expect(server().last().headers["api-key"]).to.equal("via-brevo");
      await sender({ brevoSendDefaults: { tags: ["from-brevo-defaults"] } }, "brevo").send(BASIC);
      expect(body().tags).to.deep.equal(["from-brevo-defaults"]);
    });

    it("[SIB-03] apiUrl defaults to Brevo's https://api.brevo.com/v3/ (issue #12; 8.1 used api.sendinblue.com)", async () => {
      // an injected fetch records the URL without any network access
      const urls: string[] = [];
      const fetch = async (url: string) => {
        urls.push(url);
        return new Response(JSON.stringify({ messageId: MESSAGE_ID }), { status: 201 });
      };
      await createSender("sendinblue", { apiKey: "k", env: {}, fetch }).send(BASIC);
      expect(urls).to.deep.equal(["https://api.brevo.com/v3/smtp/email"]);
    });
  });
});
