// Mailgun sending: the exact request Mailgun receives, through real HTTP on loopback.
// Expected fields come from oracle send cases (django-anymail 9.0) unless a test says otherwise.
import { expect } from "chai";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { createSender, type CreateSenderOptions } from "../../../lib/sender/sender.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailSerializationError,
  AnymailUnsupportedFeature,
} from "../../../lib/errors.js";
import { attachInlineImage } from "../../../lib/sender/inline-images.js";
import { normalizeMessage } from "../../../lib/sender/normalize.js";
import { buildRequest } from "../../../lib/esps/mailgun/send.js";
import { adapter as mailgun } from "../../../lib/esps/mailgun/index.js";

const QUEUED = { id: "<20240102030405.1.ABCDEF@mg.example.com>", message: "Queued. Thank you." };
const API_KEY = "key-test-0123456789";

describe("Mailgun send", () => {
  const server = useCaptureServer(200, QUEUED);

  const sender = (options: CreateSenderOptions<"mailgun"> = {}) =>
    createSender("mailgun", { apiKey: API_KEY, apiUrl: `${server().url}/v3`, env: {}, ...options });
  const send = (message: AnymailMessage, options: CreateSenderOptions<"mailgun"> = {}) =>
    sender(options).send(message);
  const form = () => server().last().form ?? {};
  const recipientVariables = () => JSON.parse(form()["recipient-variables"][0]) as unknown;
  const basic = {
    from: "from@example.com",
    to: "to@example.com",
    subject: "Subject",
    text: "Text body",
  } satisfies AnymailMessage;

  describe("Mailgun standard message", () => {
    it("[MG-01][MG-06] posts a multipart form to {apiUrl}/{from domain}/messages with basic auth api:{apiKey}", async () => {
      await send({
        from: "Sender <from@example.com>",
        to: ["Alice <alice@example.com>", "bob@example.com"],
        cc: "cc@example.com",
        bcc: "bcc@example.com",
        replyTo: ["r1@example.com", "R Two <r2@example.com>"],
        subject: "Hi",
        text: "text",
        html: "<p>html</p>",
        headers: { "X-Custom": "yes" },
      });
      const request = server().last();
      expect(request.method).to.equal("POST");
      expect(request.path).to.equal("/v3/example.com/messages");
      expect(request.headers["content-type"]).to.match(/^multipart\/form-data; boundary=/);
      expect(request.headers.authorization).to.equal(
        `Basic ${Buffer.from(`api:${API_KEY}`).toString("base64")}`,
      );
      expect(request.form).to.deep.equal({
        from: ["Sender <from@example.com>"],
        to: ["Alice <alice@example.com>", "bob@example.com"],
        cc: ["cc@example.com"],
        bcc: ["bcc@example.com"],
        "h:Reply-To": ["r1@example.com, R Two <r2@example.com>"],
        subject: ["Hi"],
        "h:X-Custom": ["yes"],
        text: ["text"],
        html: ["<p>html</p>"],
      });
      expect(request.files).to.deep.equal([]);
    });

    it("[MG-15][CORE-11] sends several From addresses as repeated from fields", async () => {
      await send({ ...basic, from: "Sender <from@example.com>, second@example.com" });
      expect(form().from).to.deep.equal(["Sender <from@example.com>", "second@example.com"]);
      expect(server().last().path).to.equal("/v3/example.com/messages");
    });

    it("sends non-ASCII display names and bodies as UTF-8 form values", async () => {
      await send({
        ...basic,
        to: "Zoë Ñandú <zoe@example.com>",
        subject: "Grüße ✓",
        text: "¡Olé!",
      });
      expect(form().to).to.deep.equal(["Zoë Ñandú <zoe@example.com>"]);
      expect(form().subject).to.deep.equal(["Grüße ✓"]);
      expect(form().text).to.deep.equal(["¡Olé!"]);
    });

    it("[MG-11] sends attachments as 'attachment' files with filename and type", async () => {
      await send({
        ...basic,
        attachments: [
          { filename: "hello.txt", content: "hello", contentType: "text/plain" },
          {
            filename: "data.bin",
            content: Buffer.from([0, 1, 2, 255]),
            contentType: "application/octet-stream",
          },
        ],
      });
      expect(server().last().files).to.deep.equal([
        {
          fieldName: "attachment",
          filename: "hello.txt",
          contentType: "text/plain",
          content: Buffer.from("hello"),
        },
        {
          fieldName: "attachment",
          filename: "data.bin",
          contentType: "application/octet-stream",
          content: Buffer.from([0, 1, 2, 255]),
        },
      ]);
    });

    it("[MG-13] keeps non-ASCII attachment filenames intact (UTF-8, RFC 7578)", async () => {
      await send({ ...basic, attachments: [{ filename: "résumé ✓.txt", content: "hello" }] });
      const [file] = server().last().files ?? [];
      expect(file.filename).to.equal("résumé ✓.txt");
      // the raw part header carries the UTF-8 name, never RFC 2231 filename*= (changelog v4.3)
      const raw = server().last().rawBody.toString("utf8");
      expect(raw).to.include('filename="résumé ✓.txt"');
      expect(raw).not.to.include("filename*=");
    });

    it("sends inline images as 'inline' files named by their Content-ID", async () => {
      const message: AnymailMessage = { ...basic, html: "" };
      const png = Buffer.from("89504e470d0a1a0a0000", "hex");
      const cid = attachInlineImage(message, png, "logo.png");
      message.html = `<img src="cid:${cid}">`;
      await send(message);
      expect(server().last().files).to.deep.equal([
        { fieldName: "inline", filename: cid, contentType: "image/png", content: png },
      ]);
    });

    it("sends a text/x-amp-html alternative as amp-html", async () => {
      await send({
        ...basic,
        alternatives: [{ content: "<html ⚡4email>", contentType: "text/x-amp-html" }],
      });
      expect(form()["amp-html"]).to.deep.equal(["<html ⚡4email>"]);
    });
  });

  describe("Mailgun Anymail features", () => {
    it("[MG-17] sends metadata, several tags, tracking and sendAt (RFC 2822, GMT)", async () => {
      await send({
        ...basic,
        metadata: { user: "u1", num: 7 },
        tags: ["t1", "t2"],
        trackOpens: true,
        trackClicks: false,
        sendAt: new Date("2024-01-02T03:04:05Z"),
      });
      expect(form()).to.deep.include({
        "v:user": ["u1"],
        "v:num": ["7"],
        "o:deliverytime": ["Tue, 02 Jan 2024 03:04:05 GMT"],
        "o:tag": ["t1", "t2"],
        "o:tracking-clicks": ["no"],
        "o:tracking-opens": ["yes"],
      });
    });

    it("[MG-18] never JSON-quotes string metadata; lists and objects go as JSON text", async () => {
      // 9.0 splits a list into repeated fields and keeps only an object's keys: data loss
      await send({ ...basic, metadata: { s: "plain", list: [1, 2], obj: { a: 1 }, flag: true } });
      expect(form()).to.deep.include({
        "v:s": ["plain"],
        "v:list": ["[1,2]"],
        "v:obj": ['{"a":1}'],
        "v:flag": ["true"],
      });
    });

    it("[MG-18] refuses metadata JSON cannot represent", async () => {
      const error = await send({ ...basic, metadata: { big: 10n } as never }).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailSerializationError);
      expect(server().requests).to.have.length(0);
    });

    it("[MG-10][CORE-76] passes espExtra through as form fields, also from Mailgun send defaults", async () => {
      await send(
        { ...basic, espExtra: { "o:testmode": "yes", "o:tag": ["x", "y"], "o:dkim": null } },
        { mailgunSendDefaults: { espExtra: { "o:dkim": "no", "o:require-tls": true } } },
      );
      expect(form()).to.deep.include({
        "o:testmode": ["yes"],
        "o:tag": ["x", "y"],
        "o:require-tls": ["true"],
      });
      expect(form()).not.to.have.property("o:dkim");
      await send(basic, { mailgunSendDefaults: { espExtra: { "o:dkim": "no" } } });
      expect(form()["o:dkim"]).to.deep.equal(["no"]);
    });

    it('[MG-11] [#17.5] an attachment without a filename is sent as "attachment" (Mailgun drops nameless files)', async () => {
      // the 8.1 spec raised AnymailUnsupportedFeature here; django-anymail 15.1 names it
      await send({
        ...basic,
        attachments: [{ content: "x", contentType: "text/plain" }],
      });
      const files = server().last().files ?? [];
      expect(files.map((f) => [f.fieldName, f.filename, f.contentType])).to.deep.equal([
        ["attachment", "attachment", "text/plain"],
      ]);
    });

    it("[#17.14] a non-ASCII local part (EAI) in from is AnymailUnsupportedFeature, and nothing is sent", async () => {
      const error = await send({ ...basic, from: "Jürgen <jürgen@example.com>" }).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(error.message).to.include("non-ASCII local part (EAI) in the from address");
      expect(server().requests).to.have.length(0);
      // a non-ASCII display name is fine (Mailgun encodes it), and EAI recipients pass through
      await send({ ...basic, from: "Jürgen <juergen@example.com>", to: "jürgen@example.com" });
      expect(form().from).to.deep.equal(["Jürgen <juergen@example.com>"]);
      expect(form().to).to.deep.equal(["jürgen@example.com"]);
    });

    it("[MG-12] an inline attachment without a Content-ID raises AnymailUnsupportedFeature", async () => {
      const message = {
        ...basic,
        attachments: [{ filename: "a.png", content: "x", contentDisposition: "inline" as const }],
      };
      const error = await send(message).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(error.message).to.include("inline attachments without Content-ID");
    });

    it("[MG-12] with ignoreUnsupportedFeatures, an inline part without Content-ID is left out", async () => {
      const inline = { filename: "a.png", content: "x", contentDisposition: "inline" as const };
      await send(
        { ...basic, attachments: [inline, { filename: "ok.txt", content: "ok" }] },
        { ignoreUnsupportedFeatures: true },
      );
      expect(
        server()
          .last()
          .files?.map((f) => f.filename),
      ).to.deep.equal(["ok.txt"]);
    });

    it("[MG-30] an X-Mailgun-Variables header passes through unchanged", async () => {
      const variables = JSON.stringify({ items: [{ product: "Anvil", quantity: 1 }] });
      await send({
        ...basic,
        templateId: "shipping",
        headers: { "X-Mailgun-Variables": variables },
      });
      expect(form()["h:X-Mailgun-Variables"]).to.deep.equal([variables]);
      expect(form().template).to.deep.equal(["shipping"]);
    });
  });

  describe("Mailgun batch sending and templates", () => {
    const batch = {
      from: "from@example.com",
      to: ["Alice <alice@example.com>", "bob@example.com"],
      cc: "cc@example.com",
      subject: "Hi %recipient.name%",
      text: "Order %recipient.order_no% ships %recipient.ship_date%",
    } satisfies AnymailMessage;

    it("[MG-19][MG-20][MG-22][MG-23] mergeData becomes recipient-variables; globals fill every recipient", async () => {
      await send({
        ...batch,
        mergeData: {
          "alice@example.com": { name: "Alice", order_no: "12345", ship_date: "May 16" },
          "bob@example.com": { name: "Bob", order_no: "54321" },
        },
        mergeGlobalData: { ship_date: "May 15" },
      });
      expect(recipientVariables()).to.deep.equal({
        "alice@example.com": { name: "Alice", order_no: "12345", ship_date: "May 16" },
        "bob@example.com": { name: "Bob", order_no: "54321", ship_date: "May 15" },
      });
      // cc stays a plain field: Mailgun repeats it on each to's copy in batch mode
      expect(form().cc).to.deep.equal(["cc@example.com"]);
      expect(form().to).to.deep.equal(["Alice <alice@example.com>", "bob@example.com"]);
      expect(form().subject).to.deep.equal(["Hi %recipient.name%"]);
      expect(Object.keys(form()).filter((k) => k.startsWith("v:"))).to.deep.equal([]);
    });

    it("[MG-21] mergeData: {} makes an ordinary message a batch send", async () => {
      await send({ ...batch, mergeData: {} });
      expect(recipientVariables()).to.deep.equal({});
      await send(batch);
      expect(form()).not.to.have.property("recipient-variables");
    });

    it("[MG-28][MG-29] mergeMetadata goes through v:-prefixed recipient variables, defaulting to metadata or ''", async () => {
      await send({
        ...batch,
        metadata: { user: "u1", shared: "s" },
        mergeMetadata: {
          "alice@example.com": { order: "1" },
          "bob@example.com": { order: "2", user: "u2", extra: "x" },
        },
        mergeData: { "alice@example.com": { name: "Alice" }, "bob@example.com": { name: "Bob" } },
      });
      expect(form()).to.deep.include({
        "v:user": ["%recipient.v:user%"],
        "v:shared": ["s"],
        "v:order": ["%recipient.v:order%"],
        "v:extra": ["%recipient.v:extra%"],
      });
      expect(recipientVariables()).to.deep.equal({
        "alice@example.com": { "v:order": "1", "v:user": "u1", "v:extra": "", name: "Alice" },
        "bob@example.com": { "v:order": "2", "v:user": "u2", "v:extra": "x", name: "Bob" },
      });
    });

    it("[MG-24][MG-27] templateId: merge data also feeds custom data through %recipient.key%", async () => {
      await send({
        from: "from@example.com",
        to: ["alice@example.com", "bob@example.com"],
        subject: "Order %recipient.order_no%",
        templateId: "shipping-notification",
        metadata: { user: "u1" },
        mergeData: {
          "alice@example.com": { name: "Alice", order_no: "1" },
          "bob@example.com": { name: "Bob", order_no: 2 },
        },
        mergeGlobalData: { ship_date: "May 15" },
      });
      expect(form()).to.deep.include({
        template: ["shipping-notification"],
        subject: ["Order %recipient.order_no%"],
        "v:user": ["u1"],
        "v:name": ["%recipient.name%"],
        "v:order_no": ["%recipient.order_no%"],
        "v:ship_date": ["%recipient.ship_date%"],
      });
      expect(form()).not.to.have.property("text");
      expect(recipientVariables()).to.deep.equal({
        "alice@example.com": { name: "Alice", order_no: "1", ship_date: "May 15" },
        "bob@example.com": { name: "Bob", order_no: 2, ship_date: "May 15" },
      });
    });

    it("[MG-25] templateId with a key in both metadata and merge data raises AnymailUnsupportedFeature", async () => {
      const error = await send({
        ...batch,
        templateId: "t",
        metadata: { name: "meta" },
        mergeData: { "alice@example.com": { name: "Alice" } },
      }).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(error.message).to.include("conflicting mergeData and metadata keys ('name')");
      const error2 = await send({
        ...batch,
        templateId: "t",
        mergeMetadata: { "bob@example.com": { group: "g" } },
        mergeGlobalData: { group: "G" },
      }).catch((e) => e);
      expect(error2).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(server().requests).to.have.length(0);
    });

    it("[MG-25] without templateId the same keys are fine (separate channels)", async () => {
      await send({
        ...batch,
        metadata: { name: "meta" },
        mergeData: { "alice@example.com": { name: "Alice" } },
      });
      expect(form()["v:name"]).to.deep.equal(["meta"]);
    });

    it("[MG-26] templateId with list or object merge values raises AnymailUnsupportedFeature", async () => {
      const error = await send({
        ...batch,
        templateId: "t",
        mergeData: { "alice@example.com": { items: [{ product: "Anvil" }] } },
      }).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(error.message).to.include("complex mergeData values ('items')");
      const error2 = await send({
        ...batch,
        templateId: "t",
        mergeGlobalData: { o: { a: 1 } },
      }).catch((e) => e);
      expect(error2).to.be.instanceOf(AnymailUnsupportedFeature);
    });

    it("mergeHeaders go through recipient variables as h:Name = %recipient.h:Name%", async () => {
      await send({
        ...batch,
        headers: { "X-Campaign": "default", "list-unsubscribe": "<mailto:u@example.com>" },
        mergeHeaders: {
          "alice@example.com": { "List-Unsubscribe": "<https://example.com/u/alice>" },
          "bob@example.com": { "X-Extra": "b" },
        },
      });
      expect(form()).to.deep.include({
        "h:X-Campaign": ["default"],
        "h:List-Unsubscribe": ["%recipient.h:List-Unsubscribe%"],
        "h:X-Extra": ["%recipient.h:X-Extra%"],
      });
      expect(form()).not.to.have.property("h:list-unsubscribe");
      expect(recipientVariables()).to.deep.equal({
        "alice@example.com": {
          "h:List-Unsubscribe": "<https://example.com/u/alice>",
          "h:X-Extra": "",
        },
        "bob@example.com": { "h:List-Unsubscribe": "<mailto:u@example.com>", "h:X-Extra": "b" },
      });
    });
  });

  describe("Mailgun sender domain", () => {
    it("[MG-07][MG-03] the senderDomain setting overrides the from domain", async () => {
      await send(basic, { senderDomain: "mail1.example.com" });
      expect(server().last().path).to.equal("/v3/mail1.example.com/messages");
      await send(basic, { env: { MAILGUN_SENDER_DOMAIN: "mail2.example.com" } });
      expect(server().last().path).to.equal("/v3/mail2.example.com/messages");
    });

    it("[MG-08][MG-14][CORE-30] envelopeSender's domain selects the sender domain; its local part is ignored", async () => {
      await send(
        { ...basic, envelopeSender: "anything@mail2.example.com" },
        { senderDomain: "mail1.example.com" },
      );
      expect(server().last().path).to.equal("/v3/mail2.example.com/messages");
      expect(form()).not.to.have.property("h:Sender");
      expect(JSON.stringify(form())).not.to.include("anything@");
    });

    it("espExtra.sender_domain wins over everything and is not sent as a field", async () => {
      await send(
        {
          ...basic,
          envelopeSender: "a@mail2.example.com",
          espExtra: { sender_domain: "mail3.example.com" },
        },
        { senderDomain: "mail1.example.com" },
      );
      expect(server().last().path).to.equal("/v3/mail3.example.com/messages");
      expect(form()).not.to.have.property("sender_domain");
    });

    it("[MG-09] a sender domain containing '/' (even %2F) is refused before calling Mailgun", async () => {
      for (const senderDomain of ["example.com/other", "example.com%2Fother"]) {
        const error = await send(basic, { senderDomain }).catch((e) => e);
        expect(error).to.be.instanceOf(AnymailConfigurationError);
        expect(error.message).to.include("invalid '/' in sender domain");
      }
      expect(server().requests).to.have.length(0);
    });

    it("without any from address or domain, says how to give one", async () => {
      const error = await send({ to: "to@example.com", templateId: "t" }).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailConfigurationError);
      expect(error.message).to.include("senderDomain");
    });

    it("percent-encodes the domain in the URL path", async () => {
      await send(basic, { senderDomain: "mg.example.com?x" });
      expect(server().last().path).to.equal("/v3/mg.example.com%3Fx/messages");
    });
  });

  describe("Mailgun recipient status", () => {
    it("[MG-16] every recipient is queued with Mailgun's message id", async () => {
      const status = await send({
        ...basic,
        to: ["a@example.com", "B <b@example.com>"],
        cc: "c@example.com",
        bcc: "d@example.com",
      });
      expect(status.messageId).to.equal(QUEUED.id);
      expect([...(status.status ?? [])]).to.deep.equal(["queued"]);
      expect(status.recipients).to.deep.equal({
        "a@example.com": { status: "queued", messageId: QUEUED.id },
        "b@example.com": { status: "queued", messageId: QUEUED.id },
        "c@example.com": { status: "queued", messageId: QUEUED.id },
        "d@example.com": { status: "queued", messageId: QUEUED.id },
      });
      expect(status.espResponse).to.deep.include({ status: 200, body: QUEUED });
    });
  });

  describe("Mailgun API errors", () => {
    it("a 400 from Mailgun is an AnymailAPIError carrying Mailgun's text", async () => {
      server().respond(400, {
        message: "'to' parameter is not a valid address. please check documentation",
      });
      const error = await send(basic).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(error.statusCode).to.equal(400);
      expect(error.message).to.include("'to' parameter is not a valid address");
    });

    it("a 404 'Domain not found' says to check the domain and the region URL", async () => {
      server().respond(404, { message: "Domain not found: example.com" });
      const error = await send(basic).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(error.statusCode).to.equal(404);
      expect(error.message).to.include("unknown sender domain 'example.com'");
      expect(error.message).to.include("https://api.eu.mailgun.net/v3");
      expect(error.message).not.to.include(API_KEY);
    });

    it("another 404 stays Mailgun's own error", async () => {
      server().respond(404, "Not Found");
      const error = await send(basic).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(error.message).not.to.include("unknown sender domain");
    });

    it("[MG-09] a 200 'Mailgun Magnificent API' page is an error naming the endpoint", async () => {
      server().respond(200, "Mailgun Magnificent API");
      const error = await send(basic).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(error.message).to.include("invalid Mailgun API endpoint");
      expect(error.message).to.include("/v3/example.com/messages");
    });

    it("a 200 that is not Mailgun's JSON is an error, never a silent success", async () => {
      for (const body of ["<html>proxy</html>", { id: "<x@y>" }, { message: "Queued" }, [1, 2]]) {
        server().respond(200, body);
        const error = await send(basic).catch((e) => e);
        expect(error, JSON.stringify(body)).to.be.instanceOf(AnymailAPIError);
      }
      server().respond(200, { id: "<x@y>", message: "Something else" });
      const error = await send(basic).catch((e) => e);
      expect(error.message).to.include("unrecognized Mailgun API message 'Something else'");
    });

    it("an unreachable API is an AnymailAPIError without the API key", async () => {
      const error = await send(basic, { apiUrl: "http://127.0.0.1:9/v3" }).catch((e) => e);
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(error.message).not.to.include(API_KEY);
    });
  });

  describe("Mailgun configuration", () => {
    it("[MG-02] apiKey is required, and names its env vars", () => {
      expect(() => createSender("mailgun", { env: {} })).to.throw(
        AnymailConfigurationError,
        /apiKey.*ANYMAIL_MAILGUN_API_KEY or MAILGUN_API_KEY/,
      );
    });

    it("[MG-02] apiKey comes from ANYMAIL_MAILGUN_API_KEY, then MAILGUN_API_KEY", async () => {
      const auth = (key: string) => `Basic ${Buffer.from(`api:${key}`).toString("base64")}`;
      const apiUrl = `${server().url}/v3`;
      await createSender("mailgun", { apiUrl, env: { MAILGUN_API_KEY: "bare-key" } }).send(basic);
      expect(server().last().headers.authorization).to.equal(auth("bare-key"));
      await createSender("mailgun", {
        apiUrl,
        env: { MAILGUN_API_KEY: "bare-key", ANYMAIL_MAILGUN_API_KEY: "prefixed-key" },
      }).send(basic);
      expect(server().last().headers.authorization).to.equal(auth("prefixed-key"));
    });

    it("[MG-05] apiUrl defaults to Mailgun's US API and takes the EU URL; a trailing slash is fine", async () => {
      const message = await normalizeMessage(basic);
      const ctx = (settings: { apiUrl?: string }) => ({
        espName: "Mailgun",
        settings: { apiKey: "k", apiUrl: mailgun.settings.apiUrl.default, ...settings },
        unsupported: () => undefined,
        serializeJson: (value: unknown) => JSON.stringify(value),
      });
      expect(mailgun.settings.apiUrl.default).to.equal("https://api.mailgun.net/v3");
      expect(buildRequest(message, ctx({})).url).to.equal(
        "https://api.mailgun.net/v3/example.com/messages",
      );
      expect(buildRequest(message, ctx({ apiUrl: "https://api.eu.mailgun.net/v3/" })).url).to.equal(
        "https://api.eu.mailgun.net/v3/example.com/messages",
      );
    });

    it("[MG-05] apiUrl also comes from ANYMAIL_MAILGUN_API_URL", async () => {
      await createSender("mailgun", {
        apiKey: API_KEY,
        env: { ANYMAIL_MAILGUN_API_URL: `${server().url}/eu/v3` },
      }).send(basic);
      expect(server().last().path).to.equal("/eu/v3/example.com/messages");
    });
  });
});
