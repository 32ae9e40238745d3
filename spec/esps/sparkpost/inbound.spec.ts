// SparkPost relay (inbound) webhook, through a real Express app with the router mounted.
// Payloads follow the relay_message shape of SparkPost's relay webhook docs; expectations
// were checked against the reference oracle (django-anymail 9.0), which fails (500,
// UnicodeDecodeError) on the base64 Latin-1 case below.
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { AnymailInboundEvent } from "../../../lib/events/inbound.js";
import { callWebhook } from "./webhook-helper.js";
import { itIf } from "../../helpers/skip.js";

const MIME = [
  "Return-Path: <sender@example.org>",
  "MIME-Version: 1.0",
  "From: Sender Name <sender@example.org>",
  "Date: Mon, 4 Jul 2016 15:53:14 +0100",
  "Message-ID: <relay-test-1@example.org>",
  "Subject: Relay test",
  "To: inbox@inbound.example.com",
  "Cc: Other <other@example.com>",
  "Content-Type: multipart/alternative; boundary=BOUNDARY",
  "",
  "--BOUNDARY",
  "Content-Type: text/plain; charset=UTF-8",
  "",
  "Plain body",
  "--BOUNDARY",
  "Content-Type: text/html; charset=UTF-8",
  "",
  "<p>HTML body</p>",
  "--BOUNDARY--",
  "",
].join("\r\n");

function relayMessage(content: Record<string, unknown>, fields: Record<string, unknown> = {}) {
  return {
    msys: {
      relay_message: {
        content: { email_rfc822_is_base64: false, ...content },
        customer_id: "1337",
        friendly_from: "sender@example.org",
        msg_from: "bounces+abc@example.org",
        protocol: "smtp",
        rcpt_to: "inbox@inbound.example.com",
        webhook_id: "4839201967643219",
        ...fields,
      },
    },
  };
}

async function receiveOne(body: unknown) {
  const { status, events, error } = await callWebhook("inbound", body);
  expect(status, error).to.equal(200);
  expect(events).to.have.length(1);
  return events[0] as AnymailInboundEvent;
}

describe("SparkPost inbound (relay) webhook", () => {
  it("[SP-38] a relay_message becomes an inbound event with envelope sender and recipient", async () => {
    const raw = relayMessage({ email_rfc822: MIME });
    const { events, espNames } = await callWebhook("inbound", [raw]);
    expect(espNames).to.deep.equal(["SparkPost"]);
    const event = events[0] as AnymailInboundEvent;
    expect(event).to.be.instanceOf(AnymailInboundEvent);
    expect(event.eventType).to.equal("inbound");
    expect(event.timestamp).to.equal(null); // SparkPost gives none for relay messages
    expect(event.eventId).to.equal(null);
    expect(event.espEvent).to.deep.equal(raw);
    const { message } = event;
    expect(message.envelopeSender).to.equal("bounces+abc@example.org"); // msg_from
    expect(message.envelopeRecipient).to.equal("inbox@inbound.example.com"); // rcpt_to
    expect(message.fromEmail?.address).to.equal("Sender Name <sender@example.org>");
    expect(message.to.map((a) => a.addrSpec)).to.deep.equal(["inbox@inbound.example.com"]);
    expect(message.cc.map((a) => a.address)).to.deep.equal(["Other <other@example.com>"]);
    expect(message.subject).to.equal("Relay test");
    expect(message.date?.toISOString()).to.equal("2016-07-04T14:53:14.000Z");
    expect(message.text?.trim()).to.equal("Plain body");
    expect(message.html?.trim()).to.equal("<p>HTML body</p>");
    expect(message.get("Message-ID")).to.equal("<relay-test-1@example.org>");
  });

  it("[SP-38] base64 content in a legacy charset with 8-bit bytes decodes intact", async () => {
    const latin1 = Buffer.concat([
      Buffer.from(
        [
          "From: sender@example.org",
          "To: inbox@inbound.example.com",
          "Subject: =?ISO-8859-1?Q?Caf=E9?=",
          "MIME-Version: 1.0",
          "Content-Type: text/plain; charset=ISO-8859-1",
          "Content-Transfer-Encoding: 8bit",
          "",
          "",
        ].join("\r\n"),
      ),
      Buffer.from("Caf\xe9 \xe9t\xe9 \xe0 Z\xfcrich\r\n", "latin1"),
    ]);
    const event = await receiveOne([
      relayMessage({ email_rfc822: latin1.toString("base64"), email_rfc822_is_base64: true }),
    ]);
    expect(event.message.subject).to.equal("Café");
    expect(event.message.text?.trim()).to.equal("Café été à Zürich");
  });

  it("[SP-38] base64 UTF-8 content with an attachment", async () => {
    const mime = [
      "From: sender@example.org",
      "To: inbox@inbound.example.com",
      "Subject: =?UTF-8?B?w5xiZXI=?=",
      "MIME-Version: 1.0",
      "Content-Type: multipart/mixed; boundary=XX",
      "",
      "--XX",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: 8bit",
      "",
      "Grüße ✓",
      "--XX",
      "Content-Type: text/csv; name=data.csv",
      'Content-Disposition: attachment; filename="data.csv"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("a,b\n1,2\n").toString("base64"),
      "--XX--",
      "",
    ].join("\r\n");
    const event = await receiveOne([
      relayMessage({
        email_rfc822: Buffer.from(mime, "utf8").toString("base64"),
        email_rfc822_is_base64: true,
      }),
    ]);
    expect(event.message.subject).to.equal("Über");
    expect(event.message.text?.trim()).to.equal("Grüße ✓");
    expect(event.message.attachments).to.have.length(1);
    const [attachment] = event.message.attachments;
    expect(attachment.getFilename()).to.equal("data.csv");
    expect(attachment.getContentBytes().toString()).to.equal("a,b\n1,2\n");
  });

  it("[SP-38] a relay_message without protocol (as in SparkPost's docs sample) is accepted", async () => {
    const event = await receiveOne([relayMessage({ email_rfc822: MIME }, { protocol: undefined })]);
    expect(event.message.subject).to.equal("Relay test");
  });

  it("a batch gives one event per relay message, pings left out", async () => {
    const { status, events } = await callWebhook("inbound", [
      relayMessage({ email_rfc822: MIME }),
      { msys: {} },
      relayMessage({ email_rfc822: MIME.replace("Subject: Relay test", "Subject: Second") }),
    ]);
    expect(status).to.equal(200);
    expect(events.map((e) => (e as AnymailInboundEvent).message.subject)).to.deep.equal([
      "Relay test",
      "Second",
    ]);
  });

  it("a tracking event posted to the inbound URL → 400 explaining the mix-up", async () => {
    const { status, events, error } = await callWebhook("inbound", [
      relayMessage({ email_rfc822: MIME }),
      { msys: { message_event: { type: "delivery" } } },
    ]);
    expect(status).to.equal(400);
    expect(events).to.deep.equal([]);
    expect(error).to.include("message_event").and.include("/sparkpost/tracking/");
  });

  it("a relay of another protocol than SMTP → 400", async () => {
    const { status, error } = await callWebhook("inbound", [
      relayMessage({ email_rfc822: MIME }, { protocol: "sms" }),
    ]);
    expect(status).to.equal(400);
    expect(error).to.include('"sms"');
  });

  it("missing or bad email_rfc822 → 400", async () => {
    for (const content of [
      {},
      { email_rfc822: 42 },
      { email_rfc822: "not base64!", email_rfc822_is_base64: true },
    ]) {
      const { status } = await callWebhook("inbound", [relayMessage(content)]);
      expect(status, JSON.stringify(content)).to.equal(400);
    }
    const noContent = relayMessage({});
    delete (noContent.msys.relay_message as { content?: unknown }).content;
    expect((await callWebhook("inbound", [noContent])).status).to.equal(400);
  });

  // the vectors sit beside the repository (../shared); a worktree is one level deeper
  const SAMPLE = ["../shared", "../../shared"]
    .map((root) => `${root}/vectors/sparkpost/relay-webhook-docs-sample.json`)
    .find((path) => existsSync(path));
  itIf(SAMPLE, "the shared vectors folder (../shared/vectors) is not beside this checkout")(
    "[SP-38] SparkPost's documented relay payload sample",
    async () => {
      const sample = JSON.parse(readFileSync(SAMPLE ?? "", "utf8")) as unknown;
      const event = await receiveOne(sample);
      // as the oracle reports it (after adding the protocol field 9.0 requires)
      expect(event.message.envelopeSender).to.equal("me@here.com");
      expect(event.message.envelopeRecipient).to.equal("you@there.com");
      expect(event.message.subject).to.equal("Relay webhooks rawk!");
      expect(event.message.date?.toISOString()).to.equal("2016-07-04T14:53:14.000Z");
      // (the oracle keeps the CRLF: "Hi there SparkPostians.\r\n"; mailparser gives LF)
      expect(event.message.text?.trim()).to.equal("Hi there SparkPostians.");
    },
  );
});
