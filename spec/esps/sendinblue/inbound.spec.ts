// Brevo inbound parsing (#17 item 12) through a real Express app: the webhook posts
// {"items": [...]}; attachments are downloaded from the loopback capture server standing in
// for api.brevo.com (GET inbound/attachments/<token> with the api-key header).
// Payload shape: Brevo's parsed-email payload (developers.brevo.com "inbound parse webhooks").
import { expect } from "chai";
import iconv from "iconv-lite";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { webhookApp } from "../../helpers/webhooks.js";

const ITEM = {
  Uuid: ["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"],
  MessageId: "<ABCDE12345@mail.example.com>",
  InReplyTo: null,
  From: { Name: "Sender Name", Address: "from@example.com" },
  To: [{ Name: null, Address: "test@inbound.example.com" }],
  ReplyTo: null,
  SentAtDate: "Mon, 17 Jul 2023 11:11:22 -0700",
  Subject: "Testing Brevo inbound",
  Attachments: [],
  Headers: {
    Received: ["by outbound.example.com; ...", "from [10.10.1.22] by smtp.example.com; ..."],
    "MIME-Version": "1.0",
    From: "Sender Name <from@example.com>",
    Date: "Mon, 17 Jul 2023 11:11:22 -0700",
    "Message-ID": "<ABCDE12345@mail.example.com>",
    Subject: "=?utf-8?q?Testing_Brevo_inbound_=E2=9C=93?=",
    To: '"Smith, John" <john@inbound.example.com>, =?utf-8?b?SsO8cmdlbg==?= <juergen@inbound.example.com>',
    Cc: "cc@inbound.example.com",
    "Return-Path": "<bounce@example.com>",
    "Delivered-To": "john@inbound.example.com",
    "Content-Type": "multipart/alternative",
  },
  SpamScore: 2.9,
  ExtractedMarkdownMessage: "This is a test message.  \n",
  RawHtmlBody: "<div>This is a <u>test message</u>.</div>\r\n",
  RawTextBody: "This is a *test message*.\r\n",
};

describe("Brevo inbound webhook (#17 item 12)", () => {
  const api = useCaptureServer(200, "");

  function hook(options: Record<string, unknown> = {}) {
    return webhookApp({
      sendinblue: { apiKey: "inbound-api-key", apiUrl: `${api().url}/v3/`, ...options },
    });
  }

  it("[SIB-38] [#17-12] Brevo now has inbound (superseding the spec's 404): /brevo/inbound/ and /sendinblue/inbound/ emit one inbound event per item", async () => {
    const app = hook();
    const res = await app.post("/brevo/inbound/").send({ items: [ITEM] });
    expect(res.status).to.equal(200);
    expect((await app.post("/sendinblue/inbound/").send({ items: [ITEM, ITEM] })).status).to.equal(
      200,
    );
    expect(app.inbound).to.have.length(3);
    const [event] = app.inbound;
    expect(app.events[0].espName).to.equal("Sendinblue");
    expect(event.eventType).to.equal("inbound");
    expect(event.eventId).to.equal("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    expect(event.timestamp).to.equal(null);
    expect(event.espEvent).to.deep.equal(ITEM);
    const message = event.message;
    expect(message.fromEmail?.addrSpec).to.equal("from@example.com");
    expect(message.fromEmail?.displayName).to.equal("Sender Name");
    // #17 item 1's audit: a comma in a quoted name and an encoded name both survive
    expect(message.to.map(String)).to.deep.equal([
      '"Smith, John" <john@inbound.example.com>',
      "Jürgen <juergen@inbound.example.com>",
    ]);
    expect(message.cc.map((a) => a.addrSpec)).to.deep.equal(["cc@inbound.example.com"]);
    expect(message.subject).to.equal("Testing Brevo inbound ✓");
    expect(message.date?.toISOString()).to.equal("2023-07-17T18:11:22.000Z");
    expect(message.text).to.equal("This is a *test message*.\r\n");
    expect(message.html).to.equal("<div>This is a <u>test message</u>.</div>\r\n");
    expect(message.envelopeSender).to.equal("bounce@example.com");
    expect(message.envelopeRecipient).to.equal("john@inbound.example.com");
    expect(message.strippedText).to.equal("This is a test message.  \n");
    expect(message.spamScore).to.equal(2.9);
    expect(message.spamDetected).to.equal(null);
    expect(message.getAll("Received")).to.have.length(2);
    expect(api().requests).to.have.length(0);
  });

  it("[#17-12] attachments are downloaded with the API key; the answer's Content-Type (with charset) wins", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
    api()
      .respondOnce(200, iconv.encode("Une pièce jointe", "latin1"), {
        "content-type": "text/plain; charset=iso-8859-1",
      })
      .respondOnce(200, png, { "content-type": "image/png" });
    const app = hook();
    const item = {
      ...ITEM,
      Attachments: [
        {
          Name: "test.txt",
          ContentType: "text/plain",
          ContentLength: 16,
          ContentID: null,
          DownloadToken: "tok/text+1",
        },
        {
          Name: "image.png",
          ContentType: "image/png",
          ContentLength: png.length,
          ContentID: "abc123",
          DownloadToken: "tok-image",
        },
      ],
    };
    const res = await app.post("/brevo/inbound/").send({ items: [item] });
    expect(res.status, res.text).to.equal(200);
    expect(api().requests.map((r) => [r.method, r.path, r.headers["api-key"]])).to.deep.equal([
      ["GET", "/v3/inbound/attachments/tok%2Ftext%2B1", "inbound-api-key"],
      ["GET", "/v3/inbound/attachments/tok-image", "inbound-api-key"],
    ]);
    // #17 item 11: anymail identifies itself to Brevo here too
    expect(api().requests[0].headers["user-agent"]).to.match(/^anymail\/\S+ \(sendinblue\)$/);
    const message = app.inbound[0].message;
    expect(message.attachments).to.have.length(1);
    expect(message.attachments[0].getFilename()).to.equal("test.txt");
    expect(message.attachments[0].getContentText()).to.equal("Une pièce jointe");
    const inline = message.inlineAttachments["abc123"];
    expect(inline.getContentType()).to.equal("image/png");
    expect(inline.getContentBytes()).to.deep.equal(png);
  });

  it("[#17-12] a failed attachment download is a 400 (Brevo retries), without the API key in it", async () => {
    api().respondOnce(404, { message: "token expired" });
    const app = hook();
    const item = { ...ITEM, Attachments: [{ Name: "a.txt", DownloadToken: "gone" }] };
    const res = await app.post("/brevo/inbound/").send({ items: [item] });
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/HTTP 404/);
    expect(res.text + app.logs.error.join("\n")).to.not.include("inbound-api-key");
    expect(app.inbound).to.have.length(0);
  });

  it("[#17-12] attachments without an apiKey are a 400 naming the setting", async () => {
    const app = webhookApp();
    const item = { ...ITEM, Attachments: [{ Name: "a.txt", DownloadToken: "t" }] };
    const res = await app.post("/brevo/inbound/").send({ items: [item] });
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/apiKey/);
  });

  it("[#17-12] a tracking event posted to the inbound URL is a 400 that says which URL to use", async () => {
    const app = hook();
    const res = await app.post("/sendinblue/inbound/").send({ event: "delivered", email: "a@b.c" });
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/\*tracking\* webhook to Anymail's \*inbound\* URL/);
    expect(app.events).to.have.length(0);
  });

  for (const [title, body] of [
    ["items that is not a list", { items: "x" }],
    ["an item that is not an object", { items: [1] }],
    ["a JSON list", [ITEM]],
  ] as const) {
    it(`${title} is a 400`, async () => {
      const app = hook();
      expect((await app.post("/brevo/inbound/").send(body)).status).to.equal(400);
      expect(app.events).to.have.length(0);
    });
  }
});
