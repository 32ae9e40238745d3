// Postmark inbound webhook through a real Express app with anymailRouter mounted.
// Expectations were checked against django-anymail 9.0 (the oracle) where it agrees.
import { existsSync, readFileSync } from "node:fs";
import { expect } from "chai";
import type { AnymailInboundEvent } from "../../../lib/events/inbound.js";
import { webhookApp } from "../../helpers/webhooks.js";
import { INBOUND, PNG } from "./inbound-payload.js";
import { DELIVERY } from "./payloads.js";
import { itIf } from "../../helpers/skip.js";

async function receive(payload: unknown) {
  const hook = webhookApp();
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const res = await hook
    .post("/postmark/inbound/")
    .set("Content-Type", "application/json")
    .send(body);
  return { res, hook, events: hook.inbound };
}

async function receiveOne(payload: unknown): Promise<AnymailInboundEvent> {
  const { res, events, hook } = await receive(payload);
  expect(res.status, res.text).to.equal(200);
  expect(events).to.have.length(1);
  expect(hook.events[0].espName).to.equal("Postmark");
  return events[0];
}

describe("Postmark inbound webhook", () => {
  it("[PM-42] turns Postmark's inbound JSON into an AnymailInboundMessage", async () => {
    const event = await receiveOne(INBOUND);
    expect(event.eventType).to.equal("inbound");
    expect(event.eventId).to.equal("22c74902-a0c1-4511-804f2-341342852c90");
    expect(event.timestamp).to.equal(null);
    expect(event.espEvent).to.deep.equal(INBOUND);

    const message = event.message;
    expect(message.fromEmail?.address).to.equal("John Doe <myUser@theirDomain.com>");
    expect(message.to.map(String)).to.deep.equal([
      "451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com",
    ]);
    expect(message.cc.map(String)).to.deep.equal([
      "Full name <sample.cc@emailDomain.com>",
      "Another Cc <another.cc@emailDomain.com>",
    ]);
    expect(message.subject).to.equal("This is an inbound message");
    expect(message.date?.toISOString()).to.equal("2012-04-05T14:59:01.000Z");
    expect(message.text).to.equal("This is the text body.\n\n> quoted reply");
    expect(message.html).to.equal("<html><body><p>This is the html body.</p></body></html>");
    expect(message.get("Reply-To")).to.equal("myUsersReplyAddress@theirDomain.com");
    expect(message.get("Message-ID")).to.equal(
      "<CAGXpo2WKfxHWZ5UFYCR3H_J9SNMG+5AXUovfEFL6DjWBJSyZaA@mail.gmail.com>",
    );
    expect(message.get("x-spam-tests")).to.equal("DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,SPF_PASS");
  });

  const RAW_EMAIL =
    "From: =?utf-8?q?M=C3=BCller=2C_Anna?= <anna@example.org>\r\n" +
    'To: "Smith, John" <john@example.com>\r\n' +
    "Subject: Raw =?utf-8?q?s=C3=BCbject?=\r\n" +
    "Message-ID: <raw-1@example.org>\r\n" +
    "Content-Type: text/plain; charset=utf-8\r\n\r\nFrom the raw message\r\n";
  const LISTS = {
    ...INBOUND,
    FromFull: { Email: "anna@example.org", Name: "Müller, Anna", MailboxHash: "" },
    ToFull: [
      { Email: "john@example.com", Name: "Smith, John", MailboxHash: "" },
      { Email: "j@example.com", Name: "Jürgen", MailboxHash: "" },
    ],
    CcFull: [],
    Bcc: "hidden@example.net",
    BccFull: [{ Email: "hidden@example.net", Name: "Hidden, Person", MailboxHash: "" }],
    Subject: "Parsed subject",
    TextBody: "From the JSON",
  };

  it("#17.1 #17.13 names with commas and Unicode survive; Bcc comes from BccFull", async () => {
    // as django-anymail 15.1 (oracle) reports this payload
    const { message } = await receiveOne(LISTS);
    expect(message.fromEmail?.address).to.equal('"Müller, Anna" <anna@example.org>');
    expect(message.to.map(String)).to.deep.equal([
      '"Smith, John" <john@example.com>',
      "Jürgen <j@example.com>",
    ]);
    expect(message.bcc.map(String)).to.deep.equal(['"Hidden, Person" <hidden@example.net>']);
    expect(message.get("Bcc")).to.equal('"Hidden, Person" <hidden@example.net>');
    expect((await receiveOne(INBOUND)).message.bcc).to.deep.equal([]);
  });

  it("#17.13 RawEmail, when included, is parsed as the message (Bcc still from BccFull)", async () => {
    const { message } = await receiveOne({ ...LISTS, RawEmail: RAW_EMAIL });
    expect(message.subject).to.equal("Raw sübject");
    expect(message.text?.trimEnd()).to.equal("From the raw message");
    expect(message.get("Message-ID")).to.equal("<raw-1@example.org>");
    expect(message.to.map(String)).to.deep.equal(['"Smith, John" <john@example.com>']);
    expect(message.bcc.map(String)).to.deep.equal(['"Hidden, Person" <hidden@example.net>']);
    // envelope facts still come from the JSON (Postmark's Return-Path is not in RawEmail)
    expect(message.envelopeSender).to.equal("bounces+abc@theirDomain.com");
    // a Bcc header the raw message has is kept as it is
    const withBcc = `Bcc: own@example.net\r\n${RAW_EMAIL}`;
    const own = (await receiveOne({ ...LISTS, RawEmail: withBcc })).message;
    expect(own.bcc.map(String)).to.deep.equal(["own@example.net"]);
  });

  it("[PM-42] envelope, stripped reply and spam facts", async () => {
    const { message } = await receiveOne(INBOUND);
    expect(message.envelopeRecipient).to.equal(
      "451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com",
    );
    expect(message.envelopeSender).to.equal("bounces+abc@theirDomain.com");
    expect(message.strippedText).to.equal("This is the text body.");
    expect(message.spamDetected).to.equal(false);
    expect(message.spamScore).to.equal(-0.1);
  });

  it("[PM-42] base64 attachments; one with a ContentID is an inline image", async () => {
    const { message } = await receiveOne(INBOUND);
    expect(message.attachments).to.have.length(1);
    const [doc] = message.attachments;
    expect(doc.getFilename()).to.equal("mypaper.doc");
    expect(doc.getContentType()).to.equal("application/msword");
    expect(doc.getContentBytes().toString()).to.equal("doc content");
    expect(doc.isInlineAttachment()).to.equal(false);

    expect(Object.keys(message.inlineAttachments)).to.deep.equal(["myimage.png@01CE7342.75E71F80"]);
    const image = message.inlineAttachments["myimage.png@01CE7342.75E71F80"];
    expect(image.getFilename()).to.equal("myimage.png");
    expect(image.getContentType()).to.equal("image/png");
    expect(image.getContentBytes().equals(PNG)).to.equal(true);
    expect(image.isInlineAttachment()).to.equal(true);
  });

  it("a spam-flagged message: spamDetected true, spamScore parsed", async () => {
    const headers = INBOUND.Headers.map((h) =>
      h.Name === "X-Spam-Status"
        ? { ...h, Value: "Yes" }
        : h.Name === "X-Spam-Score"
          ? { ...h, Value: "7.3" }
          : h,
    );
    const { message } = await receiveOne({ ...INBOUND, Headers: headers });
    expect([message.spamDetected, message.spamScore]).to.deep.equal([true, 7.3]);
  });

  it("a minimal message (no Cc, no attachments, no headers) works", async () => {
    const { message } = await receiveOne({
      From: "a@example.com",
      FromFull: { Email: "a@example.com", Name: "" },
      ToFull: [{ Email: "b@example.com", Name: "B" }],
      Subject: "",
      TextBody: "hi",
      MessageID: "m",
    });
    expect(message.fromEmail?.addrSpec).to.equal("a@example.com");
    expect(message.to.map(String)).to.deep.equal(["B <b@example.com>"]);
    expect(message.cc).to.deep.equal([]);
    expect(message.attachments).to.deep.equal([]);
    expect([message.envelopeSender, message.spamDetected]).to.deep.equal([null, null]);
  });

  describe("Postmark inbound webhook: bad input → 400", () => {
    it("a tracking record posted to the inbound URL → 400 with an explanation", async () => {
      const { res, events } = await receive(DELIVERY);
      expect(res.status).to.equal(400);
      expect(res.text).to.match(/tracking/i);
      expect(events).to.have.length(0);
    });

    it("a misrouted record of unknown type → 400 that does not echo it", async () => {
      const { res } = await receive({ ...DELIVERY, RecordType: "<script>x</script>" });
      expect(res.status).to.equal(400);
      expect(res.text)
        .to.match(/tracking/i)
        .and.not.contain("<script>");
    });

    for (const [what, body] of [
      ["not JSON", "{nope"],
      ["a JSON array", "[{}]"],
      [
        "non-base64 attachment content",
        JSON.stringify({ ...INBOUND, Attachments: [{ Content: "[BASE64-ENCODED CONTENT]" }] }),
      ],
      ["Headers that are not a list", JSON.stringify({ ...INBOUND, Headers: {} })],
    ] as const) {
      it(`${what} → 400, emitting nothing`, async () => {
        const { res, events } = await receive(body);
        expect(res.status).to.equal(400);
        expect(events).to.have.length(0);
      });
    }
  });

  // Postmark's own docs example, from the shared vectors folder when it is present.
  const vector = new URL(
    "../../../../shared/vectors/postmark/inbound-docs-example.json",
    import.meta.url,
  );
  itIf(
    existsSync(vector),
    "the shared vectors folder (../shared/vectors) is not beside this checkout",
  )("[PM-42] Postmark's docs example (shared vectors)", async () => {
    const sample = JSON.parse(readFileSync(vector, "utf8")) as typeof INBOUND;
    // the docs show placeholders where the attachment content goes
    const attachments = sample.Attachments.map((a) => ({ ...a, Content: "UE5H" }));
    const { message } = await receiveOne({ ...sample, Attachments: attachments });
    expect(message.fromEmail?.address).to.equal("John Doe <myUser@theirDomain.com>");
    expect(message.cc.map((a) => a.addrSpec)).to.deep.equal([
      "sample.cc@emailDomain.com",
      "another.cc@emailDomain.com",
    ]);
    expect(message.envelopeSender).to.equal("myUser@theirDomain.com");
    expect([message.spamDetected, message.spamScore]).to.deep.equal([false, -0.1]);
    expect(message.attachments.map((a) => a.getFilename())).to.deep.equal([
      "myimage.png",
      "mypaper.doc",
    ]);
  });
});
