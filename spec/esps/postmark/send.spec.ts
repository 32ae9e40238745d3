// Postmark sending, end to end: createSender → real HTTP → the loopback capture server.
// Expected request bodies and statuses were checked against django-anymail 9.0 (the oracle).
import { expect } from "chai";
import { AnymailUnsupportedFeature } from "../../../lib/errors.js";
import { OK, TOKEN, usePostmarkApi } from "./helpers.js";
import { rejectionOf } from "../../helpers/rejection.js";

describe("Postmark send", () => {
  const api = usePostmarkApi();
  const { send, body, sender } = api;
  describe("Postmark send: standard message", () => {
    it("Unicode names, subject, headers, metadata and filenames go as UTF-8 JSON (as 15.1 sends them)", async () => {
      await send({
        from: '"Müller, Anna" <from@example.com>',
        to: "Jürgen <to@example.com>",
        replyTo: "Réply <r@example.com>",
        subject: "Sübject",
        text: "b",
        headers: { "X-Note": "välue" },
        metadata: { kéy: "välue" },
        attachments: [{ filename: "résumé.txt", content: "hello", contentType: "text/plain" }],
      });
      // django-anymail 15.1 (oracle) builds the same fields for this message
      expect(body()).to.deep.include({
        From: '"Müller, Anna" <from@example.com>',
        To: "Jürgen <to@example.com>",
        ReplyTo: "Réply <r@example.com>",
        Subject: "Sübject",
        Headers: [{ Name: "X-Note", Value: "välue" }],
        Metadata: { kéy: "välue" },
      });
      expect((body().Attachments as { Name: string }[])[0].Name).to.equal("résumé.txt");
    });

    it("[PM-01] posts the message as JSON to /email with the server token", async () => {
      const status = await send({
        from: "From Name <from@example.com>",
        to: ["Alice <alice@example.com>", "bob@example.com"],
        cc: "Carol <carol@example.com>",
        bcc: "dave@example.com",
        replyTo: ["reply@example.com", "Other <other@example.com>"],
        subject: "Subject",
        text: "Text body",
        html: "<p>HTML body</p>",
        headers: { "X-Custom": "value", "X-Number": 42 },
      });
      const request = api.server.last();
      expect(request.method).to.equal("POST");
      expect(request.path).to.equal("/email");
      expect(request.headers["x-postmark-server-token"]).to.equal(TOKEN);
      expect(request.headers["content-type"]).to.equal("application/json");
      expect(request.headers.accept).to.equal("application/json");
      expect(request.json).to.deep.equal({
        From: "From Name <from@example.com>",
        To: "Alice <alice@example.com>, bob@example.com",
        Cc: "Carol <carol@example.com>",
        Bcc: "dave@example.com",
        Subject: "Subject",
        ReplyTo: "reply@example.com, Other <other@example.com>",
        Headers: [
          { Name: "X-Custom", Value: "value" },
          { Name: "X-Number", Value: "42" },
        ],
        TextBody: "Text body",
        HtmlBody: "<p>HTML body</p>",
      });
      expect(status.messageId).to.equal(OK.MessageID);
    });

    it("[PM-04] apiUrl without a trailing slash still reaches /email", async () => {
      await send({}, { apiUrl: `${api.server.url}/v1` });
      expect(api.server.last().path).to.equal("/v1/email");
    });

    it("sends attachments base64-encoded, and inline images with a cid: ContentID", async () => {
      await send({
        html: '<img src="cid:logo@example">',
        attachments: [
          { filename: "a.txt", content: "hello ☺", contentType: "text/plain" },
          { content: Buffer.from([0, 1, 2]), contentType: "application/octet-stream" },
          { filename: "logo.png", content: Buffer.from("PNG"), cid: "logo@example" },
        ],
      });
      expect(body().Attachments).to.deep.equal([
        {
          Name: "a.txt",
          Content: Buffer.from("hello ☺").toString("base64"),
          ContentType: "text/plain",
        },
        { Name: "attachment", Content: "AAEC", ContentType: "application/octet-stream" },
        {
          Name: "logo.png",
          Content: "UE5H",
          ContentType: "image/png",
          ContentID: "cid:logo@example",
        },
      ]);
    });
  });

  describe("Postmark send: Anymail features", () => {
    it("[PM-11] sends metadata, the tag and TrackOpens", async () => {
      await send({ metadata: { user_id: "12345", n: 6 }, tags: ["welcome"], trackOpens: false });
      expect(body()).to.include({ Tag: "welcome", TrackOpens: false });
      expect(body().Metadata).to.deep.equal({ user_id: "12345", n: 6 });
    });

    it("[PM-09] trackClicks true → TrackLinks HtmlAndText; false → None", async () => {
      await send({ trackClicks: true });
      expect(body().TrackLinks).to.equal("HtmlAndText");
      await send({ trackClicks: false, trackOpens: true });
      expect(body()).to.include({ TrackLinks: "None", TrackOpens: true });
    });

    it("[PM-07] two tags raise AnymailUnsupportedFeature; ignored, only the first is sent", async () => {
      expect(await rejectionOf(send({ tags: ["one", "two"] }))).to.be.instanceOf(
        AnymailUnsupportedFeature,
      );
      expect(api.server.requests).to.have.length(0);
      await send({ tags: ["one", "two"] }, { ignoreUnsupportedFeatures: true });
      expect(body().Tag).to.equal("one");
    });

    it("[PM-08] sendAt raises AnymailUnsupportedFeature", async () => {
      expect(
        await rejectionOf(send({ sendAt: new Date("2030-01-01T00:00:00Z") })),
      ).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(api.server.requests).to.have.length(0);
    });

    it("[PM-10] envelopeSender raises AnymailUnsupportedFeature", async () => {
      expect(await rejectionOf(send({ envelopeSender: "bounces@example.com" }))).to.be.instanceOf(
        AnymailUnsupportedFeature,
      );
    });

    it("[PM-05] espExtra is merged into the JSON and wins over what Anymail set", async () => {
      await send({
        trackClicks: true,
        espExtra: { TrackLinks: "HtmlOnly", MessageStream: "bulk" },
      });
      expect(body()).to.include({ TrackLinks: "HtmlOnly", MessageStream: "bulk" });
    });

    it("[PM-06] espExtra from sendDefaults applies to every message", async () => {
      const s = sender({ sendDefaults: { espExtra: { MessageStream: "broadcast" } } });
      await s.send({ from: "from@example.com", to: "to@example.com", subject: "one" });
      expect(body().MessageStream).to.equal("broadcast");
      await s.send({ from: "from@example.com", to: "to@example.com", subject: "two" });
      expect(body().MessageStream).to.equal("broadcast");
    });

    it("[PM-03] espExtra.server_token replaces the token for that message only", async () => {
      await send({ espExtra: { server_token: "other-token" } });
      expect(api.server.last().headers["x-postmark-server-token"]).to.equal("other-token");
      expect(body()).to.not.have.property("server_token");
      await send({});
      expect(api.server.last().headers["x-postmark-server-token"]).to.equal(TOKEN);
    });

    it("debug output never shows the server token, nor a per-message one", async () => {
      let printed = "";
      const debugStream = { write: (chunk: string) => (printed += chunk) };
      await send({ subject: "one" }, { debugApiRequests: true, debugStream });
      await send(
        { subject: "two", espExtra: { server_token: "per-message-token" } },
        { debugApiRequests: true, debugStream },
      );
      expect(printed).to.contain("POST").and.contain('"Subject":"two"');
      expect(printed).to.not.contain(TOKEN).and.not.contain("per-message-token");
    });

    it("an inline attachment without a Content-ID is unsupported", async () => {
      const attachments = [
        { filename: "x.png", content: "x", contentDisposition: "inline" as const },
      ];
      expect(await rejectionOf(send({ attachments }))).to.be.instanceOf(AnymailUnsupportedFeature);
      await send({ attachments }, { ignoreUnsupportedFeatures: true });
      expect(body().Attachments).to.deep.equal([
        { Name: "x.png", Content: "eA==", ContentType: "image/png" },
      ]);
    });
  });
});
