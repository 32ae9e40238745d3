// Test helpers for Mailgun webhooks: signing, and posting to a Mailgun webhook route.
import { createHmac } from "node:crypto";
import { AnymailError } from "../../../lib/errors.js";
import type {
  AnymailEvent,
  EspAdapter,
  WebhookContext,
  WebhookRequest,
} from "../../../lib/esps/types.js";
import { mailgun } from "../../../lib/esps/mailgun/index.js";

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
}

export interface WebhookResult {
  status: number;
  events: AnymailEvent[];
  error?: unknown;
}

/** Posts a body to `/mailgun/<route>/` and collects the events (or the error → 400). */
export async function callMailgun(
  route: "tracking" | "inbound" | "inbound_mime",
  body: WebhookBody,
  settings: Record<string, unknown> = { webhookSigningKey: SIGNING_KEY },
): Promise<WebhookResult> {
  const adapter: EspAdapter = mailgun;
  const handler =
    route === "tracking"
      ? adapter.tracking
      : route === "inbound"
        ? adapter.inbound
        : adapter.extraRoutes?.inbound_mime;
  if (!handler) throw new Error(`no Mailgun ${route} handler`);
  const form: Record<string, string[]> = {};
  for (const [name, value] of body.form ?? []) (form[name] ??= []).push(value);
  const rawBody = Buffer.from(body.json !== undefined ? JSON.stringify(body.json) : "");
  const request: WebhookRequest = {
    method: "POST",
    url: new URL(`http://localhost/anymail/mailgun/${route}/`),
    headers: {},
    rawBody,
    contentType: body.json !== undefined ? "application/json" : "multipart/form-data",
    json: body.json,
    form: body.json !== undefined ? undefined : form,
    files: body.files ?? [],
    basicAuthPassed: false,
  };
  const context: WebhookContext = {
    espName: "Mailgun",
    settings,
    logger: { warn: () => undefined, error: () => undefined },
    fetch: globalThis.fetch,
  };
  try {
    await handler.verify?.(request, context);
    return { status: 200, events: await handler.handle(request, context) };
  } catch (error) {
    if (error instanceof AnymailError) return { status: 400, events: [], error };
    throw error;
  }
}
