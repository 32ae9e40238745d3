// Unisender Go in the shared webhook kit: JSON posts whose `auth` field is the hex MD5 of
// the body with the API key in its place (a key generated here); tracking only.
import { createHash, randomBytes } from "node:crypto";
import { type WebhookCall, type WebhookProfile } from "../../helpers/describe-webhook.js";

const API_KEY = randomBytes(20).toString("hex");
const PLACEHOLDER = "0".repeat(32);

const STATUS = {
  events_by_user: [
    {
      user_id: 456,
      project_id: "6432890",
      project_name: "Kit",
      events: [
        {
          event_name: "transactional_email_status",
          event_data: {
            job_id: "1a3Q2V-0000OZ-S0",
            metadata: { anymail_id: "kit-aid-1" },
            email: "recipient@example.com",
            status: "delivered",
            event_time: "2026-11-20 15:09:42",
            url: null,
            delivery_info: {},
          },
        },
      ],
    },
  ],
};

/** The body as Unisender Go posts it, signed with `key` (the auth placeholder if none). */
function call(payload: unknown, key?: string, auth?: string): WebhookCall {
  const template = JSON.stringify({ auth: PLACEHOLDER, ...(payload as object) });
  const signed = key
    ? createHash("md5").update(template.replace(PLACEHOLDER, key)).digest("hex")
    : PLACEHOLDER;
  return { body: template.replace(PLACEHOLDER, auth ?? signed), contentType: "application/json" };
}

export const webhook: WebhookProfile = {
  esp: "unisender_go",
  settings: { apiKey: API_KEY },
  unsignedSettings: {},
  signatureProvesSender: true,
  routes: {
    tracking: {
      valid: () => call(STATUS, API_KEY),
      forged: {
        "a call without an auth field": () => ({
          body: JSON.stringify(STATUS),
          contentType: "application/json",
        }),
        "a call signed with another API key": () => call(STATUS, randomBytes(20).toString("hex")),
        "a call whose auth is not an MD5": () => call(STATUS, undefined, "not-an-md5"),
        "a call changed after signing": () => {
          const { body } = call(STATUS, API_KEY);
          return {
            body: String(body).replace("delivered", "hard_bounced"),
            contentType: "application/json",
          };
        },
      },
    },
  },
};
