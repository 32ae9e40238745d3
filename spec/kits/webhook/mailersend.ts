// MailerSend in the shared webhook kit: JSON posts whose `Signature` header is the hex
// HMAC-SHA256 of the raw body, keyed per route (activity webhook secret, inbound route
// secret); both secrets are generated here.
import { createHmac, randomBytes } from "node:crypto";
import { KIT_MIME, type WebhookCall, type WebhookProfile } from "../../helpers/describe-webhook.js";

const SIGNING_SECRET = randomBytes(24).toString("base64url");
const INBOUND_SECRET = randomBytes(24).toString("base64url");

const ACTIVITY = {
  type: "activity.delivered",
  domain_id: "7z3m5jgrogdpyo6n",
  created_at: "2026-11-20T12:00:00.000000Z",
  webhook_id: "kit-webhook",
  url: "https://example.com/anymail/mailersend/tracking/",
  data: {
    object: "activity",
    id: "62fb66bef54a112e920b5493",
    type: "delivered",
    created_at: "2026-11-20T12:00:00.000000Z",
    email: {
      object: "email",
      id: "62fb66bdbc2cf7d5b4002b43",
      from: "sender@example.org",
      subject: "Kit message",
      status: "delivered",
      tags: ["kit"],
      message: { object: "message", id: "62fb66bd9c8b5d0a1e0c8a21" },
      recipient: { object: "recipient", email: "recipient@example.com" },
    },
    morph: null,
  },
};

const INBOUND = {
  type: "inbound.message",
  inbound_id: "kit-inbound",
  url: "https://example.com/anymail/mailersend/inbound/",
  created_at: "2026-11-20T12:00:00.000000Z",
  data: {
    object: "message",
    id: "65e1a2b3c4d5e6f7a8b9c0d1",
    created_at: "2026-11-20T12:00:00.000000Z",
    raw: KIT_MIME,
    sender: { email: "sender@example.org" },
    recipients: { rcptTo: [{ email: "inbox@inbound.example.com" }] },
    from: { email: "sender@example.org", name: "Sender" },
    subject: "Kit message",
  },
};

const sign = (secret: string, body: string) =>
  createHmac("sha256", secret).update(body).digest("hex");

function call(payload: unknown, signature?: (body: string) => string): WebhookCall {
  const body = JSON.stringify(payload);
  return {
    body,
    contentType: "application/json",
    headers: signature ? { Signature: signature(body) } : {},
  };
}

function route(payload: unknown, secret: string, otherSecret: string) {
  return {
    valid: () => call(payload, (body) => sign(secret, body)),
    forged: {
      "a call without a Signature header": () => call(payload),
      "a call signed with another secret": () =>
        call(payload, (body) => sign(randomBytes(24).toString("base64url"), body)),
      "a call signed with the other route's secret": () =>
        call(payload, (body) => sign(otherSecret, body)),
      "a call changed after signing": () => {
        const signed = sign(secret, JSON.stringify(payload));
        return call({ ...(payload as object), created_at: "2026-11-21T00:00:00Z" }, () => signed);
      },
    },
  };
}

export const webhook: WebhookProfile = {
  esp: "mailersend",
  settings: { signingSecret: SIGNING_SECRET, inboundSecret: INBOUND_SECRET },
  unsignedSettings: {},
  signatureProvesSender: true,
  routes: {
    tracking: route(ACTIVITY, SIGNING_SECRET, INBOUND_SECRET),
    inbound: route(INBOUND, INBOUND_SECRET, SIGNING_SECRET),
  },
};
