import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { AnymailInboundMessage } from "../../lib/events/inbound-message.js";
import { SLICE_BYTES } from "../../lib/events/mime-reader.js";
import { EmailAddress } from "../../lib/sender/address.js";
import {
  ALTERNATIVE,
  BROKEN,
  ENCODED_WORDS,
  FORWARDED,
  LATIN1,
  NON_ASCII_FILENAMES,
  RELATED,
  SHIFT_JIS,
  WINDOWS_1252,
} from "./inbound-samples.js";

describe("Inbound message: from raw MIME", () => {
  it("[HOOK-44] [HOOK-45] [HOOK-46] [HOOK-47] [HOOK-48] [HOOK-49] reads a multipart/alternative message", async () => {
    const message = await AnymailInboundMessage.fromRaw(ALTERNATIVE);
    expect(message.fromEmail).to.be.instanceOf(EmailAddress);
    expect(String(message.fromEmail)).to.equal(
      '"Dr. Justin Customer, CPA" <jcustomer@example.org>',
    );
    expect(message.fromEmail?.addrSpec).to.equal("jcustomer@example.org");
    expect(message.fromEmail?.displayName).to.equal("Dr. Justin Customer, CPA");
    expect(message.fromEmail?.username).to.equal("jcustomer");
    expect(message.fromEmail?.domain).to.equal("example.org");
    expect(message.to.map(String)).to.deep.equal([
      "Support <support@example.com>",
      "second@example.com",
    ]);
    expect(message.to[1].displayName).to.equal("");
    expect(message.cc.map(String)).to.deep.equal(["Renée <renee@example.net>"]);
    expect(message.subject).to.equal("Question about my order");
    expect(message.date?.toISOString()).to.equal("2026-11-23T10:00:00.000Z");
    expect(message.text).to.equal("Where is my order?");
    expect(message.html).to.equal("<p>Where is my <b>order</b>?</p>");
    expect(message.attachments).to.deep.equal([]);
    expect(message.inlineAttachments).to.deep.equal({});
  });

  it("[HOOK-49] takes the first text/plain and text/html body parts as sent, nothing generated", async () => {
    const htmlOnly = await AnymailInboundMessage.fromRaw(
      "Content-Type: text/html; charset=utf-8\r\n\r\n<p>only <b>html</b></p>",
    );
    expect(htmlOnly.text).to.equal(null);
    expect(htmlOnly.html).to.equal("<p>only <b>html</b></p>");
    const mixed = await AnymailInboundMessage.fromRaw(
      [
        'Content-Type: multipart/mixed; boundary="m"',
        "",
        "--m",
        "Content-Type: text/plain",
        "",
        "first text",
        "--m",
        "Content-Type: text/html",
        "",
        "<p>the html</p>",
        "--m",
        "Content-Type: text/plain",
        "Content-Disposition: inline",
        "",
        "second text",
        "--m--",
        "",
      ].join("\r\n"),
    );
    expect(mixed.text).to.equal("first text");
    expect(mixed.html).to.equal("<p>the html</p>");
    expect(mixed.attachments).to.deep.equal([]);
  });

  it("[HOOK-54] [HOOK-56] reads headers case-insensitively, every value of repeated ones", async () => {
    const message = await AnymailInboundMessage.fromRaw(ALTERNATIVE);
    expect(message.get("reply-to")).to.equal("replies@example.org");
    expect(message.get("REPLY-TO")).to.equal("replies@example.org");
    expect(message.get("Message-ID")).to.equal("<order-1234@mail.example.org>");
    expect(message.getAll("dkim-signature")).to.have.length(2);
    expect(message.getAll("Received")[1]).to.match(/^from \[10\.0\.0\.1\]/);
    expect(message.get("X-Missing")).to.equal(null);
    expect(message.getAll("X-Missing")).to.deep.equal([]);
  });

  it("[HOOK-55] reports its content type and walks its parts", async () => {
    const message = await AnymailInboundMessage.fromRaw(RELATED);
    expect(message.getContentType()).to.equal("multipart/mixed");
    expect(message.getContentMaintype()).to.equal("multipart");
    const types = [...message.walk()].map((part) => part.getContentType());
    expect(types).to.deep.equal(["multipart/mixed", "application/pdf", "image/png", "image/gif"]);
  });

  it("[HOOK-50] [HOOK-51] [HOOK-60] separates inline images (by cid) from attachments", async () => {
    const message = await AnymailInboundMessage.fromRaw(RELATED);
    expect(message.html).to.include('src="cid:logo-a@example.org"');
    expect(Object.keys(message.inlineAttachments)).to.deep.equal(["logo-a@example.org", "logo-b"]);
    const logoA = message.inlineAttachments["logo-a@example.org"];
    expect(logoA.getContentType()).to.equal("image/png");
    expect(logoA.isInlineAttachment()).to.equal(true);
    expect(logoA.getContentDisposition()).to.equal("inline");
    expect(logoA.getContentBytes().subarray(1, 4).toString()).to.equal("PNG");
    // no Content-Disposition: shown inline through multipart/related, but not "inline"
    const logoB = message.inlineAttachments["logo-b"];
    expect(logoB.getContentDisposition()).to.equal(null);
    expect(logoB.isInlineAttachment()).to.equal(false);
    expect(message.attachments).to.have.length(1);
    const [pdf] = message.attachments;
    expect(pdf.getFilename()).to.equal("brief.pdf");
    expect(pdf.getContentDisposition()).to.equal("attachment");
    expect(pdf.isInlineAttachment()).to.equal(false);
  });

  it("[HOOK-58] [HOOK-59] [HOOK-63] gives attachment types, filenames and decoded bytes", async () => {
    const message = await AnymailInboundMessage.fromRaw(NON_ASCII_FILENAMES);
    const [resume, binary, sneaky] = message.attachments;
    expect(resume.getFilename()).to.equal("Résumé €.txt");
    expect(resume.getContentType()).to.equal("text/plain");
    expect(resume.getContentCharset()).to.equal("utf-8");
    expect(binary.getFilename()).to.equal("日本語.bin");
    expect(binary.getContentMaintype()).to.equal("application");
    expect(binary.getContentSubtype()).to.equal("octet-stream");
    expect([...binary.getContentBytes()]).to.deep.equal([0, 1, 2, 3]);
    // #17 item 10: the directory part never reaches the user; the raw value stays in the header
    expect(sneaky.getFilename()).to.equal("passwd");
    expect(sneaky.get("Content-Disposition")).to.include("../../etc/passwd");
  });

  it("[HOOK-65] turns an attachment into a File with a safe name", async () => {
    const message = await AnymailInboundMessage.fromRaw(NON_ASCII_FILENAMES);
    const [resume, , sneaky] = message.attachments;
    const file = resume.asFile();
    expect(file).to.be.instanceOf(File);
    expect(file.name).to.equal("Résumé €.txt");
    expect(file.type).to.equal("text/plain");
    expect(await file.text()).to.equal("CV");
    expect(sneaky.asFile().name).to.equal("passwd");
  });

  it("[HOOK-57] decodes ISO-8859-1 quoted-printable bodies and headers", async () => {
    const message = await AnymailInboundMessage.fromRaw(LATIN1);
    expect(message.text).to.equal("Voilà le café crème brûlée.\n");
    expect(message.subject).to.equal("Réponse à votre demande");
    expect(message.fromEmail?.displayName).to.equal("François");
  });

  it("[HOOK-57] decodes windows-1252 (€, curly quotes, dashes) correctly", async () => {
    const message = await AnymailInboundMessage.fromRaw(WINDOWS_1252);
    expect(message.text).to.equal("Fiancée’s “résumé” costs €5 – naïve\n");
  });

  it("[HOOK-57] decodes Shift_JIS bodies and encoded-word headers", async () => {
    const message = await AnymailInboundMessage.fromRaw(SHIFT_JIS);
    expect(message.text).to.equal("こんにちは、世界。添付を確認してください。");
    expect(message.subject).to.equal("日本語の件名");
    expect(message.fromEmail?.displayName).to.equal("日本語の件名");
  });

  it("[HOOK-57] decodes encoded words split mid-character, folded, and mixed with text", async () => {
    const message = await AnymailInboundMessage.fromRaw(ENCODED_WORDS);
    expect(message.subject).to.equal("Réunion 😀 à Zürich (today)");
    expect(message.fromEmail?.displayName).to.equal("Grüße aus Köln ✓");
    expect(message.get("x-comment")).to.equal("plain café and thé end");
  });

  it("[HOOK-64] reads a forwarded message/rfc822 attachment as a message", async () => {
    const message = await AnymailInboundMessage.fromRaw(FORWARDED);
    expect(message.text).to.equal("See the forwarded message.");
    expect(message.attachments).to.have.length(1);
    const forwarded = message.attachments[0];
    expect(forwarded).to.be.instanceOf(AnymailInboundMessage);
    expect(forwarded.getContentType()).to.equal("message/rfc822");
    expect(forwarded.getFilename()).to.equal("invoice.eml");
    expect(forwarded.subject).to.equal("Invoice № 42");
    expect(String(forwarded.fromEmail)).to.equal("Billing <billing@vendor.example>");
    expect(forwarded.date?.toISOString()).to.equal("2026-11-18T09:15:00.000Z");
    expect(forwarded.text).to.equal("Your invoice is attached.");
    expect(forwarded.attachments.map((a) => a.getFilename())).to.deep.equal(["lines.csv"]);
    expect(forwarded.attachments[0].getContentText()).to.equal("item,price");
    expect(forwarded.getContentText()).to.match(/^From: Billing/);
  });

  it("[HOOK-44] [HOOK-46] [HOOK-47] [HOOK-48] survives no From, a bad Date, no Subject", async () => {
    const message = await AnymailInboundMessage.fromRaw(BROKEN);
    expect(message.fromEmail).to.equal(null);
    expect(message.to).to.deep.equal([]);
    expect(message.cc).to.deep.equal([]);
    expect(message.date).to.equal(null);
    expect(message.subject).to.equal(null);
    expect(message.html).to.equal(null);
    expect(message.text).to.equal("Just a body.\n");
    expect(message.getContentType()).to.equal("text/plain");
  });

  it("[HOOK-48] reads a missing Date as null and a -0000 zone as UTC", async () => {
    const none = await AnymailInboundMessage.fromRaw("Subject: x\r\n\r\nbody");
    expect(none.date).to.equal(null);
    const noZone = await AnymailInboundMessage.fromRaw(
      "Date: Thu, 1 Jan 2026 12:00:00 -0000\r\n\r\nbody",
    );
    expect(noZone.date?.toISOString()).to.equal("2026-01-01T12:00:00.000Z");
  });

  it("[HOOK-42] [HOOK-43] [HOOK-52] [HOOK-53] has settable envelope, spam and stripped fields, null by default", async () => {
    const message = await AnymailInboundMessage.fromRaw(ALTERNATIVE);
    expect(message.envelopeSender).to.equal(null);
    expect(message.envelopeRecipient).to.equal(null);
    expect(message.spamScore).to.equal(null);
    expect(message.spamDetected).to.equal(null);
    expect(message.strippedText).to.equal(null);
    expect(message.strippedHtml).to.equal(null);
    message.envelopeSender = "bounces@example.org";
    message.envelopeRecipient = "support@example.com";
    message.spamScore = 1.5;
    message.spamDetected = false;
    message.strippedText = "Where?";
    message.strippedHtml = "<p>Where?</p>";
    expect(message).to.include({
      envelopeSender: "bounces@example.org",
      envelopeRecipient: "support@example.com",
      spamScore: 1.5,
      spamDetected: false,
    });
  });

  it("[HOOK-62] decodes attachment text with the declared or a given charset", async () => {
    const message = await AnymailInboundMessage.fromFields({
      attachments: [
        {
          filename: "latin.txt",
          contentType: "text/plain; charset=iso-8859-1",
          content: Buffer.from([0x63, 0x61, 0x66, 0xe9]),
        },
        { filename: "bad.txt", contentType: "text/plain", content: Buffer.from([0x61, 0xff]) },
      ],
    });
    const [latin, bad] = message.attachments;
    expect(latin.getContentText()).to.equal("café");
    expect(latin.getContentText("windows-1252")).to.equal("café");
    expect(latin.getContentText("utf-8")).to.equal("caf\uFFFD");
    expect(bad.getContentText()).to.equal("a\uFFFD");
    expect(bad.getContentText(null, "ignore")).to.equal("a");
    expect(() => bad.getContentText(null, "strict")).to.throw();
    expect(latin.getContentText(null, "strict")).to.equal("café");
  });
});

describe("Inbound message: a message longer than one slice fed to mailparser", () => {
  it("reads parts whose delimiter and base64 body straddle the slice boundary", async () => {
    const attachment = randomBytes(Math.floor(SLICE_BYTES * 0.72));
    const base64 = attachment.toString("base64").replace(/.{76}/g, "$&\r\n");
    const build = (pad: string) =>
      Buffer.from(
        [
          "From: sender@example.net",
          "To: inbound@example.com",
          "Subject: Long",
          "MIME-Version: 1.0",
          'Content-Type: multipart/mixed; boundary="b1"',
          "",
          "--b1",
          "Content-Type: text/plain; charset=utf-8",
          "",
          `start ${pad}`,
          "--b1",
          'Content-Type: application/octet-stream; name="big.bin"',
          "Content-Transfer-Encoding: base64",
          "",
          base64,
          "--b1",
          "Content-Type: text/html; charset=utf-8",
          "Content-Transfer-Encoding: quoted-printable",
          "",
          "<p>Zo=C3=AB after the slice</p>",
          "--b1--",
          "",
        ].join("\r\n"),
      );
    // pad the first part so the delimiter after the attachment begins 3 bytes before the
    // end of the first slice
    const delimiterAt = (raw: Buffer) => raw.indexOf("\r\n--b1\r\nContent-Type: text/html");
    const raw = build("x".repeat(SLICE_BYTES - 3 - delimiterAt(build(""))));
    expect(delimiterAt(raw)).to.equal(SLICE_BYTES - 3);

    const message = await AnymailInboundMessage.fromRaw(raw);
    expect(message.subject).to.equal("Long");
    expect(message.text?.startsWith("start xxx")).to.equal(true);
    expect(message.html).to.equal("<p>Zoë after the slice</p>");
    expect(message.attachments).to.have.length(1);
    expect(message.attachments[0].getFilename()).to.equal("big.bin");
    expect(message.attachments[0].getContentBytes().equals(attachment)).to.equal(true);
  });
});

describe("Inbound message: from an ESP's parsed fields", () => {
  it("[HOOK-44] [HOOK-46] [HOOK-47] [HOOK-48] [HOOK-49] builds a message from fields", async () => {
    const message = await AnymailInboundMessage.fromFields({
      headers: [
        ["Message-ID", "<abc@example.org>"],
        ["Subject", "=?utf-8?q?ignored_because_given?="],
        ["X-Tag", "=?utf-8?q?caf=C3=A9?="],
      ],
      from: '"Sender, Esq." <sender@example.org>',
      to: "a@example.com, B <b@example.com>",
      subject: "Given subject",
      date: "Mon, 23 Nov 2026 10:00:00 +0000",
      text: "text body",
      html: "<p>html body</p>",
    });
    expect(String(message.fromEmail)).to.equal('"Sender, Esq." <sender@example.org>');
    expect(message.to.map((a) => a.addrSpec)).to.deep.equal(["a@example.com", "b@example.com"]);
    expect(message.cc).to.deep.equal([]);
    expect(message.subject).to.equal("Given subject");
    expect(message.date?.toISOString()).to.equal("2026-11-23T10:00:00.000Z");
    expect(message.text).to.equal("text body");
    expect(message.html).to.equal("<p>html body</p>");
    expect(message.get("message-id")).to.equal("<abc@example.org>");
    expect(message.get("x-tag")).to.equal("café");
    expect(message.get("From")).to.equal('"Sender, Esq." <sender@example.org>');
  });

  it("[HOOK-44] [HOOK-46] [HOOK-48] falls back to headers, and to null/[] for invalid values", async () => {
    const fromHeaders = await AnymailInboundMessage.fromFields({
      headers: [
        ["From", "x@example.org"],
        ["Cc", "c@example.org"],
        ["Date", "Tue, 24 Nov 2026 01:02:03 +0200"],
      ],
    });
    expect(fromHeaders.fromEmail?.addrSpec).to.equal("x@example.org");
    expect(fromHeaders.cc.map(String)).to.deep.equal(["c@example.org"]);
    expect(fromHeaders.date?.toISOString()).to.equal("2026-11-23T23:02:03.000Z");
    const invalid = await AnymailInboundMessage.fromFields({
      from: "not an address",
      to: "also, not valid",
      date: "yesterday",
    });
    expect(invalid.fromEmail).to.equal(null);
    expect(invalid.to).to.deep.equal([]);
    expect(invalid.date).to.equal(null);
    expect(invalid.subject).to.equal(null);
    expect(invalid.text).to.equal(null);
    const dated = await AnymailInboundMessage.fromFields({ date: new Date(0) });
    expect(dated.date?.getTime()).to.equal(0);
    expect((await AnymailInboundMessage.fromFields({ date: new Date(NaN) })).date).to.equal(null);
  });

  it("[HOOK-50] [HOOK-51] [HOOK-61] [HOOK-64] takes attachments, inline images and forwarded messages", async () => {
    const message = await AnymailInboundMessage.fromFields({
      html: '<img src="cid:img1">',
      attachments: [
        { filename: "a.txt", contentType: "text/plain", content: "hello" },
        {
          filename: "i.png",
          contentType: "image/png",
          content: Buffer.from([1]),
          contentId: "<img1>",
          inline: true,
        },
        {
          contentType: "message/rfc822",
          content: "Subject: inner\r\nFrom: i@example.org\r\n\r\ninner body",
        },
        { content: Buffer.from([2]), inline: true },
      ],
    });
    expect(Object.keys(message.inlineAttachments)).to.deep.equal(["img1"]);
    const image = message.inlineAttachments.img1;
    expect(image.getContentDisposition()).to.equal("inline");
    expect(image.get("content-id")).to.equal("<img1>");
    expect(message.attachments).to.have.length(3);
    const [text, forwarded, noCid] = message.attachments;
    expect(text.getContentText()).to.equal("hello");
    expect(text.getContentDisposition()).to.equal("attachment");
    expect(forwarded.subject).to.equal("inner");
    expect(forwarded.text).to.equal("inner body");
    expect(forwarded.getContentType()).to.equal("message/rfc822");
    // an inline part without a Content-ID has no key: kept with the attachments, not lost
    expect(noCid.isInlineAttachment()).to.equal(true);
    expect(noCid.getContentType()).to.equal("application/octet-stream");
    expect(noCid.getFilename()).to.equal(null);
    expect(noCid.asFile().name).to.equal("attachment");
  });
});
