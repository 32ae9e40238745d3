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
} from "../../../lib/esps/mailjet/inbound.js";
import { PARSE_PAYLOAD, PNG } from "./fixtures.js";

const MJ = { espName: "Mailjet" };

describe("Mailjet inbound: re-assembling the Parse API message", () => {
  it("[MJ-35] headers (repeated ones in order), bodies, attachments and inline images survive", async () => {
    const parts = toInboundParts(PARSE_PAYLOAD, MJ);
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
    const parts = toInboundParts(
      {
        From: "Pilot <pilot@mailjet.com>",
        Subject: "Top-level subject",
        Headers: { To: "passenger@mailjet.com" },
        "Text-part": "only text",
      },
      MJ,
    );
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
    const parsed = await simpleParser(toInboundParts({ Headers: { Subject: "empty" } }, MJ).raw);
    expect(parsed.subject).to.equal("empty");
    expect(parsed.attachments).to.deep.equal([]);
  });

  it("line breaks inside header values are unfolded, so a value cannot add a header", () => {
    expect(
      flattenHeaders({ Subject: "a\r\nBcc: evil@example.com", "Bad Name": "x", Skip: [null] }, MJ),
    ).to.deep.equal([["Subject", "a Bcc: evil@example.com"]]);
  });

  it("bad shapes are AnymailErrors: Headers or Parts of the wrong type, a ContentRef without content", () => {
    expect(() =>
      toInboundParts({ Headers: "x" as unknown as Record<string, string> }, MJ),
    ).to.throw(AnymailError, /Headers/);
    expect(() => toInboundParts({ Parts: {} as unknown as [] }, MJ)).to.throw(
      AnymailError,
      /Parts/,
    );
    expect(() => toInboundParts({ Parts: [{ ContentRef: "Attachment9" }] }, MJ)).to.throw(
      AnymailError,
      /Attachment9/,
    );
  });

  it("an event (tracking) post sent to the inbound URL names the misconfiguration", () => {
    expect(() => toInboundPayload([{ event: "sent" }], MJ)).to.throw(
      AnymailError,
      /event \(tracking\) webhook/,
    );
    expect(() => toInboundPayload({ event: "sent" }, MJ)).to.throw(AnymailError, /tracking/);
    expect(() => toInboundPayload("x", MJ)).to.throw(AnymailError, /not a Parse API object/);
    expect(toInboundPayload(PARSE_PAYLOAD, MJ)).to.equal(PARSE_PAYLOAD);
  });
});
