// anymailTransport with the real nodemailer: sendMail() calls reach the test ESP and a
// loopback Postmark unchanged, and sendMail() resolves to nodemailer's info plus the status.
import { expect } from "chai";
import { createReadStream } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import {
  AnymailError,
  AnymailRecipientsRefused,
  AnymailStatus,
  AnymailUnsupportedFeature,
  createSender,
  type AnymailMessage,
  type NormalizedMessage,
} from "../../lib/index.js";
import {
  anymailTransport,
  type AnymailSentMessageInfo,
  type AnymailTransportOptions,
} from "../../lib/nodemailer/index.js";
import type { Sender } from "../../lib/sender/sender.js";
import { startCaptureServer, useCaptureServer } from "../helpers/capture-server.js";

/** A nodemailer transporter over `sender`; sendMail resolves to the anymail info. */
function transporterFor(
  sender: Sender,
  options?: AnymailTransportOptions,
  defaults?: Mail.Options,
) {
  // checked against @types/nodemailer's Transport (anymail's own types do not import it)
  const transport: nodemailer.Transport<AnymailSentMessageInfo> = anymailTransport(sender, options);
  const transporter = nodemailer.createTransport(transport, defaults);
  // @types/nodemailer types every custom transport's info as SMTP's; ours is documented here
  return transporter as unknown as nodemailer.Transporter<AnymailSentMessageInfo>;
}

/** What the test ESP received for the last message. */
function sentParams(sender: Sender & { outbox: AnymailMessage[] }): NormalizedMessage {
  return sender.outbox.at(-1)!.anymailTestParams!;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the promise to reject");
}

describe("anymail/nodemailer: anymailTransport", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "anymail-nodemailer-"));
    await writeFile(join(dir, "report.pdf"), "%PDF-1.4 fake");
  });

  describe("message fields (test ESP)", () => {
    it("passes addresses, subject, bodies and headers through", async () => {
      const sender = createSender("test");
      const info = await transporterFor(sender).sendMail({
        from: { name: "Sender, Inc.", address: "from@example.com" },
        to: ["to1@example.com", { name: "Two", address: "to2@example.com" }],
        cc: "Cc Person <cc@example.com>",
        bcc: "bcc@example.com",
        replyTo: "reply@example.com",
        subject: "Hello",
        text: "plain",
        html: Buffer.from("<p>html</p>"),
        headers: { "X-One": "1", "X-Two": ["2"], "X-Three": { prepared: true, value: "3" } },
        messageId: "custom-id@example.com",
        inReplyTo: "parent@example.com",
        references: ["root@example.com", "<parent@example.com>"],
      });
      const params = sentParams(sender);
      expect(params.from?.address).to.equal('"Sender, Inc." <from@example.com>');
      expect(params.to.map(String)).to.deep.equal(["to1@example.com", "Two <to2@example.com>"]);
      expect(params.cc.map(String)).to.deep.equal(["Cc Person <cc@example.com>"]);
      expect(params.bcc.map(String)).to.deep.equal(["bcc@example.com"]);
      expect(params.replyTo.map(String)).to.deep.equal(["reply@example.com"]);
      expect(params).to.include({ subject: "Hello", text: "plain", html: "<p>html</p>" });
      expect(params.headers).to.deep.equal({
        "X-One": "1",
        "X-Two": "2",
        "X-Three": "3",
        "Message-ID": "<custom-id@example.com>",
        "In-Reply-To": "<parent@example.com>",
        References: "<root@example.com> <parent@example.com>",
      });
      expect(info.anymailStatus).to.be.instanceOf(AnymailStatus);
      const id = info.anymailStatus.messageIds[0];
      expect(info.messageId).to.equal(id).and.to.be.a("string");
      expect(info.messageIds).to.deep.equal([id]);
      expect(info.accepted).to.have.members([
        "to1@example.com",
        "to2@example.com",
        "cc@example.com",
        "bcc@example.com",
      ]);
      expect(info).to.deep.include({ rejected: [], pending: [], response: "Test: sent" });
      expect(info.envelope).to.deep.equal({
        from: "from@example.com",
        to: ["to1@example.com", "to2@example.com", "cc@example.com", "bcc@example.com"],
      });
    });

    it("writes `list` as the List-* headers nodemailer itself writes", async () => {
      const list = {
        help: "admin@example.com?subject=help",
        unsubscribe: [
          { url: "http://example.com/unsub", comment: "Unsubscribe" },
          "unsubscribe@example.com",
        ],
        id: { url: "mylist.example.com", comment: "My list" },
        post: [["http://example.com/post", { url: "post@example.com", comment: "Post" }]],
      };
      const sender = createSender("test");
      await transporterFor(sender).sendMail({ from: "a@example.com", to: "b@example.com", list });
      // nodemailer's stream transport writes the MIME its SMTP transport would send
      const mime = await nodemailer
        .createTransport({ streamTransport: true, buffer: true })
        .sendMail({ from: "a@example.com", to: "b@example.com", list });
      const head = (mime.message as Buffer).toString().split("\r\n\r\n")[0];
      const expected: Record<string, string> = {};
      for (const line of head.replace(/\r\n(?=[ \t])/g, "").split("\r\n")) {
        const [, name, value] = /^(List-[^:]+): (.*)$/i.exec(line) ?? [];
        // one header line per array item there; joined with ", " here
        if (name) expected[name] = expected[name] ? `${expected[name]}, ${value}` : value;
      }
      expect(Object.keys(expected)).to.have.length(4);
      expect(sentParams(sender).headers).to.deep.equal(expected);
      expect(Object.keys(sentParams(sender).headers)).to.include("List-Unsubscribe");
    });

    it("sets priority as X-Priority, X-MSMail-Priority and Importance", async () => {
      const sender = createSender("test");
      const transporter = transporterFor(sender);
      await transporter.sendMail({ from: "a@example.com", to: "b@example.com", priority: "high" });
      expect(sentParams(sender).headers).to.deep.equal({
        "X-Priority": "1 (Highest)",
        "X-MSMail-Priority": "High",
        Importance: "High",
      });
      await transporter.sendMail({ from: "a@example.com", to: "b@example.com", priority: "low" });
      expect(sentParams(sender).headers).to.include({ "X-Priority": "5 (Lowest)" });
      await transporter.sendMail({
        from: "a@example.com",
        to: "b@example.com",
        priority: "normal",
      });
      expect(sentParams(sender).headers).to.deep.equal({});
    });

    it("uses envelope.from as the envelope sender, and the transporter's defaults", async () => {
      const sender = createSender("test");
      const transporter = transporterFor(sender, {}, { from: "default@example.com" });
      const info = await transporter.sendMail({
        to: "b@example.com",
        envelope: { from: "bounces@example.com", to: "b@example.com" },
      });
      expect(sentParams(sender).from?.addrSpec).to.equal("default@example.com");
      expect(sentParams(sender).envelopeSender?.addrSpec).to.equal("bounces@example.com");
      expect(info.envelope).to.deep.equal({ from: "bounces@example.com", to: ["b@example.com"] });
    });

    it("loads text and html from a stream, a file and alternatives", async () => {
      const sender = createSender("test");
      await writeFile(join(dir, "body.html"), "<b>from a file</b>");
      await transporterFor(sender).sendMail({
        from: "a@example.com",
        to: "b@example.com",
        text: Readable.from(["streamed ", "text"]),
        html: { path: join(dir, "body.html") },
        amp: "<html amp4email>amp</html>",
        alternatives: [{ content: "BEGIN:VCARD", contentType: "text/vcard" }],
      });
      const params = sentParams(sender);
      expect(params).to.include({ text: "streamed text", html: "<b>from a file</b>" });
      expect(params.alternatives).to.deep.equal([
        { content: "<html amp4email>amp</html>", contentType: "text/x-amp-html" },
        { content: "BEGIN:VCARD", contentType: "text/vcard" },
      ]);
    });

    it("answers transporter.verify() with true, by promise and by callback", async () => {
      const transporter = transporterFor(createSender("test"));
      expect(await transporter.verify()).to.equal(true);
      const success = await new Promise((resolve, reject) =>
        transporter.verify((error, ok) => (error ? reject(error) : resolve(ok))),
      );
      expect(success).to.equal(true);
    });

    it("works with callback-style sendMail", async () => {
      const sender = createSender("test");
      const transporter = transporterFor(sender);
      const info = await new Promise<AnymailSentMessageInfo>((resolve, reject) =>
        transporter.sendMail({ from: "a@example.com", to: "b@example.com" }, (error, result) =>
          error ? reject(error) : resolve(result),
        ),
      );
      expect(info.accepted).to.deep.equal(["b@example.com"]);
    });
  });

  describe("attachments (test ESP)", () => {
    it("reads content, encoded content, file paths, streams and data: URIs", async () => {
      const sender = createSender("test");
      await transporterFor(sender).sendMail({
        from: "a@example.com",
        to: "b@example.com",
        attachments: [
          { filename: "a.txt", content: "hello" },
          { filename: "b.bin", content: "aGk=", encoding: "base64" },
          { path: join(dir, "report.pdf") },
          { filename: "c.pdf", content: createReadStream(join(dir, "report.pdf")) },
          { filename: "d.txt", content: Readable.from([Buffer.from("str"), Buffer.from("eam")]) },
          { filename: "e.txt", path: "data:text/plain;base64,ZGF0YQ==" },
          { filename: "logo.png", content: Buffer.from("png"), cid: "logo@x" },
          // unnamed: named as nodemailer names them
          { content: "png", contentType: "image/png" },
          { path: "data:,plain" },
        ],
      });
      const attachments = sentParams(sender).attachments;
      expect(
        attachments.map((a) => [a.filename, a.content.toString(), a.contentType, a.inline]),
      ).to.deep.equal([
        ["a.txt", "hello", "text/plain", false],
        ["b.bin", "hi", "application/octet-stream", false],
        ["report.pdf", "%PDF-1.4 fake", "application/pdf", false],
        ["c.pdf", "%PDF-1.4 fake", "application/pdf", false],
        ["d.txt", "stream", "text/plain", false],
        ["e.txt", "data", "text/plain", false],
        ["logo.png", "png", "image/png", true],
        ["attachment-8.png", "png", "image/png", false],
        ["attachment-9.bin", "plain", "application/octet-stream", false],
      ]);
      expect(attachments[6].cid).to.equal("logo@x");
    });

    it("refuses file paths when nodemailer's disableFileAccess is set", async () => {
      const sender = createSender("test");
      const transporter = nodemailer.createTransport(anymailTransport(sender));
      transporter.options.disableFileAccess = true;
      const error = await rejection(
        transporter.sendMail({
          from: "a@example.com",
          to: "b@example.com",
          attachments: [{ path: join(dir, "report.pdf") }],
        }),
      );
      expect(error).to.be.instanceOf(AnymailError);
      expect(error.message).to.match(/file access is disabled/);
      expect(sender.outbox).to.have.length(0);
    });
  });

  describe("attachments from a URL", () => {
    const server = useCaptureServer(200, "file body");
    const http = { urlAccess: { protocols: ["http:"] } };

    it("fetches href (and an http(s) path), named after the URL, with its httpHeaders", async () => {
      const sender = createSender("test");
      // httpHeaders is nodemailer's (its type definitions leave it out)
      const signed = {
        href: `${server().url}/files/report.txt?sig=s3cret`,
        httpHeaders: { "X-Auth": "k" },
      };
      await transporterFor(sender, http).sendMail({
        from: "a@example.com",
        to: "b@example.com",
        attachments: [signed, { path: `${server().url}/other.txt` }],
      });
      const [first, second] = sentParams(sender).attachments;
      expect(first).to.include({ filename: "report.txt", contentType: "text/plain" });
      expect(first.content.toString()).to.equal("file body");
      expect(second.filename).to.equal("other.txt");
      expect(server().requests[0]).to.include({ path: "/files/report.txt?sig=s3cret" });
      expect(server().requests[0].headers["x-auth"]).to.equal("k");
    });

    it("allows only https: by default, and never shows the URL's query", async () => {
      const sender = createSender("test");
      const error = await rejection(
        transporterFor(sender).sendMail({
          from: "a@example.com",
          to: "b@example.com",
          attachments: [{ href: `${server().url}/f.txt?token=s3cret` }],
        }),
      );
      expect(error).to.be.instanceOf(AnymailError);
      expect(error.message).to.match(/http: URLs are not allowed/);
      expect(error.message).not.to.include("s3cret");
      expect(server().requests).to.have.length(0);
    });

    it("stops at the size limit", async () => {
      server().respond(200, "x".repeat(2000));
      const sender = createSender("test");
      const error = await rejection(
        transporterFor(sender, { urlAccess: { protocols: ["http:"], maxBytes: 1000 } }).sendMail({
          from: "a@example.com",
          to: "b@example.com",
          attachments: [{ href: `${server().url}/big.bin` }],
        }),
      );
      expect(error.message).to.match(/larger than 1000 bytes/);
      expect(sender.outbox).to.have.length(0);
    });

    it("gives up after the timeout", async () => {
      server().hangOnce();
      const sender = createSender("test");
      const error = await rejection(
        transporterFor(sender, { urlAccess: { protocols: ["http:"], timeoutMs: 200 } }).sendMail({
          from: "a@example.com",
          to: "b@example.com",
          attachments: [{ href: `${server().url}/slow.bin` }],
        }),
      );
      expect(error).to.be.instanceOf(AnymailError);
      expect(error.message).to.match(/took longer than 200 ms/);
    });

    it("loads html from a URL and text from a data: URI or encoded content", async () => {
      server().respond(200, "<p>remote</p>");
      const sender = createSender("test");
      await transporterFor(sender, http).sendMail({
        from: "a@example.com",
        to: "b@example.com",
        html: { href: `${server().url}/body.html` },
        text: { path: "data:text/plain,hi%20there" },
        alternatives: [
          { content: "PGk+YW1wPC9pPg==", encoding: "base64", contentType: "text/x-x" },
        ],
      });
      expect(sentParams(sender)).to.include({ html: "<p>remote</p>", text: "hi there" });
      expect(sentParams(sender).alternatives[0].content).to.equal("<i>amp</i>");
    });

    it("refuses a declared Content-Length over the limit before reading the body", async () => {
      server().respond(200, "x".repeat(2000), { "content-length": "2000" });
      const error = await rejection(
        transporterFor(createSender("test"), {
          urlAccess: { protocols: ["http:"], maxBytes: 1000 },
        }).sendMail({
          from: "a@example.com",
          to: "b@example.com",
          attachments: [{ href: `${server().url}/big.bin` }],
        }),
      );
      expect(error.message).to.match(/larger than 1000 bytes/);
    });

    it("explains unreachable URLs, bad URLs, missing files and disableUrlAccess", async () => {
      const send = (extra: Mail.Options, transport = transporterFor(createSender("test"), http)) =>
        rejection(transport.sendMail({ from: "a@example.com", to: "b@example.com", ...extra }));
      const closed = await startCaptureServer();
      await closed.close();
      expect(
        (await send({ attachments: [{ href: `${closed.url}/f?k=s3cret` }] })).message,
      ).to.equal(`Attachment 0: cannot fetch ${closed.url}/f`);
      expect((await send({ attachments: [{ href: "not a url" }] })).message).to.equal(
        "Attachment 0: not a valid URL",
      );
      expect((await send({ html: { path: join(dir, "missing.html") } })).message).to.match(
        /^html: cannot read .*missing\.html$/,
      );
      const noUrls = nodemailer.createTransport(anymailTransport(createSender("test"), http));
      noUrls.options.disableUrlAccess = true;
      const error = await rejection(
        noUrls.sendMail({
          from: "a@example.com",
          to: "b@example.com",
          attachments: [{ href: `${server().url}/f` }],
        }),
      );
      expect(error.message).to.equal("Attachment 0: URL access is disabled (disableUrlAccess)");
      expect(server().requests).to.have.length(0);
    });

    it("fails on an HTTP error status", async () => {
      server().respond(404, "nope");
      const error = await rejection(
        transporterFor(createSender("test"), http).sendMail({
          from: "a@example.com",
          to: "b@example.com",
          attachments: [{ href: `${server().url}/missing.txt` }],
        }),
      );
      expect(error.message).to.match(/HTTP 404/);
    });
  });

  describe("what an ESP API cannot take", () => {
    const cases: Array<[string, Mail.Options]> = [
      ["a raw message", { raw: "From: a@example.com\r\n\r\nhi" }],
      ["icalEvent", { icalEvent: "BEGIN:VCALENDAR" }],
      ["envelope recipients that differ", { envelope: { to: "other@example.com" } }],
      ["a repeated header", { headers: { "X-Tag": ["a", "b"] } }],
    ];
    for (const [what, extra] of cases) {
      it(`refuses ${what} with AnymailUnsupportedFeature`, async () => {
        const sender = createSender("test");
        const error = await rejection(
          transporterFor(sender).sendMail({ from: "a@example.com", to: "b@example.com", ...extra }),
        );
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
        expect(sender.outbox).to.have.length(0);
      });
    }
  });

  describe("through a loopback Postmark", () => {
    const OK = { To: "to@example.com", MessageID: "pm-id-1", ErrorCode: 0, Message: "OK" };
    const server = useCaptureServer(200, OK);
    const postmark = (options = {}) =>
      createSender("postmark", { serverToken: "t", apiUrl: server().url, env: {}, ...options });

    it("sends headers, list, priority and a streamed attachment in Postmark's request", async () => {
      const info = await transporterFor(postmark()).sendMail({
        from: "from@example.com",
        to: "to@example.com",
        subject: "Hi",
        text: "Hello",
        headers: { "X-Campaign": "c1" },
        list: { unsubscribe: "https://example.com/u" },
        priority: "high",
        attachments: [{ filename: "s.txt", content: Readable.from(["streamed"]) }],
      });
      const body = server().last().json as Record<string, unknown>;
      expect(body).to.include({ From: "from@example.com", To: "to@example.com", Subject: "Hi" });
      expect(body.Headers).to.deep.include.members([
        { Name: "X-Campaign", Value: "c1" },
        { Name: "List-Unsubscribe", Value: "<https://example.com/u>" },
        { Name: "X-Priority", Value: "1 (Highest)" },
        { Name: "Importance", Value: "High" },
      ]);
      expect(body.Attachments).to.deep.equal([
        {
          Name: "s.txt",
          ContentType: "text/plain",
          Content: Buffer.from("streamed").toString("base64"),
        },
      ]);
      expect(info).to.deep.include({
        messageId: "pm-id-1",
        accepted: ["to@example.com"],
        rejected: [],
        response: "Postmark: sent",
      });
    });

    it("lists refused recipients in info.rejected", async () => {
      server().respond(200, {
        ...OK,
        To: "to@example.com, gone@example.com",
        Message:
          "Message OK, but will not deliver to these inactive addresses: gone@example.com. " +
          "Inactive recipients are ones that have generated a hard bounce or a spam complaint.",
      });
      const info = await transporterFor(postmark()).sendMail({
        from: "from@example.com",
        to: ["to@example.com", "gone@example.com"],
      });
      expect(info.accepted).to.deep.equal(["to@example.com"]);
      expect(info.rejected).to.deep.equal(["gone@example.com"]);
      expect(info.anymailStatus.recipients["gone@example.com"].status).to.equal("rejected");
    });

    it("rejects sendMail with anymail's error when every recipient is refused", async () => {
      server().respond(422, {
        ErrorCode: 406,
        Message:
          "You tried to send to a recipient that has been marked as inactive.\n" +
          "Found inactive addresses: gone@example.com.\nInactive recipients are ones that …",
      });
      const error = await rejection(
        transporterFor(postmark()).sendMail({ from: "from@example.com", to: "gone@example.com" }),
      );
      expect(error).to.be.instanceOf(AnymailRecipientsRefused);
    });
  });
});
