import { expect } from "chai";
import { X509Certificate } from "node:crypto";
import request from "supertest";
import { listAdapters } from "../../lib/esps/registry.js";
import { createExampleApp, maskSecret } from "../../examples/express-app/app.js";
import { statusLine } from "../../examples/express-app/event-log.js";
import { html } from "../../examples/express-app/html.js";
import { demoApiFetch } from "../../examples/express-app/demo-api.js";
import {
  createSampleKeys,
  signingNotes,
  trustingRouterSettings,
} from "../../examples/express-app/sample-keys.js";
import { availableSamples, samplePath, SAMPLES } from "../../examples/express-app/samples.js";

describe("Example app", () => {
  const quiet = { write: () => true };

  it("serves the page with a viewport tag, the send form and a simulate button per sample", async () => {
    const { app } = createExampleApp({ consoleStream: quiet });
    const page = await request(app).get("/").expect(200);
    expect(page.text)
      .to.match(/<meta name="viewport" content="width=device-width, initial-scale=1"/)
      .and.include('id="send-form"')
      .and.include("Console");
    expect(page.headers["content-security-policy"]).to.include("script-src 'self'");
    for (const sample of availableSamples())
      expect(page.text).to.include(`data-sample="${sample.id}"`);
  });

  it("has a sample for every ESP and route it serves (one SAMPLES entry each)", () => {
    const ids = SAMPLES.map((s) => s.id);
    expect(new Set(ids).size, "sample ids are unique").to.equal(ids.length);
    for (const adapter of listAdapters()) {
      if (!adapter.tracking && !adapter.inbound) continue; // console, test
      const samples = availableSamples().filter((s) => s.esp === adapter.name);
      const routes = new Set(samples.map((s) => s.route));
      const expected = [
        ...(adapter.tracking && !adapter.extraRoutes?.[""] ? ["tracking"] : []),
        ...(adapter.inbound ? ["inbound"] : []),
        ...Object.keys(adapter.extraRoutes ?? {}),
      ];
      for (const route of expected) {
        expect(
          routes.has(route),
          `${adapter.name} /${route}: add an entry to examples/express-app/samples.ts`,
        ).to.equal(true);
      }
    }
  });

  it("shows webhook URLs with the secret masked, and gives the full URL to the copy button", async () => {
    const secret = "exampleuser:examplepassword1234";
    const { app } = createExampleApp({ consoleStream: quiet, webhookSecret: secret });
    const page = await request(app).get("/").set("Host", "localhost:3000").expect(200);
    expect(page.text).not.to.include("examplepassword1234").and.not.to.include("exampleuser");
    expect(page.text).to.include(
      `http://${maskSecret(secret)}@localhost:3000/anymail/postmark/tracking/`,
    );
    const url = await request(app)
      .get("/webhook-url?path=/postmark/tracking/")
      .set("Host", "localhost:3000")
      .expect(200);
    expect(url.body.url).to.equal(`http://${secret}@localhost:3000/anymail/postmark/tracking/`);
    await request(app).get("/webhook-url?path=https://evil.example/").expect(400);
  });

  it("sends through the console ESP: status line, per-recipient table and the printout", async () => {
    let printed = "";
    const { app } = createExampleApp({ consoleStream: { write: (c: string) => (printed += c) } });
    const answer = await request(app)
      .post("/send")
      .field("to", "Someone <someone@example.com>, other@example.com")
      .field("subject", "Example subject")
      .field("text", "hello")
      .field("html", "<p>hello</p>")
      .field("tags", "a, b")
      .field("metadata", '{"user_id": "42"}')
      .attach("attachment", Buffer.from("file body"), "notes.txt")
      .expect(200);
    const sent = answer.body.sent;
    const id = sent.recipients[0].messageId as string;
    expect(sent.statusLine).to.equal(`Sent to 2 recipients · message id ${id}`);
    expect(sent.recipients).to.deep.equal([
      { email: "someone@example.com", status: "sent", messageId: id },
      { email: "other@example.com", status: "sent", messageId: id },
    ]);
    expect(sent.preview.html).to.equal("<p>hello</p>");
    expect(sent.preview.attachments).to.deep.equal([
      { filename: "notes.txt", contentType: "text/plain", size: 9 },
    ]);
    expect(sent.preview.printed).to.include(`Message-ID: ${id}`).and.include("Tags: a, b");
    expect(printed).to.include("Subject: Example subject").and.include("notes.txt");
  });

  it("words the status line from the recipients' statuses", () => {
    expect(
      statusLine([
        { email: "a@example.com", status: "queued", messageId: "m1" },
        { email: "b@example.com", status: "queued", messageId: "m1" },
      ]),
    ).to.equal("Queued for 2 recipients · message id m1");
    expect(
      statusLine([
        { email: "a@example.com", status: "sent", messageId: "m1" },
        { email: "b@example.com", status: "rejected", messageId: null },
      ]),
    ).to.equal("Sent to 1 recipient · Rejected for 1 recipient · message id m1");
  });

  it("names the field a send error concerns", async () => {
    const { app } = createExampleApp({ consoleStream: quiet });
    const bad = await request(app)
      .post("/send")
      .field("to", "Widgets, Inc. <w@example.com>")
      .expect(400);
    expect(bad.body.error).to.include({ field: "to", name: "AnymailInvalidAddress" });
    const cc = await request(app).post("/send").field("to", "a@example.com").field("cc", "nope");
    expect(cc.status).to.equal(400);
    expect(cc.body.error.field).to.equal("cc");
    const json = await request(app)
      .post("/send")
      .field("to", "a@example.com")
      .field("metadata", "{nope")
      .expect(400);
    expect(json.body.error.field).to.equal("metadata");
    const empty = await request(app).post("/send").field("to", " ").expect(400);
    expect(empty.body.error.field).to.equal("to");
  });

  for (const sample of availableSamples()) {
    it(`simulates ${sample.id}: ${samplePath(sample)} accepts it and emits its events`, async () => {
      const { app, events } = createExampleApp({ consoleStream: quiet });
      const answer = await request(app).post(`/simulate/${sample.id}`).expect(200);
      expect(answer.body, JSON.stringify(answer.body)).to.deep.include({ ok: true, status: 200 });
      expect(answer.body.events).to.be.greaterThan(0);
      const adapter = listAdapters().find((a) => a.name === sample.esp)!;
      expect(events[0].espName).to.be.oneOf([adapter.displayName, adapter.name]);
      expect(events[0].channel).to.equal(
        sample.label.startsWith("inbound") ? "inbound" : "tracking",
      );
    });
  }

  for (const sample of availableSamples().filter((s) => !s.label.startsWith("inbound"))) {
    it(`links ${sample.id} events to the message sent from the page, by message id`, async () => {
      const { app, events } = createExampleApp({ consoleStream: quiet });
      const sent = await request(app)
        .post("/send")
        .field("to", "linked@example.com")
        .field("subject", "Linked")
        .expect(200);
      const { id, recipients } = sent.body.sent;
      await request(app).post(`/simulate/${sample.id}?message=${id}`).expect(200);
      expect(events[0].sent).to.deep.equal({ id, subject: "Linked" });
      expect(events[0].recipient).to.equal("linked@example.com");
      expect(events[0].messageId?.replace(/^<|>$/g, "")).to.equal(recipients[0].messageId);
    });
  }

  it("signs the Amazon SES samples with a self-signed certificate trusted by this app only", async () => {
    const keys = createSampleKeys({});
    const certificate = new X509Certificate(keys.amazonSes.certificatePem);
    expect(certificate.verify(certificate.publicKey)).to.equal(true);
    expect(keys.amazonSes.certUrl).to.match(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/.+\.pem$/);
    // a tampered sample is refused: the router really checks the demo signature
    const { app, events } = createExampleApp({ consoleStream: quiet });
    const ses = availableSamples().find((s) => s.id === "amazon_ses-tracking");
    if (!ses) return;
    const good = await request(app).post("/simulate/amazon_ses-tracking").expect(200);
    expect(good.body.status).to.equal(200);
    const other = createExampleApp({ consoleStream: quiet, webhookSecret: "u:p" });
    const forged = await ses.build({
      baseUrl: "http://x/anymail",
      keys: createSampleKeys({}),
      webhookSecret: "u:p",
    });
    const refused = await request(other.app)
      .post("/anymail/amazon_ses/tracking/")
      .auth("u", "p")
      .set(forged.headers)
      .send(forged.body as string);
    expect(refused.status).to.equal(400);
    expect(other.events).to.have.length(0);
    expect(events).to.have.length(1);
  });

  // the ESPs whose samples carry a signature: another app's demo keys must not pass here
  const SIGNED = ["mailersend", "postal", "resend", "unisender_go"];
  for (const sample of availableSamples().filter((s) => SIGNED.includes(s.esp))) {
    it(`checks ${sample.id}'s signature: one made with another app's demo keys is refused`, async () => {
      const { app, events } = createExampleApp({ consoleStream: quiet, webhookSecret: "u:p" });
      const forged = await sample.build({
        baseUrl: "http://x/anymail",
        keys: createSampleKeys({}),
        webhookSecret: "u:p",
      });
      const refused = await request(app)
        .post(`/anymail${samplePath(sample)}`)
        .auth("u", "p")
        .set(forged.headers)
        .send(forged.body as string);
      expect(refused.status).to.equal(400);
      expect(events).to.have.length(0);
    });
  }

  it("keeps the environment's webhook keys valid beside the demo keys", () => {
    const keys = createSampleKeys({});
    const settings = trustingRouterSettings(keys, {
      ANYMAIL_RESEND_SIGNING_SECRET: "whsec_b25l, whsec_dHdv",
      RESEND_API_KEY: "re_real",
      ANYMAIL_MAILERSEND_INBOUND_SECRET: '["in1"]',
      POSTAL_WEBHOOK_KEY: "MIIBIjAN",
      ANYMAIL_UNISENDER_GO_API_KEY: "uk1",
      UNISENDER_GO_API_KEY: "ignored: the ANYMAIL_ name comes first",
    });
    expect(settings.resend.signingSecret).to.deep.equal([
      "whsec_b25l",
      "whsec_dHdv",
      keys.resend.signingSecret,
    ]);
    expect(settings.resend.inboundSecret).to.deep.equal([keys.resend.inboundSecret]);
    expect(settings.resend.apiKey).to.equal("re_real");
    expect(settings.mailersend.inboundSecret).to.deep.equal(["in1", keys.mailersend.inboundSecret]);
    expect(settings.postal.webhookKey).to.deep.equal(["MIIBIjAN", keys.postal.webhookKey]);
    expect(settings.unisender_go.apiKey).to.deep.equal(["uk1", keys.unisenderGo]);
    // without a Resend API key of yours, a placeholder that only the demo email ever meets
    expect(trustingRouterSettings(keys, {}).resend.apiKey).to.match(/^re_demo_[0-9a-f]{24}$/);
    // the health panel says where each key comes from
    expect(signingNotes({ POSTAL_WEBHOOK_KEY: "MIIBIjAN" }).postal).to.equal(
      "RSA signature (key from POSTAL_WEBHOOK_KEY, and a demo key pair)",
    );
    expect(signingNotes({}).unisender_go).to.equal(
      "MD5 signature in the auth field (demo API key made at start-up)",
    );
  });

  it("answers only the demo Resend email locally; any other API call goes out", async () => {
    const keys = createSampleKeys({});
    const outgoing: string[] = [];
    const fetch = demoApiFetch(keys, async (input) => {
      outgoing.push(String(input));
      return new Response("from the network");
    });
    const lookup = await fetch(
      `https://api.resend.com/emails/receiving/${keys.resend.inboundEmailId}`,
    );
    const email = (await lookup.json()) as { raw: { download_url: string } };
    expect(email.raw.download_url).to.equal(keys.resend.rawUrl);
    expect(await (await fetch(keys.resend.rawUrl)).text()).to.include("notes.txt");
    const other = await fetch("https://api.resend.com/emails/receiving/someone-elses");
    expect(await other.text()).to.equal("from the network");
    expect(outgoing).to.deep.equal(["https://api.resend.com/emails/receiving/someone-elses"]);

    const { app, events } = createExampleApp({ consoleStream: quiet });
    if (!availableSamples().some((s) => s.id === "resend-inbound")) return;
    await request(app).post("/simulate/resend-inbound").expect(200);
    expect(events[0].inbound!.subject).to.equal("Sample inbound with an attachment");
    expect(events[0].inbound!.attachments).to.have.length(1);
  });

  it("keeps inbound HTML sanitized and serves attachments without trusting their name or type", async () => {
    const inbound = availableSamples().find((s) => s.id === "postmark-inbound");
    if (!inbound) return;
    const { app, events } = createExampleApp({ consoleStream: quiet });
    await request(app).post(`/simulate/${inbound.id}`).expect(200);
    const stored = events.find((e) => e.channel === "inbound")!;
    expect(stored.inbound!.html).to.include("<b>sample inbound</b>");
    expect(stored.inbound!.html).not.to.match(/<script|tracker\.example\.net/);
    expect(stored.inbound!.attachments).to.have.length(1);
    const download = await request(app).get(`/attachments/${stored.id}/0`).expect(200);
    expect(download.body.toString()).to.equal("These are the notes.");
    expect(download.headers["content-type"]).to.equal("application/octet-stream");
    expect(download.headers["x-content-type-options"]).to.equal("nosniff");
    expect(download.headers["content-disposition"]).to.equal('attachment; filename="notes.txt"');
    await request(app).get(`/attachments/${stored.id}/99`).expect(404);
    await request(app).get(`/attachments/nonesuch/0`).expect(404);
  });

  it("escapes every value put into the page's markup", () => {
    const hostile = `<script>alert("x")</script>'&`;
    expect(html`<p title="${hostile}">${hostile}</p>`.text).to.equal(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;">' +
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;</p>",
    );
    expect(
      html`<ul>
        ${["<a>", html`<li>ok</li>`]}
      </ul>`.text.replace(/\s+/g, ""),
    ).to.equal("<ul>&lt;a&gt;<li>ok</li></ul>");
  });

  it("answers in words when a sample cannot reach the webhook URL", async () => {
    const { app, events } = createExampleApp({ consoleStream: quiet });
    const sample = availableSamples()[0];
    if (!sample) return;
    const answer = await request(app)
      .post(`/simulate/${sample.id}`)
      .set("Host", "127.0.0.1:1")
      .expect(502);
    expect(answer.body).to.include({ ok: false, events: 0 });
    expect(answer.body.text).to.match(/^could not post to http:\/\/127\.0\.0\.1:1\/anymail/);
    expect(events).to.have.length(0);
  });

  it("answers 404 for an unknown sample", async () => {
    const { app } = createExampleApp({ consoleStream: quiet });
    await request(app).post("/simulate/nonesuch").expect(404);
  });
});
