// Resend in the shared webhook kit: JSON posts signed by Svix (secrets generated here, one per
// route). The inbound event names the received email, which the route fetches from Resend's
// API: a loopback capture server stands in for it, answering every lookup with the email.
import { startCaptureServer, type CaptureServer } from "../../helpers/capture-server.js";
import { type WebhookCall, type WebhookProfile } from "../../helpers/describe-webhook.js";
import { newSecret, svixHeaders } from "../../esps/resend/svix.js";

const SIGNING_SECRET = newSecret();
const INBOUND_SECRET = newSecret();
const EMAIL_ID = "4ef9a417-02e9-4d39-ad75-9611e0fcc33c";

const DELIVERED = {
  type: "email.delivered",
  created_at: "2026-11-20T23:41:12.126Z",
  data: {
    created_at: "2026-11-20T23:41:11.894719+00:00",
    email_id: "56761188-7520-42d8-8898-ff6fc54ce618",
    from: "Sender <sender@example.org>",
    to: ["recipient@example.com"],
    subject: "Kit message",
  },
};

const RECEIVED = {
  type: "email.received",
  created_at: "2026-11-20T23:41:12.126Z",
  data: {
    email_id: EMAIL_ID,
    created_at: "2026-11-20T23:41:11.894719+00:00",
    from: "Sender <sender@example.org>",
    to: ["inbox@inbound.example.com"],
    subject: "Kit message",
    attachments: [],
  },
};

/** What Resend's API answers for the received email (its fields; no raw MIME to fetch). */
const RECEIVED_EMAIL = {
  object: "email",
  id: EMAIL_ID,
  from: "Sender <sender@example.org>",
  to: ["inbox@inbound.example.com"],
  subject: "Kit message",
  message_id: "<kit-1@example.org>",
  text: "Hello from the webhook kit.",
  attachments: [],
};

// filled in once the API stand-in listens (the kit reads the settings inside its tests)
const settings = { signingSecret: SIGNING_SECRET, inboundSecret: INBOUND_SECRET, apiKey: "re_kit" };
const unsignedSettings = { apiKey: "re_kit" };
let api: CaptureServer | undefined;

function call(payload: unknown, secrets: string[], timestamp?: number): WebhookCall {
  const body = JSON.stringify(payload);
  const headers = secrets.length > 0 ? svixHeaders(body, secrets, { timestamp }) : {};
  delete headers["content-type"];
  return { body, contentType: "application/json", headers };
}

function route(payload: Record<string, unknown>, secret: string, otherSecret: string) {
  return {
    valid: () => call(payload, [secret]),
    forged: {
      "a call without Svix headers": () => call(payload, []),
      "a call signed with another secret": () => call(payload, [newSecret()]),
      "a call signed with the other route's secret": () => call(payload, [otherSecret]),
      "a call signed ten minutes ago": () =>
        call(payload, [secret], Math.floor(Date.now() / 1000) - 600),
      "a call changed after signing": () => {
        const signed = call(payload, [secret]);
        return { ...signed, body: JSON.stringify({ ...payload, created_at: "2026-11-21" }) };
      },
    },
  };
}

export const webhook: WebhookProfile = {
  esp: "resend",
  settings,
  unsignedSettings,
  signatureProvesSender: true,
  before: async () => {
    api = await startCaptureServer();
    api.respond(200, RECEIVED_EMAIL);
    Object.assign(settings, { apiUrl: `${api.url}/` });
    Object.assign(unsignedSettings, { apiUrl: `${api.url}/` });
  },
  after: async () => {
    await api?.close();
  },
  routes: {
    tracking: route(DELIVERED, SIGNING_SECRET, INBOUND_SECRET),
    inbound: route(RECEIVED, INBOUND_SECRET, SIGNING_SECRET),
  },
};
