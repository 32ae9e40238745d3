// Resend inbound: the email.received webhook through the router, the received email fetched
// from a loopback server standing in for Resend's API (GET /emails/receiving/<id>).
import { expect } from "chai";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { describeWebhookBasicAuth, webhookApp } from "../../helpers/webhooks.js";
import { newSecret, svixHeaders } from "./svix.js";

const API_KEY = "re_inbound_key_456";
const EMAIL_ID = "4ef9a417-02e9-4d39-ad75-9611e0fcc33c";

const received = {
  type: "email.received",
  created_at: "2024-02-22T23:41:12.126Z",
  data: {
    email_id: EMAIL_ID,
    created_at: "2024-02-22T23:41:11.894719+00:00",
    from: "Acme <onboarding@resend.dev>",
    to: ["delivered@resend.dev"],
    subject: "Sending this example",
    attachments: [],
  },
};

const RAW = [
  "From: =?utf-8?q?J=C3=B6rg?= <joerg@example.com>",
  "To: inbox@example.com",
  "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=",
  "Message-ID: <raw@example.com>",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: 8bit",
  "",
  "Hallo ☺",
  "",
].join("\r\n");

describe("Resend inbound webhook", () => {
  const api = useCaptureServer(200, {});
  const app = (options: Record<string, unknown> = {}) =>
    webhookApp({ resend: { apiKey: API_KEY, apiUrl: api().url, ...options } });

  it("fetches the received email and prefers its raw MIME", async () => {
    api()
      .respondOnce(200, {
        object: "email",
        id: EMAIL_ID,
        raw: { download_url: `${api().url}/raw/1` },
      })
      .respondOnce(200, RAW);
    const hook = app();
    const res = await hook.post("/resend/inbound/").set("svix-id", "msg_in").send(received);
    expect(res.status).to.equal(200);
    const [lookup, download] = api().requests;
    expect(lookup.method).to.equal("GET");
    expect(lookup.path).to.equal(`/emails/receiving/${EMAIL_ID}`);
    expect(lookup.headers.authorization).to.equal(`Bearer ${API_KEY}`);
    expect(download.path).to.equal("/raw/1");
    expect(download.headers.authorization).to.equal(undefined); // a signed URL: no key sent along
    const [event] = hook.inbound;
    expect(event.eventType).to.equal("inbound");
    expect(event.eventId).to.equal("msg_in");
    expect(event.timestamp?.toISOString()).to.equal("2024-02-22T23:41:12.126Z");
    expect(event.message.fromEmail?.address).to.equal("Jörg <joerg@example.com>");
    expect(event.message.subject).to.equal("Grüße");
    expect(event.message.text?.trimEnd()).to.equal("Hallo ☺");
    expect(event.espEvent).to.deep.equal(received);
  });

  it("without raw MIME, builds the message from Resend's fields and downloads attachments", async () => {
    api()
      .respondOnce(200, {
        object: "email",
        id: EMAIL_ID,
        from: "Sender <sender@example.com>",
        to: ["a@example.com", "b@example.com"],
        cc: ["c@example.com"],
        reply_to: ["reply@example.com"],
        message_id: "<m1@example.com>",
        subject: "Fields ü",
        text: "plain",
        html: "<p>html</p>",
        headers: { "X-Spam": "no", Received: ["r1", "r2"] },
        attachments: [
          {
            id: "att1",
            filename: "résumé.pdf",
            content_type: "application/pdf",
            content_disposition: "attachment",
            download_url: `${api().url}/att/1`,
          },
          {
            id: "att2",
            filename: "logo.png",
            content_type: "image/png",
            content_id: "logo",
            content_disposition: "inline",
            download_url: `${api().url}/att/2`,
          },
        ],
      })
      .respondOnce(200, Buffer.from("%PDF-1.4"), { "content-type": "application/pdf" })
      .respondOnce(200, Buffer.from("PNG"), { "content-type": "image/png" });
    const hook = app();
    expect((await hook.post("/resend/inbound/").send(received)).status).to.equal(200);
    const message = hook.inbound[0].message;
    expect(message.fromEmail?.addrSpec).to.equal("sender@example.com");
    expect(message.to.map((a) => a.addrSpec)).to.deep.equal(["a@example.com", "b@example.com"]);
    expect(message.cc.map((a) => a.addrSpec)).to.deep.equal(["c@example.com"]);
    expect(message.subject).to.equal("Fields ü");
    expect(message.text).to.equal("plain");
    expect(message.html).to.equal("<p>html</p>");
    expect(message.get("reply-to")).to.equal("reply@example.com");
    expect(message.get("message-id")).to.equal("<m1@example.com>");
    expect(message.getAll("received")).to.deep.equal(["r1", "r2"]);
    expect(message.attachments).to.have.length(1);
    expect(message.attachments[0].getFilename()).to.equal("résumé.pdf");
    expect(Object.keys(message.inlineAttachments)).to.deep.equal(["logo"]);
  });

  it("an API failure answers 400 (Resend retries) with Resend's text, never the key", async () => {
    api().respondOnce(404, { statusCode: 404, name: "not_found", message: "Email not found" });
    const hook = app();
    const res = await hook.post("/resend/inbound/").send(received);
    expect(res.status).to.equal(400);
    expect(hook.events).to.have.length(0);
    const logged = [...hook.logs.warn, ...hook.logs.error].join("\n") + res.text;
    expect(logged).to.include("Email not found");
    expect(logged).to.not.include(API_KEY);
  });

  it("without an apiKey, says which setting to configure (400)", async () => {
    const hook = webhookApp({ resend: { apiUrl: api().url } });
    const res = await hook.post("/resend/inbound/").send(received);
    expect(res.status).to.equal(400);
    expect([...hook.logs.error, res.text].join("\n")).to.match(/RESEND_API_KEY/);
    expect(api().requests).to.have.length(0);
  });

  it("refuses a tracking event on the inbound URL, and an event without email_id", async () => {
    const hook = app();
    const tracking = await hook
      .post("/resend/inbound/")
      .send({ type: "email.delivered", data: {} });
    expect(tracking.status).to.equal(400);
    expect([...hook.logs.error, tracking.text].join("\n")).to.match(
      /email\.delivered.*\/resend\/tracking\//,
    );
    const bare = await hook.post("/resend/inbound/").send({ type: "email.received", data: {} });
    expect(bare.status).to.equal(400);
    expect(api().requests).to.have.length(0);
  });

  describe("Svix signature (inboundSecret, separate from signingSecret)", () => {
    it("checks the inbound secret, not the tracking one", async () => {
      const inboundSecret = newSecret();
      const signingSecret = newSecret();
      const body = JSON.stringify(received);
      api().respond(200, {
        object: "email",
        id: EMAIL_ID,
        raw: { download_url: `${api().url}/raw` },
      });
      const hook = app({ inboundSecret, signingSecret });
      const wrong = await hook
        .post("/resend/inbound/")
        .set(svixHeaders(body, [signingSecret]))
        .send(body);
      expect(wrong.status).to.equal(400);
      expect(api().requests).to.have.length(0);
      api().respondOnce(200, {
        object: "email",
        id: EMAIL_ID,
        raw: { download_url: `${api().url}/raw` },
      });
      api().respondOnce(200, RAW);
      const right = await hook
        .post("/resend/inbound/")
        .set(svixHeaders(body, [inboundSecret]))
        .send(body);
      expect(right.status).to.equal(200);
      const tampered = body.replace(EMAIL_ID, "00000000-0000-0000-0000-000000000000");
      const bad = await hook
        .post("/resend/inbound/")
        .set(svixHeaders(body, [inboundSecret]))
        .send(tampered);
      expect(bad.status).to.equal(400);
    });
  });

  describe("basic auth", () => {
    beforeEach(() => {
      api().respond(200, {
        object: "email",
        id: EMAIL_ID,
        raw: { download_url: `${api().url}/raw` },
      });
    });
    describeWebhookBasicAuth(
      "Resend inbound",
      (hook) => hook.post("/resend/inbound/").send(received),
      {
        routerOptions: {
          resend: {
            apiKey: API_KEY,
            // read when each test builds its app, once the capture server listens
            get apiUrl() {
              return api().url;
            },
          },
        },
      },
    );
  });
});
