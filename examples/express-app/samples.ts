/**
 * @module
 * Realistic sample webhooks, one or two per ESP, in each ESP's documented format, signed
 * where the ESP signs. The "simulate" buttons post them to the app's own webhook URLs.
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { knownEspNames } from "anymail";

export interface SampleKeys {
  mailgun: string;
  mandrill: string;
}

export interface SampleRequest {
  /** Path under the router's mount point, e.g. "/postmark/tracking/". */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Sample {
  id: string;
  esp: string;
  build(context: { baseUrl: string; keys: SampleKeys; webhookSecret: string }): SampleRequest;
}

const now = () => Math.floor(Date.now() / 1000);
const json = (path: string, body: unknown): SampleRequest => ({
  path,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

const RAW_MIME = [
  "From: Sender <sender@example.net>",
  "To: inbound@example.com",
  "Subject: Sample inbound with an attachment",
  "Message-ID: <sample-inbound@example.net>",
  "Date: Mon, 23 Nov 2026 10:00:00 +0000",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="b1"',
  "",
  "--b1",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Hello from a sample inbound message.",
  "--b1",
  'Content-Type: text/plain; name="notes.txt"',
  'Content-Disposition: attachment; filename="notes.txt"',
  "",
  "These are the notes.",
  "--b1--",
  "",
].join("\r\n");

const SAMPLES: Sample[] = [
  {
    id: "postmark-delivery",
    esp: "postmark",
    build: () =>
      json("/postmark/tracking/", {
        RecordType: "Delivery",
        ServerID: 23,
        MessageStream: "outbound",
        MessageID: randomUUID(),
        Recipient: "someone@example.com",
        Tag: "welcome",
        DeliveredAt: new Date().toISOString(),
        Details: "Test delivery webhook details",
        Metadata: { user_id: "42" },
      }),
  },
  {
    id: "postmark-inbound",
    esp: "postmark",
    build: () =>
      json("/postmark/inbound/", {
        FromName: "Sender",
        MessageStream: "inbound",
        From: "sender@example.net",
        FromFull: { Email: "sender@example.net", Name: "Sender", MailboxHash: "" },
        To: "inbound@example.com",
        ToFull: [{ Email: "inbound@example.com", Name: "", MailboxHash: "" }],
        Cc: "",
        CcFull: [],
        OriginalRecipient: "inbound@example.com",
        Subject: "Sample inbound with an attachment",
        MessageID: randomUUID(),
        ReplyTo: "",
        MailboxHash: "",
        Date: new Date().toUTCString(),
        TextBody: "Hello from a sample inbound message.",
        HtmlBody: "<p>Hello from a sample inbound message.</p>",
        StrippedTextReply: "Hello from a sample inbound message.",
        Tag: "",
        Headers: [{ Name: "X-Spam-Status", Value: "No" }],
        Attachments: [
          {
            Name: "notes.txt",
            Content: Buffer.from("These are the notes.").toString("base64"),
            ContentType: "text/plain",
            ContentLength: 20,
          },
        ],
      }),
  },
  {
    id: "sendgrid-batch",
    esp: "sendgrid",
    build: () =>
      json("/sendgrid/tracking/", [
        {
          email: "someone@example.com",
          timestamp: now(),
          event: "processed",
          sg_event_id: randomUUID(),
          sg_message_id: "sample.filter0001",
          "smtp-id": "<sample@example.com>",
          category: ["welcome"],
        },
        {
          email: "someone@example.com",
          timestamp: now(),
          event: "delivered",
          sg_event_id: randomUUID(),
          sg_message_id: "sample.filter0001",
          response: "250 OK",
        },
        {
          email: "someone@example.com",
          timestamp: now(),
          event: "open",
          sg_event_id: randomUUID(),
          sg_message_id: "sample.filter0001",
          useragent: "Mozilla/5.0",
          ip: "192.0.2.1",
        },
      ]),
  },
  {
    id: "mailgun-delivered",
    esp: "mailgun",
    build: ({ keys }) => {
      const timestamp = String(now());
      const token = randomBytes(25).toString("hex");
      const signature = createHmac("sha256", keys.mailgun)
        .update(timestamp + token)
        .digest("hex");
      return json("/mailgun/tracking/", {
        signature: { timestamp, token, signature },
        "event-data": {
          event: "delivered",
          timestamp: Number(timestamp),
          id: randomBytes(11).toString("base64url"),
          recipient: "someone@example.com",
          tags: ["welcome"],
          "user-variables": { user_id: "42" },
          message: { headers: { "message-id": "20261123.sample@mg.example.com" } },
          "delivery-status": { code: 250, message: "OK", description: "" },
        },
      });
    },
  },
  {
    id: "mailgun-inbound",
    esp: "mailgun",
    build: ({ keys }) => {
      const timestamp = String(now());
      const token = randomBytes(25).toString("hex");
      const signature = createHmac("sha256", keys.mailgun)
        .update(timestamp + token)
        .digest("hex");
      const form = new URLSearchParams({
        timestamp,
        token,
        signature,
        recipient: "inbound@example.com",
        sender: "sender@example.net",
        "body-mime": RAW_MIME,
      });
      return {
        path: "/mailgun/inbound_mime/",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form.toString(),
      };
    },
  },
  {
    id: "mailjet-open",
    esp: "mailjet",
    build: () =>
      json("/mailjet/tracking/", {
        event: "open",
        time: now(),
        MessageID: "19421777835146490",
        Message_GUID: randomUUID(),
        email: "someone@example.com",
        mj_campaign_id: 7173,
        mj_contact_id: 320,
        customcampaign: "welcome",
        CustomID: "",
        Payload: '{"user_id": "42"}',
        ip: "192.0.2.1",
        geo: "US",
        agent: "Mozilla/5.0",
      }),
  },
  {
    id: "mandrill-send",
    esp: "mandrill",
    build: ({ baseUrl, keys, webhookSecret }) => {
      const events = JSON.stringify([
        {
          event: "send",
          ts: now(),
          _id: randomBytes(16).toString("hex"),
          msg: {
            _id: "sample",
            email: "someone@example.com",
            tags: ["welcome"],
            metadata: { user_id: "42" },
            state: "sent",
            ts: now(),
          },
        },
      ]);
      // Mandrill signs the URL exactly as entered there, basic-auth credentials included
      const url = `${baseUrl.replace("://", `://${webhookSecret}@`)}/mandrill/`;
      const signature = createHmac("sha1", keys.mandrill)
        .update(url + "mandrill_events" + events)
        .digest("base64");
      return {
        path: "/mandrill/",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "X-Mandrill-Signature": signature,
        },
        body: new URLSearchParams({ mandrill_events: events }).toString(),
      };
    },
  },
  {
    id: "sendinblue-delivered",
    esp: "sendinblue",
    build: () =>
      json("/sendinblue/tracking/", {
        event: "delivered",
        email: "someone@example.com",
        id: 1,
        date: "2026-11-23 10:00:00",
        ts: now(),
        "message-id": "<202611231000.sample@smtp-relay.mailin.fr>",
        ts_event: now(),
        subject: "Hello",
        tag: '["welcome"]',
        tags: ["welcome"],
        "X-Mailin-custom": '{"user_id": "42"}',
        ts_epoch: Date.now(),
      }),
  },
  {
    id: "sparkpost-delivery",
    esp: "sparkpost",
    build: () =>
      json("/sparkpost/tracking/", [
        {
          msys: {
            message_event: {
              type: "delivery",
              event_id: String(Date.now()),
              timestamp: String(now()),
              transmission_id: "30800000000000000",
              rcpt_to: "someone@example.com",
              campaign_id: "welcome",
              rcpt_meta: { user_id: "42" },
              raw_rcpt_to: "someone@example.com",
            },
          },
        },
      ]),
  },
];

/** The samples of the ESPs this build of anymail has. */
export function availableSamples(): Sample[] {
  const known = new Set(knownEspNames());
  return SAMPLES.filter((sample) => known.has(sample.esp));
}
