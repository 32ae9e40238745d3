// Mandrill in the shared webhook kit: form posts signed with HMAC-SHA1 over the webhook URL and
// the fields (X-Mandrill-Signature); the check is always on. `webhookUrl` fixes the signed URL,
// so the kit's basic-auth credentials need not be part of it.
import { createHmac } from "node:crypto";
import type { WebhookCall, WebhookProfile } from "../../helpers/describe-webhook.js";

const KEY = "kit-mandrill-webhook-key";
const URL = "https://hooks.example.com/anymail/mandrill/";

const EVENTS = [
  {
    event: "send",
    _id: "kitaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ts: 1384954004,
    msg: {
      ts: 1365109999,
      subject: "Kit message",
      email: "recipient@example.com",
      sender: "sender@example.org",
      state: "sent",
      _id: "kitaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    },
  },
];

function call(key: string | null, url = URL, events: unknown[] = EVENTS): WebhookCall {
  const fields = { mandrill_events: JSON.stringify(events) };
  const headers: Record<string, string> = {};
  if (key !== null) {
    headers["X-Mandrill-Signature"] = createHmac("sha1", key)
      .update(url + "mandrill_events" + fields.mandrill_events)
      .digest("base64");
  }
  return {
    body: new URLSearchParams(fields).toString(),
    contentType: "application/x-www-form-urlencoded",
    headers,
  };
}

const route = {
  valid: () => call(KEY),
  forged: {
    "a call without X-Mandrill-Signature": () => call(null),
    "a call signed with another key": () => call("another-webhook-key"),
    "a call signed for another URL": () => call(KEY, "https://elsewhere.example.com/"),
  },
};

export const webhook: WebhookProfile = {
  esp: "mandrill",
  settings: { webhookKey: KEY, webhookUrl: URL },
  signatureProvesSender: true,
  routes: { tracking: route, "": route },
};
