// Postmark inbound JSON → message fields: the pure mapping, field by field.
// The payload follows Postmark's inbound webhook example (developer-inbound-parse "example hook").
import { expect } from "chai";
import { AnymailWebhookValidationFailure } from "../../../lib/errors.js";
import { toInboundParts } from "../../../lib/esps/postmark/inbound-parts.js";
import { INBOUND, PNG } from "./inbound-payload.js";

const PM = { espName: "Postmark" };

describe("Postmark inbound: payload → message fields", () => {
  it("[PM-42] maps addresses, subject, date, bodies and headers", () => {
    const { fields } = toInboundParts(INBOUND, PM);
    expect(fields).to.deep.include({
      from: "John Doe <myUser@theirDomain.com>",
      to: "451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com",
      cc: "Full name <sample.cc@emailDomain.com>, Another Cc <another.cc@emailDomain.com>",
      subject: "This is an inbound message",
      date: "Thu, 5 Apr 2012 16:59:01 +0200",
      text: "This is the text body.\n\n> quoted reply",
      html: "<html><body><p>This is the html body.</p></body></html>",
    });
    expect(fields.headers).to.deep.include(["X-Spam-Status", "No"]);
    expect(fields.headers.at(-1)).to.deep.equal([
      "Reply-To",
      "myUsersReplyAddress@theirDomain.com",
    ]);
  });

  it("[PM-42] decodes attachments; a ContentID makes an inline image", () => {
    const { fields } = toInboundParts(INBOUND, PM);
    expect(fields.attachments).to.deep.equal([
      {
        filename: "myimage.png",
        contentType: "image/png",
        content: PNG,
        contentId: "myimage.png@01CE7342.75E71F80",
        inline: true,
      },
      {
        filename: "mypaper.doc",
        contentType: "application/msword",
        content: Buffer.from("doc content"),
        contentId: undefined,
        inline: false,
      },
    ]);
  });

  it("[PM-42] envelope recipient, stripped reply and spam facts", () => {
    const parts = toInboundParts(INBOUND, PM);
    expect(parts).to.deep.include({
      envelopeRecipient: "451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com",
      envelopeSender: "bounces+abc@theirDomain.com",
      strippedText: "This is the text body.",
      spamDetected: false,
      spamScore: -0.1,
    });
  });

  it("without Return-Path, the envelope sender comes from a passing Received-SPF", () => {
    const headers = INBOUND.Headers.filter((h) => h.Name !== "Return-Path");
    expect(toInboundParts({ ...INBOUND, Headers: headers }, PM).envelopeSender).to.equal(
      "myUser@theirDomain.com",
    );
    const failing = headers.map((h) =>
      h.Name === "Received-SPF" ? { ...h, Value: h.Value.replace("Pass", "Fail") } : h,
    );
    expect(toInboundParts({ ...INBOUND, Headers: failing }, PM).envelopeSender).to.equal(null);
    expect(toInboundParts({ ...INBOUND, Headers: [] }, PM).envelopeSender).to.equal(null);
  });

  it("X-Spam-Status Yes → spamDetected; no spam headers → null", () => {
    const spam = INBOUND.Headers.map((h) =>
      h.Name === "X-Spam-Status" ? { ...h, Value: "Yes, score=6.1 required=5.0" } : h,
    );
    expect(toInboundParts({ ...INBOUND, Headers: spam }, PM).spamDetected).to.equal(true);
    const none = toInboundParts({ ...INBOUND, Headers: [] }, PM);
    expect([none.spamDetected, none.spamScore]).to.deep.equal([null, null]);
  });

  it("falls back to From/To strings; missing optional parts are absent", () => {
    const parts = toInboundParts(
      { From: "a@example.com", To: "b@example.com", MessageID: "x" },
      PM,
    );
    expect(parts.fields).to.deep.equal({
      headers: [],
      from: "a@example.com",
      to: "b@example.com",
      cc: undefined,
      subject: undefined,
      date: undefined,
      text: undefined,
      html: undefined,
      attachments: [],
    });
    expect(parts.envelopeRecipient).to.equal(null);
    expect(parts.strippedText).to.equal(null);
  });

  it("malformed Headers or Attachments → AnymailWebhookValidationFailure", () => {
    expect(() => toInboundParts({ Headers: "nope" as never }, PM)).to.throw(
      AnymailWebhookValidationFailure,
    );
    expect(() => toInboundParts({ Attachments: {} as never }, PM)).to.throw(
      AnymailWebhookValidationFailure,
    );
    expect(() => toInboundParts({ Attachments: [null] as never }, PM)).to.throw(
      AnymailWebhookValidationFailure,
    );
    expect(() =>
      toInboundParts({ Attachments: [{ Name: "x", Content: "%%% not base64" }] }, PM),
    ).to.throw(AnymailWebhookValidationFailure, /attachment 0/);
  });
});
