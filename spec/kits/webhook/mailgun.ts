// Mailgun in the shared webhook kit: every route is signed (HMAC-SHA256 of timestamp + token,
// inside the body), and the check is always on, so hostile bodies meet the signature first.
import { createHmac, randomBytes } from "node:crypto";
import {
  jsonCall,
  KIT_MIME,
  type WebhookCall,
  type WebhookProfile,
} from "../../helpers/describe-webhook.js";

const KEY = "kit-mailgun-signing-key";

function signature(key = KEY) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = randomBytes(25).toString("hex"); // fresh: a replayed token may be refused
  const signature = createHmac("sha256", key)
    .update(timestamp + token)
    .digest("hex");
  return { timestamp, token, signature };
}

function trackingCall(signed: Partial<ReturnType<typeof signature>> | null): WebhookCall {
  return jsonCall({
    ...(signed === null ? {} : { signature: signed }),
    "event-data": {
      event: "delivered",
      id: "hK7mQVt1QtqRiOfQXta4sw",
      timestamp: 1529692199.626182,
      recipient: "recipient@example.com",
      message: { headers: { "message-id": "20180622184650.1.kit@example.org" } },
    },
  });
}

function inboundCall(signed: Partial<ReturnType<typeof signature>> | null): WebhookCall {
  const fields: [string, string][] = [
    ["recipient", "inbox@inbound.example.com"],
    ["sender", "sender@example.org"],
    ["body-mime", KIT_MIME],
  ];
  for (const [name, value] of Object.entries(signed ?? {})) fields.push([name, String(value)]);
  return {
    body: new URLSearchParams(fields).toString(),
    contentType: "application/x-www-form-urlencoded",
  };
}

const forgeries = (
  make: (signed: Partial<ReturnType<typeof signature>> | null) => WebhookCall,
) => ({
  "a call without a signature": () => make(null),
  "a call signed with another key": () => make(signature("another-signing-key")),
  "a call whose signature does not match its token": () =>
    make({ ...signature(), token: randomBytes(25).toString("hex") }),
});

export const webhook: WebhookProfile = {
  esp: "mailgun",
  settings: { webhookSigningKey: KEY },
  signatureProvesSender: true,
  routes: {
    tracking: { valid: () => trackingCall(signature()), forged: forgeries(trackingCall) },
    inbound: { valid: () => inboundCall(signature()), forged: forgeries(inboundCall) },
    inbound_mime: { valid: () => inboundCall(signature()), forged: forgeries(inboundCall) },
  },
};
