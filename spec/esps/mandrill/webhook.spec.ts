// Mandrill's single webhook URL through a real Express app with anymailRouter mounted
// (supertest). Events follow Mandrill's example webhook payloads.
import { expect } from "chai";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import express from "express";
import request from "supertest";
import { anymailRouter } from "../../../lib/middleware/router.js";
import { AnymailEmitter } from "../../../lib/events/emitter.js";
import type { AnymailTrackingEvent } from "../../../lib/events/tracking.js";
import { basicAuthHeader, webhookApp } from "../../helpers/webhooks.js";
import type { WebhookApp } from "../../helpers/webhooks.js";
import { skipBecause } from "../../helpers/skip.js";

const KEY = "mandrill-webhook-key-for-tests";
const HOST = "hooks.example.com";
const URL_SEEN = `http://${HOST}/anymail/mandrill/`;

const MSG = {
  ts: 1365109999,
  subject: "This an example webhook message",
  email: "example.webhook@mandrillapp.com",
  sender: "example.sender@mandrillapp.com",
  tags: ["webhook-example"],
  state: "sent",
  metadata: { user_id: 111 },
  _id: "exampleaaaaaaaaaaaaaaaaaaaaaaaaa",
};
const SEND = { event: "send", msg: MSG, _id: MSG._id, ts: 1384954004 };
const OPEN = {
  event: "open",
  msg: { ...MSG, _id: "id2" },
  _id: "id2",
  ts: 1384954005,
  user_agent: "Mozilla/5.0",
};
const BOUNCE = {
  event: "hard_bounce",
  msg: {
    ...MSG,
    _id: "id3",
    state: "bounced",
    bounce_description: "bad_mailbox",
    diag: "smtp;550 5.1.1 unknown",
  },
  _id: "id3",
  ts: 1384954006,
};

const RAW_MSG = [
  "Received: from mail.example.org by inbound.mandrillapp.com",
  "From: Sender Name <sender@example.org>",
  "To: Inbox <inbox@inbound.example.com>",
  "Cc: other@example.com",
  "Subject: Test inbound",
  "Date: Fri, 24 Apr 2020 10:11:12 +0200",
  "Message-ID: <abc@example.org>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/alternative; boundary="BB"',
  "",
  "--BB",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Hello inbound",
  "--BB",
  "Content-Type: text/html; charset=utf-8",
  "",
  "<p>Hello inbound</p>",
  "--BB--",
  "",
].join("\r\n");
const INBOUND = {
  event: "inbound",
  ts: 1587715872,
  msg: {
    raw_msg: RAW_MSG,
    email: "inbox@inbound.example.com",
    from_email: "sender@example.org",
    subject: "Test inbound",
    spam_report: { score: 1.6, matched_rules: [] },
    tags: [],
    sender: null,
  },
};

/** Mandrill's signature: base64 HMAC-SHA1 over the URL plus sorted name+value pairs. */
function sign(url: string, fields: Record<string, string>, key = KEY): string {
  let data = url;
  for (const name of Object.keys(fields).sort()) data += name + fields[name];
  return createHmac("sha1", key).update(data).digest("base64");
}

function fieldsOf(events: unknown[]): Record<string, string> {
  return { mandrill_events: JSON.stringify(events) };
}

/** A signed post of `events` to `path`, as Mandrill would send it to URL_SEEN. */
function postEvents(hook: WebhookApp, events: unknown[], path = "/mandrill/", url = URL_SEEN) {
  const fields = fieldsOf(events);
  return hook
    .post(path)
    .set("Host", HOST)
    .set("X-Mandrill-Signature", sign(url, fields))
    .type("form")
    .send(fields);
}

describe("Mandrill webhooks", () => {
  const options = { mandrill: { webhookKey: KEY } };

  it("[MD-16] [MD-21] a batch on /mandrill/ runs the listeners once per event, in order", async () => {
    const hook = webhookApp(options);
    const res = await postEvents(hook, [SEND, OPEN, BOUNCE]);
    expect(res.status).to.equal(200);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["sent", "opened", "bounced"]);
    expect(hook.events.every((e) => e.espName === "Mandrill" && e.channel === "tracking")).to.equal(
      true,
    );
    const [sent, opened, bounced] = hook.tracking;
    expect((sent.espEvent as { event: string }).event).to.equal("send");
    expect(sent.messageId).to.equal(MSG._id);
    expect(sent.recipient).to.equal("example.webhook@mandrillapp.com");
    expect(sent.metadata).to.deep.equal({ user_id: 111 });
    expect(sent.tags).to.deep.equal(["webhook-example"]);
    expect(sent.timestamp?.toISOString()).to.equal("2013-11-20T13:26:44.000Z");
    expect(opened.userAgent).to.equal("Mozilla/5.0");
    expect(bounced.rejectReason).to.equal("bounced");
    expect(bounced.mtaResponse).to.equal("smtp;550 5.1.1 unknown");
  });

  it("[MD-16] /mandrill/tracking/ is answered by the same handler", async () => {
    const hook = webhookApp(options);
    const url = `http://${HOST}/anymail/mandrill/tracking/`;
    const res = await postEvents(hook, [SEND], "/mandrill/tracking/", url);
    expect(res.status).to.equal(200);
    expect(hook.tracking).to.have.length(1);
  });

  it("[MD-16] /mandrill/inbound/ is a 404 that points to /mandrill/", async () => {
    const res = await webhookApp(options)
      .post("/mandrill/inbound/")
      .type("form")
      .send(fieldsOf([]));
    expect(res.status).to.equal(404);
    expect(res.text).to.include("/mandrill/");
  });

  it("[MD-17] HEAD (Mandrill's URL check) answers 200 even before webhookKey is set", async () => {
    const hook = webhookApp({});
    const res = await request(hook.app).head("/anymail/mandrill/");
    expect(res.status).to.equal(200);
    expect(hook.events).to.have.length(0);
  });

  it("[MD-18] [MD-03] a POST while webhookKey is unset is a 400 and a log line naming the setting", async () => {
    const hook = webhookApp({});
    const res = await postEvents(hook, [SEND]);
    expect(res.status).to.equal(400);
    expect(res.text).to.include("webhookKey");
    expect([...hook.logs.warn, ...hook.logs.error].join("\n")).to.match(/MANDRILL_WEBHOOK_KEY/);
    expect(hook.events).to.have.length(0);
  });

  it("[MD-03] webhookKey from MANDRILL_WEBHOOK_KEY in the environment", async () => {
    const hook = webhookApp({ env: { MANDRILL_WEBHOOK_KEY: KEY } });
    expect((await postEvents(hook, [SEND])).status).to.equal(200);
  });

  it("[MD-03] a webhookKey env value that looks like a number is still the key's text", async () => {
    const hook = webhookApp({ env: { ANYMAIL_MANDRILL_WEBHOOK_KEY: "20240101" } });
    const fields = fieldsOf([SEND]);
    const res = await hook
      .post("/mandrill/")
      .set("Host", HOST)
      .set("X-Mandrill-Signature", sign(URL_SEEN, fields, "20240101"))
      .type("form")
      .send(fields);
    expect(res.status).to.equal(200);
  });

  it("[MD-19] a wrong signature is a 400 that names the signed URL; nothing is emitted", async () => {
    const hook = webhookApp(options);
    const fields = fieldsOf([SEND]);
    const res = await hook
      .post("/mandrill/")
      .set("Host", HOST)
      .set("X-Mandrill-Signature", sign(URL_SEEN, fields, "some-other-key"))
      .type("form")
      .send(fields);
    expect(res.status).to.equal(400);
    expect(res.text).to.include(`incorrect signature (for url ${URL_SEEN})`);
    expect(res.text).to.not.include(KEY);
    expect(hook.events).to.have.length(0);
  });

  it("[MD-19] the signature covers the payload: a changed event is refused", async () => {
    const hook = webhookApp(options);
    const signed = fieldsOf([SEND]);
    const res = await hook
      .post("/mandrill/")
      .set("Host", HOST)
      .set("X-Mandrill-Signature", sign(URL_SEEN, signed))
      .type("form")
      .send(fieldsOf([{ ...SEND, event: "spam" }]));
    expect(res.status).to.equal(400);
    expect(hook.events).to.have.length(0);
  });

  it("[MD-19] a missing X-Mandrill-Signature is a 400", async () => {
    const hook = webhookApp(options);
    const res = await hook
      .post("/mandrill/")
      .set("Host", HOST)
      .type("form")
      .send(fieldsOf([SEND]));
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/X-Mandrill-Signature header missing/);
  });

  it("[MD-20] behind a proxy: with trust proxy, the signature is over the public X-Forwarded URL", async () => {
    const emitter = new AnymailEmitter();
    const received: AnymailTrackingEvent[] = [];
    emitter.on("tracking", (event) => {
      received.push(event);
    });
    const app = express();
    app.set("trust proxy", true);
    app.use(
      "/anymail",
      anymailRouter({
        env: {},
        emitter,
        logger: { warn() {}, error() {} },
        mandrill: { webhookKey: KEY },
      }),
    );
    const publicUrl = "https://www.example.com/anymail/mandrill/";
    const fields = fieldsOf([SEND]);
    const res = await request(app)
      .post("/anymail/mandrill/")
      .set("Host", "localhost:8000")
      .set("X-Forwarded-Proto", "https")
      .set("X-Forwarded-Host", "www.example.com")
      .set("X-Mandrill-Signature", sign(publicUrl, fields))
      .type("form")
      .send(fields);
    expect(res.status).to.equal(200);
    expect(received).to.have.length(1);
  });

  it("[#18.7] a signature made for another host cannot be replayed through Host: LOCALHOST plus a forged X-Forwarded-Host", async () => {
    const fields = fieldsOf([SEND]);
    for (const host of ["LOCALHOST", "a@127.0.0.1", "localhost:80"]) {
      const hook = webhookApp(options);
      const res = await hook
        .post("/mandrill/")
        .set("Host", host)
        .set("X-Forwarded-Host", "victim.example.com")
        .set("X-Mandrill-Signature", sign("http://victim.example.com/anymail/mandrill/", fields))
        .type("form")
        .send(fields);
      expect(res.status, host).to.equal(400);
      expect(hook.events, host).to.have.length(0);
    }
  });

  it("[MD-20] without trust proxy, the forwarded headers are not believed: the error shows the URL used", async () => {
    const hook = webhookApp(options);
    const fields = fieldsOf([SEND]);
    const res = await hook
      .post("/mandrill/")
      .set("Host", "localhost:8000")
      .set("X-Forwarded-Proto", "https")
      .set("X-Forwarded-Host", "www.example.com")
      .set("X-Mandrill-Signature", sign("https://www.example.com/anymail/mandrill/", fields))
      .type("form")
      .send(fields);
    expect(res.status).to.equal(400);
    expect(res.text).to.include("(for url http://localhost:8000/anymail/mandrill/)");
  });

  it("[MD-04] [MD-20] webhookUrl: the signature is over that exact URL, whatever the request's", async () => {
    const webhookUrl = "https://public.example.com/hooks/anymail/mandrill/";
    const hook = webhookApp({ mandrill: { webhookKey: KEY, webhookUrl } });
    const res = await postEvents(hook, [SEND], "/mandrill/", webhookUrl);
    expect(res.status).to.equal(200);
    expect(hook.tracking).to.have.length(1);
    const wrong = await postEvents(webhookApp({ mandrill: { webhookKey: KEY, webhookUrl } }), [
      SEND,
    ]);
    expect(wrong.status).to.equal(400);
    expect(wrong.text).to.include(`(for url ${webhookUrl})`);
  });

  it("[MD-04] webhookUrl from ANYMAIL_MANDRILL_WEBHOOK_URL", async () => {
    const webhookUrl = "https://env.example.com/anymail/mandrill/";
    const hook = webhookApp({
      env: { ANYMAIL_MANDRILL_WEBHOOK_KEY: KEY, ANYMAIL_MANDRILL_WEBHOOK_URL: webhookUrl },
    });
    expect((await postEvents(hook, [SEND], "/mandrill/", webhookUrl)).status).to.equal(200);
  });

  it("[MD-20] basic-auth credentials in the URL Mandrill was given are part of what it signs", async () => {
    const secret = "random:random-secret-pw";
    const hook = webhookApp({ webhookSecret: secret, mandrill: { webhookKey: KEY } });
    const fields = fieldsOf([SEND]);
    const res = await hook
      .post("/mandrill/")
      .set("Host", HOST)
      .set("Authorization", basicAuthHeader(secret))
      .set("X-Mandrill-Signature", sign(`http://${secret}@${HOST}/anymail/mandrill/`, fields))
      .type("form")
      .send(fields);
    expect(res.status).to.equal(200);
    const unsigned = await webhookApp({ webhookSecret: secret, mandrill: { webhookKey: KEY } })
      .post("/mandrill/")
      .set("Host", HOST)
      .set("Authorization", basicAuthHeader(secret))
      .set("X-Mandrill-Signature", sign(URL_SEEN, fields))
      .type("form")
      .send(fields);
    expect(unsigned.status).to.equal(400);
    expect(unsigned.text).to.not.include("random-secret-pw");
  });

  describe("[#18] attacks on the signature, over HTTP", () => {
    /** Mandrill's signature over ordered entries (a `__proto__` name stays a field). */
    function signEntries(url: string, entries: [string, string][], key = KEY): string {
      let data = url;
      for (const [name, value] of [...entries].sort(([a], [b]) => (a < b ? -1 : 1))) {
        data += name + value;
      }
      return createHmac("sha1", key).update(data).digest("base64");
    }

    it("[#18.6] an unsigned __proto__ field added to a signed post is refused", async () => {
      const signed: [string, string][] = [["mandrill_events", JSON.stringify([SEND])]];
      const hook = webhookApp(options);
      const res = await hook
        .post("/mandrill/")
        .set("Host", HOST)
        .set("X-Mandrill-Signature", signEntries(URL_SEEN, signed))
        .type("form")
        .send(new URLSearchParams([...signed, ["__proto__", "smuggled"]]).toString());
      expect(res.status).to.equal(400);
      expect(res.text).to.include("incorrect signature");
      expect(hook.events).to.have.length(0);
    });

    it("[#18.6] a __proto__ field Mandrill did sign is part of the signed string", async () => {
      const fields: [string, string][] = [
        ["mandrill_events", JSON.stringify([SEND])],
        ["__proto__", "signed-too"],
      ];
      const hook = webhookApp(options);
      const res = await hook
        .post("/mandrill/")
        .set("Host", HOST)
        .set("X-Mandrill-Signature", signEntries(URL_SEEN, fields))
        .type("form")
        .send(new URLSearchParams(fields).toString());
      expect(res.status).to.equal(200);
      expect(hook.tracking).to.have.length(1);
    });

    it("[#18.7] with webhookUrl set, a forged X-Forwarded-Host cannot choose the signed URL, even behind a trusted proxy", async () => {
      const webhookUrl = "https://public.example.com/anymail/mandrill/";
      const app = express();
      app.set("trust proxy", true);
      const received: unknown[] = [];
      const emitter = new AnymailEmitter();
      emitter.on("tracking", (event) => void received.push(event));
      app.use(
        "/anymail",
        anymailRouter({
          env: {},
          emitter,
          logger: { warn() {}, error() {} },
          mandrill: { webhookKey: KEY, webhookUrl },
        }),
      );
      const fields = fieldsOf([SEND]);
      const forged = await request(app)
        .post("/anymail/mandrill/")
        .set("Host", "public.example.com")
        .set("X-Forwarded-Host", "attacker.example")
        .set("X-Mandrill-Signature", sign("http://attacker.example/anymail/mandrill/", fields))
        .type("form")
        .send(fields);
      expect(forged.status).to.equal(400);
      expect(forged.text).to.include(`(for url ${webhookUrl})`);
      expect(received).to.have.length(0);
      const genuine = await request(app)
        .post("/anymail/mandrill/")
        .set("Host", "public.example.com")
        .set("X-Forwarded-Host", "attacker.example")
        .set("X-Mandrill-Signature", sign(webhookUrl, fields))
        .type("form")
        .send(fields);
      expect(genuine.status).to.equal(200);
    });
  });

  for (const [title, body] of [
    ["no mandrill_events field", { other: "x" }],
    ["mandrill_events that is not JSON", { mandrill_events: "[{not json" }],
    ["mandrill_events that is not a list of events", { mandrill_events: '{"event":"send"}' }],
    ["a list with a non-object entry", { mandrill_events: '[{"event":"send"}, 3]' }],
  ] as const) {
    it(`a signed post with ${title} is a 400, not a crash`, async () => {
      const hook = webhookApp(options);
      const res = await hook
        .post("/mandrill/")
        .set("Host", HOST)
        .set("X-Mandrill-Signature", sign(URL_SEEN, body))
        .type("form")
        .send(body);
      expect(res.status).to.equal(400);
      expect(hook.events).to.have.length(0);
    });
  }

  it("[MD-32] an inbound event goes to the inbound listeners, parsed from msg.raw_msg", async () => {
    const hook = webhookApp(options);
    const res = await postEvents(hook, [INBOUND]);
    expect(res.status).to.equal(200);
    expect(hook.tracking).to.have.length(0);
    expect(hook.inbound).to.have.length(1);
    // expectations from the reference oracle (django-anymail 9.0) for the same event
    const [event] = hook.inbound;
    expect(event.eventType).to.equal("inbound");
    expect(event.eventId).to.equal(null);
    expect(event.timestamp?.toISOString()).to.equal("2020-04-24T08:11:12.000Z");
    expect(event.espEvent).to.deep.equal(INBOUND);
    const { message } = event;
    expect(message.envelopeSender).to.equal(null);
    expect(message.envelopeRecipient).to.equal("inbox@inbound.example.com");
    expect(message.spamScore).to.equal(1.6);
    expect(message.spamDetected).to.equal(null);
    expect(message.fromEmail?.address).to.equal("Sender Name <sender@example.org>");
    expect(message.to.map((a) => a.address)).to.deep.equal(["Inbox <inbox@inbound.example.com>"]);
    expect(message.cc.map((a) => a.address)).to.deep.equal(["other@example.com"]);
    expect(message.subject).to.equal("Test inbound");
    expect(message.date?.toISOString()).to.equal("2020-04-24T08:11:12.000Z");
    expect(message.text?.trim()).to.equal("Hello inbound");
    expect(message.html?.trim()).to.equal("<p>Hello inbound</p>");
    expect(message.get("Message-ID")).to.equal("<abc@example.org>");
  });

  it("[MD-16] [MD-21] [MD-32] a batch mixing tracking and inbound events dispatches each to its channel, in order", async () => {
    const hook = webhookApp(options);
    const res = await postEvents(hook, [SEND, INBOUND, OPEN]);
    expect(res.status).to.equal(200);
    expect(hook.events.map((e) => e.channel)).to.deep.equal(["tracking", "inbound", "tracking"]);
    expect(hook.events.map((e) => e.event.eventType)).to.deep.equal(["sent", "inbound", "opened"]);
  });

  it("[MD-32] an inbound event without raw_msg is a 400", async () => {
    const hook = webhookApp(options);
    const res = await postEvents(hook, [SEND, { ...INBOUND, msg: { email: "x@example.com" } }]);
    expect(res.status).to.equal(400);
    expect(res.text).to.include("raw_msg");
    expect(hook.events).to.have.length(0);
  });

  it("[MD-19] [MD-04] a real Mandrill post (published vector, raw bytes as captured) verifies and gives two clicks", async function () {
    // ../shared/vectors (not copied into the project): skipped where absent
    const dir = ["../../../../shared/vectors/mandrill/", "../../../../../shared/vectors/mandrill/"]
      .map((path) => new URL(path, import.meta.url))
      .find((url) => existsSync(url));
    if (!dir)
      skipBecause(
        this,
        "the shared vectors folder (../shared/vectors) is not beside this checkout",
      );
    const vector = JSON.parse(
      readFileSync(new URL("webhook-signature-click-mandrill-rails.json", dir), "utf8"),
    ) as { webhook_key: string; url: string; x_mandrill_signature: string; raw_body_file: string };
    const raw = readFileSync(new URL(vector.raw_body_file, dir));
    const hook = webhookApp({
      mandrill: { webhookKey: vector.webhook_key, webhookUrl: vector.url },
    });
    const res = await hook
      .post("/mandrill/")
      .set("Content-Type", "application/x-www-form-urlencoded")
      .set("X-Mandrill-Signature", vector.x_mandrill_signature)
      .send(raw.toString("latin1"));
    expect(res.status).to.equal(200);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["clicked", "clicked"]);
    expect(hook.tracking[0].clickUrl).to.be.a("string");
  });

  it("[MD-30] [MD-31] sync events are unknown, and nothing is delivered", async () => {
    const hook = webhookApp(options);
    const sync = {
      type: "blacklist",
      action: "add",
      reject: { email: "x@example.com", reason: "hard-bounce" },
      ts: 1,
    };
    expect((await postEvents(hook, [sync, SEND])).status).to.equal(200);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["unknown", "sent"]);
    expect(hook.tracking[0].recipient).to.equal("x@example.com");
  });
});

// Mandrill signs the URL it was given; with webhookUrl fixed, the basic-auth suite can add
// its credentials to the request without changing what was signed.
