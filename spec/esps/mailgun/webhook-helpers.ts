// Test helpers for Mailgun webhooks: signing, and posting to the real router (supertest).
import { createHmac } from "node:crypto";
import type { AnymailRouterOptions } from "../../../lib/middleware/router.js";
import type { AnymailEvent } from "../../../lib/esps/types.js";
import { webhookApp, type WebhookApp } from "../../helpers/webhooks.js";

export const SIGNING_KEY = "test-webhook-signing-key";

/** A Mailgun signature block for a timestamp and token. */
export function sign(
  timestamp: string | number = Math.floor(Date.now() / 1000),
  token = "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0",
  key = SIGNING_KEY,
): { timestamp: string; token: string; signature: string } {
  const ts = String(timestamp);
  return {
    timestamp: ts,
    token,
    signature: createHmac("sha256", key)
      .update(ts + token)
      .digest("hex"),
  };
}

/** A form body with the signature fields appended (as Mailgun posts them: last). */
export function signedForm(fields: [string, string][], signature = sign()): [string, string][] {
  return [
    ...fields,
    ["timestamp", signature.timestamp],
    ["token", signature.token],
    ["signature", signature.signature],
  ];
}

export interface WebhookBody {
  json?: unknown;
  form?: [string, string][];
  files?: { fieldName: string; filename: string; contentType: string; content: Buffer }[];
  /** Send the form as multipart even without files (Mailgun's inbound forward does). */
  multipart?: boolean;
}

export interface WebhookResult {
  status: number;
  /** The answer's text (the error message on a 400). */
  text: string;
  events: AnymailEvent[];
  hook: WebhookApp;
}

/** Posts a body to `/anymail/mailgun/<route>/` of a real Express app with the router mounted. */
export async function callMailgun(
  route: "tracking" | "inbound" | "inbound_mime",
  body: WebhookBody,
  settings: Record<string, unknown> = { webhookSigningKey: SIGNING_KEY },
  routerOptions: AnymailRouterOptions = {},
  hook: WebhookApp = webhookApp({ mailgun: settings, ...routerOptions }),
): Promise<WebhookResult> {
  let test = hook.post(`/mailgun/${route}/`);
  if (body.json !== undefined) {
    test = test.set("Content-Type", "application/json").send(JSON.stringify(body.json));
  } else if (body.files?.length || body.multipart) {
    for (const [name, value] of body.form ?? []) test = test.field(name, value);
    for (const file of body.files ?? []) {
      test = test.attach(file.fieldName, file.content, {
        filename: file.filename,
        contentType: file.contentType,
      });
    }
  } else {
    test = test.type("form").send(new URLSearchParams(body.form ?? []).toString());
  }
  const response = await test;
  return {
    status: response.status,
    text: response.text,
    events: hook.events.map((emitted) => emitted.event),
    hook,
  };
}
