// Mailjet inbound (Parse API) end to end: supertest → Express app with anymailRouter →
// emitted AnymailInboundEvent. The normalized fields were compared with the reference
// oracle (django-anymail 9.0) for the same post.
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { webhookApp } from "../../helpers/webhooks.js";
import { PARSE_PAYLOAD, PNG } from "./fixtures.js";
import { skipBecause } from "../../helpers/skip.js";

function postInbound(body: string) {
  const hook = webhookApp();
  const response = hook
    .post("/mailjet/inbound/")
    .set("Content-Type", "application/json")
    .send(body);
  return { hook, response };
}

describe("Mailjet inbound webhook", () => {
  it("#17.1 From/To/Cc with quoted commas and RFC 2047 names parse as address lists", async () => {
    const { hook, response } = postInbound(
      JSON.stringify({
        ...PARSE_PAYLOAD,
        From: "=?utf-8?q?M=C3=BCller=2C_Anna?= <anna@example.org>",
        Headers: {
          ...PARSE_PAYLOAD.Headers,
          From: "=?utf-8?q?M=C3=BCller=2C_Anna?= <anna@example.org>",
          To: '"Smith, John" <john@example.com>, =?utf-8?b?SsO8cmdlbiwgWA==?= <juergen@example.com>',
          Cc: "Jöhn Raw, Jr. <raw@example.net>",
        },
      }),
    );
    expect((await response).status).to.equal(200);
    const message = hook.inbound[0].message;
    expect(message.fromEmail?.toString()).to.equal('"Müller, Anna" <anna@example.org>');
    expect(message.to.map((a) => [a.displayName, a.addrSpec])).to.deep.equal([
      ["Smith, John", "john@example.com"],
      ["Jürgen, X", "juergen@example.com"],
    ]);
    expect(message.cc.map((a) => a.addrSpec)).to.include("raw@example.net");
  });

  it("[MJ-35] a Parse API post becomes one inbound event with a full AnymailInboundMessage", async () => {
    const { hook, response } = postInbound(JSON.stringify(PARSE_PAYLOAD));
    expect((await response).status).to.equal(200);
    expect(hook.events.map((e) => [e.channel, e.espName])).to.deep.equal([["inbound", "Mailjet"]]);
    const [event] = hook.inbound;
    expect(event).to.deep.include({ eventType: "inbound", timestamp: null, eventId: null });
    expect(event.espEvent).to.deep.equal(PARSE_PAYLOAD);

    const message = event.message;
    expect(message).to.deep.include({
      envelopeSender: "pilot@mailjet.com",
      envelopeRecipient: "passenger@mailjet.com",
      spamScore: 0.602,
      spamDetected: null,
      strippedText: null,
      strippedHtml: null,
      subject: "Hey! It's Friday! ✈",
      text: PARSE_PAYLOAD["Text-part"],
      html: PARSE_PAYLOAD["Html-part"],
    });
    expect(message.fromEmail?.toString()).to.equal("Pilot <pilot@mailjet.com>");
    expect(message.to.map(String)).to.deep.equal([
      "passenger@mailjet.com",
      "Second <second@example.com>",
    ]);
    expect(message.cc.map(String)).to.deep.equal(["cc@example.com"]);
    expect(message.date?.toISOString()).to.equal("2015-04-10T16:06:38.000Z");
    expect(message.get("message-id")).to.equal(
      "<CAE5Zh0ZpHZ6G5DC+He5426a4RkVab7uWaTDwiMcHzOR=YB3urA@mail.gmail.com>",
    );
    // Mailjet groups a repeated header as a list: every value survives, in order
    expect(message.getAll("Received")).to.deep.equal([
      "by 10.107.134.160 with HTTP; Fri, 10 Apr 2015 09:06:38 -0700 (PDT)",
      "by relay2",
    ]);
    expect(message.getAll("dkim-signature")).to.have.length(2);
  });

  it("[MJ-35] attachments and inline images keep their type, filename, disposition and content", async () => {
    const { hook, response } = postInbound(JSON.stringify(PARSE_PAYLOAD));
    await response;
    const message = hook.inbound[0].message;

    expect(message.attachments.map((a) => [a.getFilename(), a.getContentType()])).to.deep.equal([
      ["helloworld.txt", "text/plain"],
      ["résumé.pdf", "application/pdf"],
    ]);
    const [text, pdf] = message.attachments;
    expect(text.getContentText()).to.equal("Hello World!");
    expect(text.getContentDisposition()).to.equal("attachment");
    expect(text.isInlineAttachment()).to.equal(false);
    expect(pdf.getContentBytes().toString()).to.equal("%PDF-1.4 résumé");

    expect(Object.keys(message.inlineAttachments)).to.deep.equal(["logo@example.com"]);
    const logo = message.inlineAttachments["logo@example.com"];
    expect(logo.getFilename()).to.equal("logo.png");
    expect(logo.getContentType()).to.equal("image/png");
    expect(logo.isInlineAttachment()).to.equal(true);
    expect(logo.getContentBytes().equals(PNG)).to.equal(true);
    expect(message.html).to.include('src="cid:logo@example.com"');
  });

  it("a post without headers or attachments still gives a message (From from the post)", async () => {
    const { hook, response } = postInbound(
      JSON.stringify({
        Sender: "a@example.com",
        Recipient: "b@example.com",
        From: "A <a@example.com>",
        Subject: "Hi",
        "Text-part": "hello",
        SpamAssassinScore: "not a number",
      }),
    );
    expect((await response).status).to.equal(200);
    const message = hook.inbound[0].message;
    expect(message).to.deep.include({ subject: "Hi", text: "hello", html: null, spamScore: null });
    expect(message.fromEmail?.addrSpec).to.equal("a@example.com");
    expect(message.attachments).to.deep.equal([]);
  });

  it("a post the router did not parse as JSON (no JSON content type) is read from the raw body", async () => {
    const hook = webhookApp();
    const res = await hook
      .post("/mailjet/inbound/")
      .set("Content-Type", "application/octet-stream")
      .send(Buffer.from(JSON.stringify({ Recipient: "b@example.com", "Text-part": "raw" })));
    expect(res.status).to.equal(200);
    expect(hook.inbound[0].message).to.deep.include({
      text: "raw",
      envelopeRecipient: "b@example.com",
    });
  });

  it("an event (tracking) post sent to the inbound URL answers 400 naming the mix-up", async () => {
    const { hook, response } = postInbound('[{"event":"sent","MessageID":1}]');
    const res = await response;
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/event \(tracking\) webhook/);
    expect(hook.events).to.have.length(0);
  });

  it("bad input answers 400 and emits nothing", async () => {
    for (const body of ['"text"', '{"Parts":[{"ContentRef":"Attachment1"}]}', '{"Headers":[1]}']) {
      const { hook, response } = postInbound(body);
      expect((await response).status, body).to.equal(400);
      expect(hook.events, body).to.have.length(0);
    }
  });
});

// Mailjet's own published Parse API sample (shared/vectors, beside the repo): skipped when absent.
describe("Mailjet inbound webhook: published sample", () => {
  const file = join(
    process.env.ANYMAIL_SHARED_VECTORS ?? join("..", "shared", "vectors"),
    "mailjet",
    "parse-api-docs-samples.json",
  );

  it("the guide's 'What is delivered to your webhook' sample is normalized", async function () {
    if (!existsSync(file))
      skipBecause(
        this,
        "the shared vectors folder (../shared/vectors) is not beside this checkout",
      );
    const { examples } = JSON.parse(readFileSync(file, "utf8")) as {
      examples: { heading: string; body: unknown }[];
    };
    const sample = examples.find((e) => /delivered to your webhook/.test(e.heading));
    const { hook, response } = postInbound(JSON.stringify(sample?.body));
    expect((await response).status).to.equal(200);
    const message = hook.inbound[0].message;
    expect(message.subject).to.equal("Hey! It's Friday!");
    expect(message.envelopeRecipient).to.equal("passenger@mailjet.com");
    expect(message.text).to.match(/^Hi,\n\nImportant notice/);
    expect(message.spamScore).to.equal(0.602);
  });
});
