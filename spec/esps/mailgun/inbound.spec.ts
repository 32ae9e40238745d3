// Mailgun inbound routes: the fully parsed post and the raw-MIME post, through the real router.
// The two posts describe the same email, written after Mailgun's documented route forward()
// fields (recipient, sender, message-headers, body-plain, attachment-N, content-id-map, …).
import { expect } from "chai";
import type { AnymailInboundEvent } from "../../../lib/events/inbound.js";
import type { AnymailInboundMessage } from "../../../lib/events/inbound-message.js";
import { webhookApp } from "../../helpers/webhooks.js";
import { SIGNING_KEY, callMailgun, sign, signedForm, type WebhookBody } from "./webhook-helpers.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const NOTES = Buffer.from("attached notes, ünïcode\n", "utf8");
const TOKEN = "c2b1a7e0f47f7b7a35e0d5a9a5d0fbb7d0c2e1f3a4b5c6d7e8";
const SIGNATURE = sign(1735726272, TOKEN);

const HEADERS: [string, string][] = [
  [
    "Received",
    "from mail.example.com by mxa.mailgun.org with ESMTP; Wed, 01 Jan 2025 10:11:12 +0000",
  ],
  ["X-Mailgun-Sflag", "Yes"],
  ["X-Mailgun-Sscore", "7.3"],
  ["From", '"Test Sender" <sender@example.com>'],
  ["To", "Inbound <inbound@mg.example.com>, other@example.com"],
  ["Cc", "cc@example.com"],
  ["Subject", "Test subject ✓"],
  ["Date", "Wed, 01 Jan 2025 10:11:12 +0000"],
  ["Message-Id", "<abc123@example.com>"],
  ["Mime-Version", "1.0"],
  ["Content-Type", 'multipart/mixed; boundary="mixed"'],
];

const RAW_MIME = [
  "Received: from mail.example.com by mxa.mailgun.org with ESMTP; Wed, 01 Jan 2025 10:11:12 +0000",
  "X-Mailgun-Sflag: Yes",
  "X-Mailgun-Sscore: 7.3",
  'From: "Test Sender" <sender@example.com>',
  "To: Inbound <inbound@mg.example.com>, other@example.com",
  "Cc: cc@example.com",
  "Subject: =?utf-8?q?Test_subject_=E2=9C=93?=",
  "Date: Wed, 01 Jan 2025 10:11:12 +0000",
  "Message-Id: <abc123@example.com>",
  "Mime-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="mixed"',
  "",
  "--mixed",
  'Content-Type: multipart/related; boundary="related"',
  "",
  "--related",
  'Content-Type: multipart/alternative; boundary="alt"',
  "",
  "--alt",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: 8bit",
  "",
  "Hi there ✓",
  "--alt",
  "Content-Type: text/html; charset=utf-8",
  "Content-Transfer-Encoding: 8bit",
  "",
  '<p>Hi there ✓ <img src="cid:logo@example.com"></p>',
  "--alt--",
  "--related",
  "Content-Type: image/png",
  'Content-Disposition: inline; filename="logo.png"',
  "Content-ID: <logo@example.com>",
  "Content-Transfer-Encoding: base64",
  "",
  PNG.toString("base64"),
  "--related--",
  "--mixed",
  'Content-Type: text/plain; charset=utf-8; name="notes.txt"',
  'Content-Disposition: attachment; filename="notes.txt"',
  "Content-Transfer-Encoding: base64",
  "",
  NOTES.toString("base64"),
  "--mixed--",
  "",
].join("\r\n");

const ROUTE_FIELDS: [string, string][] = [
  ["recipient", "inbound@mg.example.com"],
  ["sender", "bounces+abc@example.com"],
  ["from", '"Test Sender" <sender@example.com>'],
  ["subject", "Test subject ✓"],
  ["stripped-text", "Hi there"],
  ["stripped-signature", ""],
  ["stripped-html", "<p>Hi there</p>"],
];

const PARSED: WebhookBody = {
  form: signedForm(
    [
      ...ROUTE_FIELDS,
      ["body-plain", "Hi there ✓"],
      ["body-html", '<p>Hi there ✓ <img src="cid:logo@example.com"></p>'],
      ["message-headers", JSON.stringify(HEADERS)],
      ["attachment-count", "2"],
      ["content-id-map", JSON.stringify({ "<logo@example.com>": "attachment-1" })],
    ],
    SIGNATURE,
  ),
  files: [
    { fieldName: "attachment-1", filename: "logo.png", contentType: "image/png", content: PNG },
    { fieldName: "attachment-2", filename: "notes.txt", contentType: "text/plain", content: NOTES },
  ],
};

const MIME: WebhookBody = {
  form: signedForm([...ROUTE_FIELDS, ["body-mime", RAW_MIME]], SIGNATURE),
  multipart: true,
};

function summary(message: AnymailInboundMessage) {
  const part = (p: AnymailInboundMessage) => ({
    filename: p.getFilename(),
    type: p.getContentType(),
    content: p.getContentBytes().toString("hex"),
  });
  return {
    from: message.fromEmail?.address,
    to: message.to.map((a) => a.address),
    cc: message.cc.map((a) => a.address),
    subject: message.subject,
    date: message.date?.toISOString(),
    messageId: message.get("Message-Id"),
    text: message.text,
    html: message.html,
    attachments: message.attachments.map(part),
    inline: Object.fromEntries(
      Object.entries(message.inlineAttachments).map(([cid, p]) => [cid, part(p)]),
    ),
    envelopeSender: message.envelopeSender,
    envelopeRecipient: message.envelopeRecipient,
    strippedText: message.strippedText,
    strippedHtml: message.strippedHtml,
    spamDetected: message.spamDetected,
    spamScore: message.spamScore,
  };
}

async function receive(route: "inbound" | "inbound_mime", body: WebhookBody) {
  const result = await callMailgun(route, body);
  expect(result.status, result.text).to.equal(200);
  expect(result.events).to.have.length(1);
  return result.events[0] as AnymailInboundEvent;
}

const EXPECTED = {
  from: "Test Sender <sender@example.com>",
  to: ["Inbound <inbound@mg.example.com>", "other@example.com"],
  cc: ["cc@example.com"],
  subject: "Test subject ✓",
  date: "2025-01-01T10:11:12.000Z",
  messageId: "<abc123@example.com>",
  text: "Hi there ✓",
  html: '<p>Hi there ✓ <img src="cid:logo@example.com"></p>',
  attachments: [{ filename: "notes.txt", type: "text/plain", content: NOTES.toString("hex") }],
  inline: {
    "logo@example.com": { filename: "logo.png", type: "image/png", content: PNG.toString("hex") },
  },
  envelopeSender: "bounces+abc@example.com",
  envelopeRecipient: "inbound@mg.example.com",
  strippedText: "Hi there",
  strippedHtml: "<p>Hi there</p>",
  spamDetected: true,
  spamScore: 7.3,
};

describe("Mailgun inbound webhook", () => {
  it("[MG-49] the fully parsed post gives the message, its attachments and Mailgun's extras", async () => {
    const event = await receive("inbound", PARSED);
    expect(event.eventType).to.equal("inbound");
    expect(event.eventId).to.equal(TOKEN);
    expect(event.timestamp?.toISOString()).to.equal("2025-01-01T10:11:12.000Z");
    expect(summary(event.message)).to.deep.equal(EXPECTED);
    expect((event.espEvent as Record<string, string[]>).recipient).to.deep.equal([
      "inbound@mg.example.com",
    ]);
  });

  it("[MG-50] the raw-MIME post gives an equal message", async () => {
    const mime = await receive("inbound_mime", MIME);
    const parsed = await receive("inbound", PARSED);
    expect(summary(mime.message)).to.deep.equal(EXPECTED);
    expect(summary(mime.message)).to.deep.equal(summary(parsed.message));
    expect(mime.eventId).to.equal(parsed.eventId);
  });

  it("[MG-50] either URL reads either format (the URL only tells Mailgun what to post)", async () => {
    expect(summary((await receive("inbound", MIME)).message)).to.deep.equal(EXPECTED);
    const urlencoded = { form: MIME.form };
    expect(summary((await receive("inbound_mime", urlencoded)).message)).to.deep.equal(EXPECTED);
  });

  it("[MG-52] spam flag and score: 'No', absent, or unreadable", async () => {
    const withHeaders = (flag: string | null, score: string | null): WebhookBody => {
      const headers = HEADERS.filter(([name]) => !name.startsWith("X-Mailgun-S"));
      if (flag !== null) headers.push(["X-Mailgun-Sflag", flag]);
      if (score !== null) headers.push(["X-Mailgun-Sscore", score]);
      return {
        form: signedForm([
          ["message-headers", JSON.stringify(headers)],
          ["body-plain", "x"],
        ]),
      };
    };
    const cases: [string | null, string | null, boolean | null, number | null][] = [
      ["No", "-0.5", false, -0.5],
      [null, null, null, null],
      ["YES", "not-a-number", true, null],
    ];
    for (const [flag, score, detected, value] of cases) {
      const { message } = await receive("inbound", withHeaders(flag, score));
      expect([message.spamDetected, message.spamScore], `${flag} ${score}`).to.deep.equal([
        detected,
        value,
      ]);
    }
  });

  it("a file missing from the post is logged, the rest still arrives", async () => {
    const result = await callMailgun("inbound", { ...PARSED, files: PARSED.files?.slice(1) });
    expect(result.status).to.equal(200);
    const { message } = result.events[0] as AnymailInboundEvent;
    expect(message.attachments.map((a) => a.getFilename())).to.deep.equal(["notes.txt"]);
    expect(result.hook.logs.warn.join("\n")).to.include("announced 2 attachments but carried 1");
  });

  it("[MG-51] the signature is checked: a wrong one is a 400 and nothing is emitted", async () => {
    const bad = signedForm([["body-mime", RAW_MIME]], { ...SIGNATURE, token: "forged-token" });
    const result = await callMailgun("inbound_mime", { form: bad });
    expect(result.status).to.equal(400);
    expect(result.text).to.include("incorrect signature");
    expect(result.events).to.have.length(0);
    const unsigned = await callMailgun("inbound", { form: [["body-mime", RAW_MIME]] });
    expect(unsigned.status).to.equal(400);
  });

  it("[MG-51][HOOK-15] with a webhook secret too, both checks must pass", async () => {
    const settings = { webhookSigningKey: SIGNING_KEY };
    const secret = "user:secret-password";
    const auth = `Basic ${Buffer.from(secret).toString("base64")}`;
    const bad = signedForm([["body-mime", RAW_MIME]], { ...SIGNATURE, signature: "0".repeat(64) });
    const hook = webhookApp({ mailgun: settings, webhookSecret: secret });
    const res = await hook
      .post("/mailgun/inbound/")
      .set("Authorization", auth)
      .type("form")
      .send(new URLSearchParams(bad).toString());
    expect(res.status).to.equal(400);
    expect(hook.events).to.have.length(0);
  });

  describe("Mailgun inbound misconfiguration", () => {
    it("[MG-48][HOOK-09] a JSON tracking webhook at the inbound URL is a 400 naming the mix-up", async () => {
      const json = { signature: sign(), "event-data": { event: "delivered" } };
      const result = await callMailgun("inbound", { json });
      expect(result.status).to.equal(400);
      expect(result.text).to.include("*delivered tracking* webhook to Anymail's Mailgun *inbound*");
    });

    it("[MG-48] a legacy tracking post at the inbound URL is a 400 naming the mix-up", async () => {
      const result = await callMailgun("inbound", { form: signedForm([["event", "opened"]]) });
      expect(result.status).to.equal(400);
      expect(result.text).to.include("*opened tracking* webhook");
    });

    it("a store() notification is a 400 that asks for forward()", async () => {
      const form = signedForm([
        ["message-headers", "[]"],
        ["attachments", "[]"],
      ]);
      const result = await callMailgun("inbound", { form });
      expect(result.status).to.equal(400);
      expect(result.text).to.include("forward()");
    });

    it("a post with neither body-mime nor message-headers, or bad message-headers, is a 400", async () => {
      for (const fields of [
        [["body-plain", "x"]],
        [["message-headers", "not json"]],
        [["message-headers", '{"From": "x"}']],
      ] as [string, string][][]) {
        const result = await callMailgun("inbound", { form: signedForm(fields) });
        expect(result.status, JSON.stringify(fields)).to.equal(400);
        expect(result.text).to.match(/^Mailgun inbound webhook: /);
      }
    });

    it("odd message-headers entries and content-id-map are tolerated", async () => {
      const form = signedForm([
        ["message-headers", JSON.stringify([["Subject", "ok"], "junk", ["X-Only-Name"]])],
        ["content-id-map", "not json"],
        ["attachment-count", "1"],
      ]);
      const files = [
        { fieldName: "attachment-1", filename: "a.txt", contentType: "text/plain", content: NOTES },
      ];
      const { message } = await receive("inbound", { form, files });
      expect(message.subject).to.equal("ok");
      expect(message.attachments).to.have.length(1);
    });
  });
});
