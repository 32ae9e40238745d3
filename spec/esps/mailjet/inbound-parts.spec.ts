// Mailjet Parse API payloads → the re-assembled MIME message. The payload follows Mailjet's
// Parse API guide (dev.mailjet.com/email/guides/parse-api/); the MIME it yields is read back
// with mailparser, as the inbound message does.
import { expect } from "chai";
import { simpleParser } from "mailparser";
import { AnymailError } from "../../../lib/errors.js";
import {
  flattenHeaders,
  toInboundParts,
  toInboundPayload,
  type MailjetInboundPayload,
} from "../../../lib/esps/mailjet/inbound.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

export const PARSE_PAYLOAD: MailjetInboundPayload = {
  Sender: "pilot@mailjet.com",
  Recipient: "passenger@mailjet.com",
  Date: "20150410T160638",
  From: "Pilot <pilot@mailjet.com>",
  Subject: "Hey! It's Friday!",
  Headers: {
    "Return-Path": ["<pilot@mailjet.com>"],
    Received: ["by 10.107.134.160 with HTTP; Fri, 10 Apr 2015 09:06:38 -0700 (PDT)", "by relay2"],
    "DKIM-Signature": [
      "v=1; a=rsa-sha256; d=mailjet.com; s=google; b=first",
      "v=1; d=1e100.net; b=second",
    ],
    "MIME-Version": ["1.0"],
    "Content-Type": ["multipart/mixed; boundary=001a1141f3c406f1b2051360f37d"],
    Date: "Fri, 10 Apr 2015 18:06:38 +0200",
    "Message-ID": "<CAE5Zh0ZpHZ6G5DC+He5426a4RkVab7uWaTDwiMcHzOR=YB3urA@mail.gmail.com>",
    Subject: "Hey! It's Friday! =?utf-8?q?=E2=9C=88?=",
    From: "Pilot <pilot@mailjet.com>",
    To: "passenger@mailjet.com, Second <second@example.com>",
    Cc: "cc@example.com",
  },
  Parts: [
    { Headers: { "Content-Type": "text/plain; charset=UTF-8" }, ContentRef: "Text-part" },
    {
      Headers: {
        "Content-Type": "text/html; charset=UTF-8",
        "Content-Transfer-Encoding": "quoted-printable",
      },
      ContentRef: "Html-part",
    },
    {
      Headers: {
        "Content-Type": "text/plain; charset=utf-8; name=helloworld.txt",
        "Content-Transfer-Encoding": "base64",
        "Content-Disposition": "attachment; filename=helloworld.txt",
      },
      ContentRef: "Attachment1",
    },
    {
      Headers: {
        "Content-Type": 'image/png; name="logo.png"',
        "Content-Transfer-Encoding": "base64",
        "Content-Disposition": 'inline; filename="logo.png"',
        "Content-ID": "<logo@example.com>",
      },
      ContentRef: "InlineAttachment1",
    },
    {
      Headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
      },
      ContentRef: "Attachment2",
    },
  ],
  "Text-part": "Hi,\n\nImportant notice: it's Friday. Friday *afternoon*, even! ✈\n",
  "Html-part": '<div dir="ltr">Hi, <img src="cid:logo@example.com"> ✈</div>\n',
  SpamAssassinScore: "0.602",
  CustomID: "helloworld",
  Payload: "{'message': 'helloworld'}",
  Attachment1: "SGVsbG8gV29ybGQh",
  InlineAttachment1: PNG.toString("base64"),
  Attachment2: Buffer.from("%PDF-1.4 résumé").toString("base64"),
};

describe("Mailjet inbound: re-assembling the Parse API message", () => {
  it("[MJ-35] headers (repeated ones in order), bodies, attachments and inline images survive", async () => {
    const parts = toInboundParts(PARSE_PAYLOAD);
    expect(parts).to.deep.include({
      envelopeSender: "pilot@mailjet.com",
      envelopeRecipient: "passenger@mailjet.com",
      spamScore: 0.602,
    });
    const parsed = await simpleParser(parts.raw, { keepCidLinks: true });
    expect(parsed.subject).to.equal("Hey! It's Friday! ✈");
    expect(parsed.from?.value[0]).to.deep.include({ name: "Pilot", address: "pilot@mailjet.com" });
    expect(parsed.messageId).to.equal(
      "<CAE5Zh0ZpHZ6G5DC+He5426a4RkVab7uWaTDwiMcHzOR=YB3urA@mail.gmail.com>",
    );
    expect(parsed.date?.toISOString()).to.equal("2015-04-10T16:06:38.000Z");
    expect(parsed.text).to.equal(PARSE_PAYLOAD["Text-part"]);
    expect(parsed.html).to.equal(PARSE_PAYLOAD["Html-part"]);
    const dkim = parsed.headerLines.filter((h) => h.key === "dkim-signature").map((h) => h.line);
    expect(dkim).to.deep.equal([
      "DKIM-Signature: v=1; a=rsa-sha256; d=mailjet.com; s=google; b=first",
      "DKIM-Signature: v=1; d=1e100.net; b=second",
    ]);
    // Mailjet's original multipart structure is replaced by ours
    expect(parsed.headerLines.filter((h) => h.key === "content-type")).to.have.length(1);

    const [text, image, pdf] = parsed.attachments;
    expect(text).to.deep.include({
      filename: "helloworld.txt",
      contentType: "text/plain",
      contentDisposition: "attachment",
    });
    expect(text.content.toString()).to.equal("Hello World!");
    expect(image).to.deep.include({
      filename: "logo.png",
      contentType: "image/png",
      contentDisposition: "inline",
      contentId: "<logo@example.com>",
    });
    expect(image.content.equals(PNG)).to.equal(true);
    expect(pdf).to.deep.include({ filename: "résumé.pdf", contentType: "application/pdf" });
    expect(pdf.content.toString()).to.equal("%PDF-1.4 résumé");
  });

  it("a plain message without attachments, a missing From header taken from the payload", async () => {
    const parts = toInboundParts({
      From: "Pilot <pilot@mailjet.com>",
      Subject: "Top-level subject",
      Headers: { To: "passenger@mailjet.com" },
      "Text-part": "only text",
    });
    expect(parts).to.deep.include({
      envelopeSender: null,
      envelopeRecipient: null,
      spamScore: null,
    });
    const parsed = await simpleParser(parts.raw);
    expect(parsed.from?.value[0]).to.deep.include({ name: "Pilot", address: "pilot@mailjet.com" });
    expect(parsed.subject).to.equal("Top-level subject");
    expect(parsed.text).to.equal("only text");
    expect(parsed.html).to.equal(false);
    expect(parsed.attachments).to.deep.equal([]);
  });

  it("a message with no body at all still parses", async () => {
    const parsed = await simpleParser(toInboundParts({ Headers: { Subject: "empty" } }).raw);
    expect(parsed.subject).to.equal("empty");
    expect(parsed.attachments).to.deep.equal([]);
  });

  it("line breaks inside header values are unfolded, so a value cannot add a header", () => {
    expect(
      flattenHeaders({ Subject: "a\r\nBcc: evil@example.com", "Bad Name": "x", Skip: [null] }),
    ).to.deep.equal([["Subject", "a Bcc: evil@example.com"]]);
  });

  it("bad shapes are AnymailErrors: Headers or Parts of the wrong type, a ContentRef without content", () => {
    expect(() => toInboundParts({ Headers: "x" as unknown as Record<string, string> })).to.throw(
      AnymailError,
      /Headers/,
    );
    expect(() => toInboundParts({ Parts: {} as unknown as [] })).to.throw(AnymailError, /Parts/);
    expect(() => toInboundParts({ Parts: [{ ContentRef: "Attachment9" }] })).to.throw(
      AnymailError,
      /Attachment9/,
    );
  });

  it("an event (tracking) post sent to the inbound URL names the misconfiguration", () => {
    expect(() => toInboundPayload([{ event: "sent" }])).to.throw(
      AnymailError,
      /event \(tracking\) webhook/,
    );
    expect(() => toInboundPayload({ event: "sent" })).to.throw(AnymailError, /tracking/);
    expect(() => toInboundPayload("x")).to.throw(AnymailError, /not a Parse API object/);
    expect(toInboundPayload(PARSE_PAYLOAD)).to.equal(PARSE_PAYLOAD);
  });
});
