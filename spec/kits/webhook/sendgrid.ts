// SendGrid in the shared webhook kit: the Event Webhook is signed (ECDSA over timestamp + body,
// when a verification key is set); Inbound Parse is a multipart form and is not signed.
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { KIT_MIME, type WebhookCall, type WebhookProfile } from "../../helpers/describe-webhook.js";

const pair = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const { publicKey, privateKey } = pair();
const other = pair().privateKey;

const BATCH = [
  {
    email: "recipient@example.com",
    timestamp: 1513299569,
    event: "delivered",
    sg_event_id: "sg_event_id_kit",
    sg_message_id: "sg_message_id_kit.filter0001.16648.5515E0B88.0",
    response: "250 OK",
  },
];

function trackingCall(key: KeyObject | null, tamper = false): WebhookCall {
  const body = JSON.stringify(BATCH) + "\r\n";
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {};
  if (key !== null) {
    headers["X-Twilio-Email-Event-Webhook-Timestamp"] = timestamp;
    headers["X-Twilio-Email-Event-Webhook-Signature"] = sign(
      "sha256",
      Buffer.from(timestamp + body),
      { key, dsaEncoding: "der" },
    ).toString("base64");
  }
  return {
    body: tamper ? body.replace("delivered", "bounce") : body,
    contentType: "application/json",
    headers,
  };
}

function inboundCall(): WebhookCall {
  const boundary = "xYzZY-kit";
  const part = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  return {
    body:
      part("to", "inbox@parse.example.com") +
      part("from", "Sender <sender@example.org>") +
      part("envelope", '{"to":["inbox@parse.example.com"],"from":"sender@example.org"}') +
      part("charsets", '{"to":"UTF-8","from":"UTF-8","subject":"UTF-8"}') +
      part("email", KIT_MIME) +
      `--${boundary}--\r\n`,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export const webhook: WebhookProfile = {
  esp: "sendgrid",
  settings: {
    webhookVerificationKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  },
  unsignedSettings: {},
  routes: {
    tracking: {
      valid: () => trackingCall(privateKey),
      signatureProvesSender: true,
      forged: {
        "an unsigned call": () => trackingCall(null),
        "a call signed with another key": () => trackingCall(other),
        "a call whose body changed after signing": () => trackingCall(privateKey, true),
      },
    },
    // Inbound Parse has no signature: basic auth is its only protection
    inbound: { valid: inboundCall },
  },
};
