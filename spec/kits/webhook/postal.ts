// Postal in the shared webhook kit: JSON posts signed with the server's RSA key
// (`X-Postal-Signature`, SHA-1; `X-Postal-Signature-256` on newer Postal), a key pair
// generated here; the inbound endpoint sends the raw message, base64.
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { KIT_MIME, type WebhookCall, type WebhookProfile } from "../../helpers/describe-webhook.js";

function newKeyPair(): { privateKey: KeyObject; webhookKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey,
    webhookKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  };
}

const server = newKeyPair();
const impostor = newKeyPair();

const SENT = {
  event: "MessageSent",
  timestamp: 1795000000.123,
  uuid: "kit-uuid-message-sent",
  payload: {
    message: {
      id: 12345,
      token: "kittok",
      direction: "outgoing",
      message_id: "<kit-1@example.org>",
      to: "recipient@example.com",
      from: "sender@example.org",
      subject: "Kit message",
      timestamp: 1795000000.0,
      tag: "kit",
    },
    status: "Sent",
    details: "Message for recipient@example.com accepted by 192.0.2.1",
    output: "250 2.0.0 OK",
    sent_with_ssl: true,
    timestamp: 1795000001.5,
    time: 0.2,
  },
};

const RECEIVED = {
  id: 8765,
  rcpt_to: "inbox@inbound.example.com",
  mail_from: "sender@example.org",
  token: "kitrtok",
  message: Buffer.from(KIT_MIME).toString("base64"),
  base64: true,
  size: KIT_MIME.length,
};

type Signer = (body: string) => Record<string, string>;
const sha1 =
  (key: KeyObject): Signer =>
  (body) => ({ "X-Postal-Signature": sign("sha1", Buffer.from(body), key).toString("base64") });
const sha256 =
  (key: KeyObject): Signer =>
  (body) => ({
    "X-Postal-Signature-256": sign("sha256", Buffer.from(body), key).toString("base64"),
  });

function call(payload: unknown, signer?: Signer, signedPayload = payload): WebhookCall {
  const body = JSON.stringify(payload);
  return {
    body,
    contentType: "application/json",
    headers: signer ? signer(JSON.stringify(signedPayload)) : {},
  };
}

function route(payload: Record<string, unknown>) {
  return {
    valid: () => call(payload, sha1(server.privateKey)),
    forged: {
      "a call without a signature": () => call(payload),
      "a call signed with another key": () => call(payload, sha1(impostor.privateKey)),
      "a call signed (SHA-256) with another key": () => call(payload, sha256(impostor.privateKey)),
      "a call changed after signing": () =>
        call({ ...payload, uuid: "changed", id: 1 }, sha1(server.privateKey), payload),
      "a valid SHA-1 signature beside a wrong SHA-256 one": () =>
        call(payload, (body) => ({
          ...sha1(server.privateKey)(body),
          "X-Postal-Signature-256": "AAAA",
        })),
    },
  };
}

export const webhook: WebhookProfile = {
  esp: "postal",
  settings: { webhookKey: server.webhookKey },
  unsignedSettings: {},
  signatureProvesSender: true,
  routes: {
    tracking: route(SENT),
    inbound: route(RECEIVED),
  },
};
