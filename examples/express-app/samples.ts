/**
 * @module
 * Realistic sample webhooks, one entry per ESP and route, in each ESP's documented format,
 * signed where the ESP signs. The simulate buttons post them to the app's own webhook URLs.
 * Adding an ESP's sample is adding one entry to SAMPLES (plus a key in sample-keys.ts if the
 * ESP signs); ESPs this build of anymail does not have are left out by availableSamples().
 */
import { createHash, createHmac, createSign, randomBytes, randomUUID, sign } from "node:crypto";
import { knownEspNames } from "anymail";
import type { SampleKeys } from "./sample-keys.js";

/** A message sent from the page: samples use its id and recipient, so events correlate. */
export interface SentRef {
  messageId: string;
  recipient: string;
  subject: string;
}

export interface SampleContext {
  /** The router's public URL, e.g. "http://localhost:3000/anymail". */
  baseUrl: string;
  keys: SampleKeys;
  webhookSecret: string;
  message?: SentRef;
}

export interface SampleRequest {
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface Sample {
  /** Unique, used in the URL `/simulate/<id>`. */
  id: string;
  /** The ESP's name in anymail's registry. */
  esp: string;
  /** The ESP's name as people write it. */
  espLabel: string;
  /** The router's route under the ESP: "tracking", "inbound", … ("" for the ESP's root). */
  route: string;
  /** What the sample is, for its button: "delivery", "inbound with attachment". */
  label: string;
  build(context: SampleContext): SampleRequest | Promise<SampleRequest>;
}

/** The webhook path of a sample under the router's mount point. */
export function samplePath(sample: Pick<Sample, "esp" | "route">): string {
  return sample.route ? `/${sample.esp}/${sample.route}/` : `/${sample.esp}/`;
}

const now = () => Math.floor(Date.now() / 1000);
const idOr = (context: SampleContext, fallback: string) => context.message?.messageId ?? fallback;
const recipientOf = (context: SampleContext) => context.message?.recipient ?? "someone@example.com";
const json = (body: unknown): SampleRequest => ({
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
const form = (fields: Record<string, string>): SampleRequest => ({
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

/** A multipart/form-data body, encoded by the platform's own FormData. */
async function multipart(fields: Record<string, string>): Promise<SampleRequest> {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  const encoded = new Request("http://localhost/", { method: "POST", body: data });
  return {
    headers: { "Content-Type": encoded.headers.get("content-type")! },
    body: Buffer.from(await encoded.arrayBuffer()),
  };
}

const INBOUND_HTML =
  '<p>Hello from a <b>sample inbound</b> message.</p><img src="https://tracker.example.net/p.gif" alt="">' +
  "<script>alert('scripts are removed')</script>";

/** A raw inbound message with an HTML part and a text attachment. */
export function rawMime(subject = "Sample inbound with an attachment"): string {
  return [
    "From: Sender <sender@example.net>",
    "To: inbound@example.com",
    `Subject: ${subject}`,
    `Message-ID: <${randomUUID()}@example.net>`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    'Content-Type: multipart/alternative; boundary="b2"',
    "",
    "--b2",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Hello from a sample inbound message.",
    "--b2",
    "Content-Type: text/html; charset=utf-8",
    "",
    INBOUND_HTML,
    "--b2--",
    "--b1",
    'Content-Type: text/plain; name="notes.txt"',
    'Content-Disposition: attachment; filename="notes.txt"',
    "",
    "These are the notes.",
    "--b1--",
    "",
  ].join("\r\n");
}

/** Mailgun's signature fields: HMAC-SHA256 of timestamp + token with the signing key. */
function mailgunSignature(key: string) {
  const timestamp = String(now());
  const token = randomBytes(25).toString("hex");
  const signature = createHmac("sha256", key)
    .update(timestamp + token)
    .digest("hex");
  return { timestamp, token, signature };
}

/** Mandrill signs the URL exactly as entered there (credentials included) and the form. */
function mandrillPost(context: SampleContext, events: unknown[]): SampleRequest {
  const body = JSON.stringify(events);
  const url = `${context.baseUrl.replace("://", `://${context.webhookSecret}@`)}/mandrill/`;
  const signature = createHmac("sha1", context.keys.mandrill)
    .update(url + "mandrill_events" + body)
    .digest("base64");
  const request = form({ mandrill_events: body });
  request.headers["X-Mandrill-Signature"] = signature;
  return request;
}

/** An SNS Notification carrying `message`, signed (SignatureVersion 2) with the demo certificate. */
function snsNotification(context: SampleContext, topic: string, message: unknown): SampleRequest {
  const fields = {
    Type: "Notification",
    MessageId: randomUUID(),
    TopicArn: `arn:aws:sns:us-east-1:123456789012:${topic}`,
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
  };
  // AWS's string to sign: "Name\nvalue\n" for the signed fields, in this order
  const signed = ["Message", "MessageId", "Timestamp", "TopicArn", "Type"] as const;
  const text = signed.map((name) => `${name}\n${fields[name]}\n`).join("");
  const signer = createSign("RSA-SHA256");
  signer.update(text, "utf8");
  return {
    headers: {
      "Content-Type": "text/plain; charset=UTF-8",
      "x-amz-sns-message-type": "Notification",
      "x-amz-sns-message-id": fields.MessageId,
      "x-amz-sns-topic-arn": fields.TopicArn,
    },
    body: JSON.stringify({
      ...fields,
      SignatureVersion: "2",
      Signature: signer.sign(context.keys.amazonSes.privateKey, "base64"),
      SigningCertURL: context.keys.amazonSes.certUrl,
      UnsubscribeURL: "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe",
    }),
  };
}

/** A Resend (Svix) post: `v1,` base64 HMAC-SHA256 of "<svix-id>.<timestamp>.<body>". */
function svixPost(secret: string, event: unknown): SampleRequest {
  const body = JSON.stringify(event);
  const id = `msg_${randomBytes(16).toString("base64url")}`;
  const timestamp = String(now());
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    headers: {
      "Content-Type": "application/json",
      "svix-id": id,
      "svix-timestamp": timestamp,
      "svix-signature": `v1,${mac}`,
    },
    body,
  };
}

/** A MailerSend post: `Signature` is the hex HMAC-SHA256 of the body. */
function mailerSendPost(secret: string, event: unknown): SampleRequest {
  const request = json(event);
  request.headers.Signature = createHmac("sha256", secret)
    .update(request.body as string)
    .digest("hex");
  return request;
}

/** A Postal post, RSA-signed over the body: SHA-1 (every version) and SHA-256 (newer ones). */
function postalPost(context: SampleContext, event: unknown): SampleRequest {
  const request = json(event);
  const body = Buffer.from(request.body as string);
  const { privateKey } = context.keys.postal;
  request.headers["X-Postal-Signature"] = sign("sha1", body, privateKey).toString("base64");
  request.headers["X-Postal-Signature-256"] = sign("sha256", body, privateKey).toString("base64");
  return request;
}

/**
 * A Unisender Go post: its `auth` field is the MD5 of the body as it would read with the API
 * key in that field's place.
 */
function unisenderGoPost(apiKey: string, payload: Record<string, unknown>): SampleRequest {
  const withKey = JSON.stringify({ auth: apiKey, ...payload });
  const auth = createHash("md5").update(withKey).digest("hex");
  // the key is the body's first string: replace just that one
  return {
    headers: { "Content-Type": "application/json" },
    body: withKey.replace(JSON.stringify(apiKey), JSON.stringify(auth)),
  };
}

export const SAMPLES: readonly Sample[] = [
  {
    id: "amazon_ses-tracking",
    esp: "amazon_ses",
    espLabel: "Amazon SES",
    route: "tracking",
    label: "delivery",
    build: (context) =>
      snsNotification(context, "ses-events", {
        eventType: "Delivery",
        mail: {
          timestamp: new Date().toISOString(),
          source: "sender@example.com",
          messageId: idOr(context, `0100${randomBytes(12).toString("hex")}-000000`),
          destination: [recipientOf(context)],
          headers: [{ name: "Subject", value: context.message?.subject ?? "Hello" }],
          tags: { "ses:configuration-set": ["example"] },
        },
        delivery: {
          timestamp: new Date().toISOString(),
          processingTimeMillis: 512,
          recipients: [recipientOf(context)],
          smtpResponse: "250 2.6.0 Message received",
          reportingMTA: "a8-70.smtp-out.amazonses.com",
        },
      }),
  },
  {
    id: "amazon_ses-inbound",
    esp: "amazon_ses",
    espLabel: "Amazon SES",
    route: "inbound",
    label: "inbound with attachment",
    build: (context) =>
      snsNotification(context, "ses-inbound", {
        notificationType: "Received",
        mail: {
          timestamp: new Date().toISOString(),
          source: "sender@example.net",
          messageId: randomBytes(16).toString("hex"),
          destination: ["inbound@example.com"],
        },
        receipt: {
          recipients: ["inbound@example.com"],
          spamVerdict: { status: "PASS" },
          virusVerdict: { status: "PASS" },
          action: { type: "SNS", encoding: "UTF8", topicArn: "arn:aws:sns:…:ses-inbound" },
        },
        content: rawMime(),
      }),
  },
  {
    id: "mailersend-tracking",
    esp: "mailersend",
    espLabel: "MailerSend",
    route: "tracking",
    label: "delivered",
    build: (context) =>
      mailerSendPost(context.keys.mailersend.signingSecret, {
        type: "activity.delivered",
        domain_id: "7z3m5jgrogdpyo6n",
        created_at: new Date().toISOString(),
        webhook_id: "3vz9dle4k6kj1kp5",
        url: `${context.baseUrl}/mailersend/tracking/`,
        data: {
          object: "activity",
          id: randomBytes(12).toString("hex"),
          type: "delivered",
          created_at: new Date().toISOString(),
          email: {
            object: "email",
            id: randomBytes(12).toString("hex"),
            from: "sender@example.com",
            subject: context.message?.subject ?? "Hello",
            status: "delivered",
            tags: ["welcome"],
            message: { object: "message", id: idOr(context, randomBytes(12).toString("hex")) },
            recipient: { object: "recipient", email: recipientOf(context) },
          },
          morph: null,
        },
      }),
  },
  {
    id: "mailersend-inbound",
    esp: "mailersend",
    espLabel: "MailerSend",
    route: "inbound",
    label: "inbound with attachment",
    build: (context) =>
      mailerSendPost(context.keys.mailersend.inboundSecret, {
        type: "inbound.message",
        inbound_id: "jpzkmgq7vnl059v7",
        url: `${context.baseUrl}/mailersend/inbound/`,
        created_at: new Date().toISOString(),
        data: {
          object: "message",
          id: randomBytes(12).toString("hex"),
          created_at: new Date().toISOString(),
          raw: rawMime(),
          sender: { email: "sender@example.net" },
          recipients: { rcptTo: [{ email: "inbound@example.com" }] },
          from: { email: "sender@example.net", name: "Sender" },
          subject: "Sample inbound with an attachment",
        },
      }),
  },
  {
    id: "mailgun-tracking",
    esp: "mailgun",
    espLabel: "Mailgun",
    route: "tracking",
    label: "delivered",
    build: (context) =>
      json({
        signature: mailgunSignature(context.keys.mailgun),
        "event-data": {
          event: "delivered",
          timestamp: now(),
          id: randomBytes(11).toString("base64url"),
          recipient: recipientOf(context),
          tags: ["welcome"],
          "user-variables": { user_id: "42" },
          message: { headers: { "message-id": idOr(context, `${now()}.sample@mg.example.com`) } },
          "delivery-status": { code: 250, message: "OK", description: "" },
        },
      }),
  },
  {
    id: "mailgun-inbound",
    esp: "mailgun",
    espLabel: "Mailgun",
    route: "inbound",
    label: "inbound (parsed)",
    build: (context) =>
      multipart({
        ...mailgunSignature(context.keys.mailgun),
        recipient: "inbound@example.com",
        sender: "sender@example.net",
        from: "Sender <sender@example.net>",
        To: "inbound@example.com",
        subject: "Sample parsed inbound",
        "body-plain": "Hello from a sample inbound message.",
        "body-html": INBOUND_HTML,
        "message-headers": JSON.stringify([
          ["From", "Sender <sender@example.net>"],
          ["To", "inbound@example.com"],
          ["Subject", "Sample parsed inbound"],
          ["Content-Type", "multipart/alternative"],
        ]),
      }),
  },
  {
    id: "mailgun-inbound_mime",
    esp: "mailgun",
    espLabel: "Mailgun",
    route: "inbound_mime",
    label: "inbound (raw MIME)",
    build: (context) =>
      form({
        ...mailgunSignature(context.keys.mailgun),
        recipient: "inbound@example.com",
        sender: "sender@example.net",
        "body-mime": rawMime(),
      }),
  },
  {
    id: "mailjet-tracking",
    esp: "mailjet",
    espLabel: "Mailjet",
    route: "tracking",
    label: "open",
    build: (context) =>
      json({
        event: "open",
        time: now(),
        MessageID: idOr(context, "19421777835146490"),
        Message_GUID: randomUUID(),
        email: recipientOf(context),
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
    id: "mailjet-inbound",
    esp: "mailjet",
    espLabel: "Mailjet",
    route: "inbound",
    label: "inbound (Parse API)",
    build: () =>
      json({
        Sender: "sender@example.net",
        Recipient: "inbound@example.com",
        Date: "20261123T100000",
        From: "Sender <sender@example.net>",
        Subject: "Sample Mailjet inbound",
        Headers: {
          From: "Sender <sender@example.net>",
          To: "inbound@example.com",
          Subject: "Sample Mailjet inbound",
          "Content-Type": ['multipart/alternative; boundary="b2"'],
        },
        Parts: [
          { "Content-Type": "text/plain", ContentRef: "Text-part", Headers: {} },
          { "Content-Type": "text/html", ContentRef: "Html-part", Headers: {} },
        ],
        SpamAssassinScore: "0.2",
        "Text-part": "Hello from a sample inbound message.",
        "Html-part": INBOUND_HTML,
      }),
  },
  {
    id: "mailtrap-tracking",
    esp: "mailtrap",
    espLabel: "Mailtrap",
    route: "tracking",
    label: "delivery, open",
    build: (context) => {
      const common = {
        message_id: idOr(context, randomUUID()),
        sending_stream: "transactional",
        email: recipientOf(context),
        category: "welcome",
        custom_variables: { user_id: "42" },
      };
      return json({
        events: [
          { ...common, event: "delivery", timestamp: now(), event_id: randomUUID() },
          {
            ...common,
            event: "open",
            timestamp: now(),
            event_id: randomUUID(),
            ip: "192.0.2.1",
            user_agent: "Mozilla/5.0",
          },
        ],
      });
    },
  },
  {
    id: "mandrill-tracking",
    esp: "mandrill",
    espLabel: "Mandrill",
    route: "",
    label: "send",
    build: (context) =>
      mandrillPost(context, [
        {
          event: "send",
          ts: now(),
          _id: idOr(context, randomBytes(16).toString("hex")),
          msg: {
            email: recipientOf(context),
            tags: ["welcome"],
            metadata: { user_id: "42" },
            state: "sent",
            ts: now(),
          },
        },
      ]),
  },
  {
    id: "mandrill-inbound",
    esp: "mandrill",
    espLabel: "Mandrill",
    route: "",
    label: "inbound",
    build: (context) =>
      mandrillPost(context, [
        {
          event: "inbound",
          ts: now(),
          msg: { raw_msg: rawMime(), email: "inbound@example.com", spam_report: { score: 0.2 } },
        },
      ]),
  },
  {
    id: "postal-tracking",
    esp: "postal",
    espLabel: "Postal",
    route: "tracking",
    label: "sent (delivered)",
    build: (context) =>
      postalPost(context, {
        event: "MessageSent",
        timestamp: Date.now() / 1000,
        uuid: randomUUID(),
        payload: {
          message: {
            id: context.message?.messageId ?? 12345,
            token: randomBytes(6).toString("base64url"),
            direction: "outgoing",
            message_id: `<${randomUUID()}@postal.example.com>`,
            to: recipientOf(context),
            from: "sender@example.com",
            subject: context.message?.subject ?? "Hello",
            timestamp: Date.now() / 1000,
            spam_status: "NotChecked",
            tag: "welcome",
          },
          status: "Sent",
          details: `Message for ${recipientOf(context)} accepted by mx.example.net (192.0.2.25)`,
          output: "250 2.0.0 OK",
          sent_with_ssl: true,
          timestamp: Date.now() / 1000,
          time: 0.21,
        },
      }),
  },
  {
    id: "postal-inbound",
    esp: "postal",
    espLabel: "Postal",
    route: "inbound",
    label: "inbound (raw message)",
    build: (context) => {
      const raw = rawMime();
      return postalPost(context, {
        id: 8765,
        rcpt_to: "inbound@example.com",
        mail_from: "sender@example.net",
        token: randomBytes(6).toString("base64url"),
        subject: "Sample inbound with an attachment",
        message: Buffer.from(raw).toString("base64"),
        base64: true,
        size: Buffer.byteLength(raw),
      });
    },
  },
  {
    id: "postmark-tracking",
    esp: "postmark",
    espLabel: "Postmark",
    route: "tracking",
    label: "delivery",
    build: (context) =>
      json({
        RecordType: "Delivery",
        ServerID: 23,
        MessageStream: "outbound",
        MessageID: idOr(context, randomUUID()),
        Recipient: recipientOf(context),
        Tag: "welcome",
        DeliveredAt: new Date().toISOString(),
        Details: "Test delivery webhook details",
        Metadata: { user_id: "42" },
      }),
  },
  {
    id: "postmark-inbound",
    esp: "postmark",
    espLabel: "Postmark",
    route: "inbound",
    label: "inbound with attachment",
    build: () =>
      json({
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
        HtmlBody: INBOUND_HTML,
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
    id: "resend-tracking",
    esp: "resend",
    espLabel: "Resend",
    route: "tracking",
    label: "delivered",
    build: (context) =>
      svixPost(context.keys.resend.signingSecret, {
        type: "email.delivered",
        created_at: new Date().toISOString(),
        data: {
          created_at: new Date().toISOString(),
          email_id: idOr(context, randomUUID()),
          from: "Example <sender@example.com>",
          to: [recipientOf(context)],
          subject: context.message?.subject ?? "Hello",
          // how anymail sends metadata and tags to Resend
          headers: [
            { name: "X-Metadata", value: '{"user_id": "42"}' },
            { name: "X-Tags", value: '["welcome"]' },
          ],
        },
      }),
  },
  {
    id: "resend-inbound",
    esp: "resend",
    espLabel: "Resend",
    route: "inbound",
    label: "inbound with attachment",
    build: (context) =>
      svixPost(context.keys.resend.inboundSecret, {
        type: "email.received",
        created_at: new Date().toISOString(),
        data: {
          // fetched back from "Resend's API": this app answers for this id (demo-api.ts)
          email_id: context.keys.resend.inboundEmailId,
          created_at: new Date().toISOString(),
          from: "Sender <sender@example.net>",
          to: ["inbound@example.com"],
          subject: "Sample inbound with an attachment",
          attachments: [
            {
              id: randomUUID(),
              filename: "notes.txt",
              content_type: "text/plain",
              content_disposition: "attachment",
            },
          ],
        },
      }),
  },
  {
    id: "sendgrid-tracking",
    esp: "sendgrid",
    espLabel: "SendGrid",
    route: "tracking",
    label: "processed, delivered, open",
    build: (context) => {
      const common = {
        email: recipientOf(context),
        sg_message_id: "sample.filter0001",
        anymail_id: idOr(context, randomUUID()),
      };
      const body = JSON.stringify([
        { ...common, timestamp: now(), event: "processed", sg_event_id: randomUUID() },
        {
          ...common,
          timestamp: now(),
          event: "delivered",
          sg_event_id: randomUUID(),
          response: "250 OK",
        },
        {
          ...common,
          timestamp: now(),
          event: "open",
          sg_event_id: randomUUID(),
          useragent: "Mozilla/5.0",
          ip: "192.0.2.1",
        },
      ]);
      // Signed Event Webhook: ECDSA P-256 over timestamp + raw body
      const timestamp = String(now());
      const signature = sign(
        "sha256",
        Buffer.from(timestamp + body),
        context.keys.sendgrid.privateKey,
      ).toString("base64");
      return {
        headers: {
          "Content-Type": "application/json",
          "X-Twilio-Email-Event-Webhook-Signature": signature,
          "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
        },
        body,
      };
    },
  },
  {
    id: "sendgrid-inbound",
    esp: "sendgrid",
    espLabel: "SendGrid",
    route: "inbound",
    label: "inbound (raw MIME)",
    build: () =>
      multipart({
        to: "inbound@example.com",
        from: "Sender <sender@example.net>",
        subject: "Sample inbound with an attachment",
        envelope: JSON.stringify({ to: ["inbound@example.com"], from: "sender@example.net" }),
        spam_score: "0.1",
        charsets: JSON.stringify({ to: "UTF-8", from: "UTF-8", subject: "UTF-8" }),
        email: rawMime(),
      }),
  },
  {
    id: "sendinblue-tracking",
    esp: "sendinblue",
    espLabel: "Brevo (Sendinblue)",
    route: "tracking",
    label: "delivered",
    build: (context) =>
      json({
        event: "delivered",
        email: recipientOf(context),
        id: 1,
        date: "2026-11-23 10:00:00",
        ts: now(),
        "message-id": idOr(context, `<${now()}.sample@smtp-relay.mailin.fr>`),
        ts_event: now(),
        subject: context.message?.subject ?? "Hello",
        tag: '["welcome"]',
        tags: ["welcome"],
        "X-Mailin-custom": '{"user_id": "42"}',
        ts_epoch: Date.now(),
      }),
  },
  {
    id: "sendinblue-inbound",
    esp: "sendinblue",
    espLabel: "Brevo (Sendinblue)",
    route: "inbound",
    // Brevo posts only a download token per attachment, fetched from its API with your API
    // key: this sample has none, so it needs no key
    label: "inbound (parsed)",
    build: () => {
      const messageId = `<${randomUUID()}@example.net>`;
      const date = new Date().toUTCString();
      return json({
        items: [
          {
            Uuid: [randomUUID()],
            MessageId: messageId,
            InReplyTo: null,
            From: { Name: "Sender", Address: "sender@example.net" },
            To: [{ Name: null, Address: "inbound@example.com" }],
            ReplyTo: null,
            SentAtDate: date,
            Subject: "Sample Brevo inbound",
            Attachments: [],
            Headers: {
              Received: "from mail.example.net by inbound.brevo.com",
              "MIME-Version": "1.0",
              From: "Sender <sender@example.net>",
              To: "inbound@example.com",
              Date: date,
              "Message-ID": messageId,
              Subject: "Sample Brevo inbound",
              "Return-Path": "<sender@example.net>",
              "Delivered-To": "inbound@example.com",
              "Content-Type": "multipart/alternative",
            },
            SpamScore: 0.4,
            ExtractedMarkdownMessage: "Hello from a sample inbound message.",
            RawHtmlBody: INBOUND_HTML,
            RawTextBody: "Hello from a sample inbound message.",
          },
        ],
      });
    },
  },
  {
    id: "sparkpost-tracking",
    esp: "sparkpost",
    espLabel: "SparkPost",
    route: "tracking",
    label: "delivery",
    build: (context) =>
      json([
        {
          msys: {
            message_event: {
              type: "delivery",
              event_id: String(Date.now()),
              timestamp: String(now()),
              transmission_id: idOr(context, "30800000000000000"),
              rcpt_to: recipientOf(context),
              campaign_id: "welcome",
              rcpt_meta: { user_id: "42" },
              raw_rcpt_to: recipientOf(context),
            },
          },
        },
      ]),
  },
  {
    id: "sparkpost-inbound",
    esp: "sparkpost",
    espLabel: "SparkPost",
    route: "inbound",
    label: "inbound (relay)",
    build: () =>
      json([
        {
          msys: {
            relay_message: {
              content: {
                email_rfc822: rawMime(),
                email_rfc822_is_base64: false,
                subject: "Sample inbound with an attachment",
                to: ["inbound@example.com"],
              },
              customer_id: "1337",
              friendly_from: "sender@example.net",
              msg_from: "sender@example.net",
              rcpt_to: "inbound@example.com",
              webhook_id: "sample-relay",
            },
          },
        },
      ]),
  },
  {
    id: "unisender_go-tracking",
    esp: "unisender_go",
    espLabel: "Unisender Go",
    route: "tracking",
    label: "delivered",
    build: (context) =>
      unisenderGoPost(context.keys.unisenderGo, {
        events_by_user: [
          {
            user_id: 456,
            project_id: "6432890",
            project_name: "Example",
            events: [
              {
                event_name: "transactional_email_status",
                event_data: {
                  job_id: "1a3Q2V-0000OZ-S0",
                  // anymail sends its message id as the anymail_id metadata
                  metadata: { user_id: "42", anymail_id: idOr(context, randomUUID()) },
                  email: recipientOf(context),
                  status: "delivered",
                  // UTC, without a zone
                  event_time: new Date().toISOString().slice(0, 19).replace("T", " "),
                  url: null,
                  delivery_info: { destination_response: "250 2.0.0 OK", ip: "192.0.2.25" },
                },
              },
            ],
          },
        ],
      }),
  },
];

/** The samples of the ESPs this build of anymail has. */
export function availableSamples(): Sample[] {
  const known = new Set(knownEspNames());
  return SAMPLES.filter((sample) => known.has(sample.esp));
}
