/**
 * @module
 * Resend signs its webhooks through Svix: `svix-signature` holds space-separated `v1,<sig>`
 * entries, each `base64(HMAC-SHA256(secret, "<svix-id>.<svix-timestamp>.<raw body>"))`, where
 * the secret is the base64 after `whsec_`. A timestamp more than five minutes from now is
 * refused (replays). Several configured secrets are all tried (rotation); so are several
 * signatures in the header (Svix sends both while a secret rotates).
 */
import { createHmac } from "node:crypto";
import { constantTimeEqual } from "../../util/crypto.js";
import { validationFailure, webhookHeader } from "../../util/payload.js";
import type { WebhookContext, WebhookRequest, WebhookSignature } from "../types.js";
import type { WebhookSettings } from "./index.js";

/** Svix's tolerance for the signed timestamp, in seconds, either way. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** The key bytes of a `whsec_…` secret (a bare base64 secret works too). */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.trim().replace(/^whsec_/, ""), "base64");
}

/** Svix's signature of one message, `v1,<base64>`. */
export function svixSignature(secret: string, id: string, timestamp: string, body: Buffer): string {
  const mac = createHmac("sha256", secretKey(secret))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest("base64");
  return `v1,${mac}`;
}

/** Svix's headers, or the Standard Webhooks names Svix also sends. */
export function svixHeader(
  request: WebhookRequest,
  name: "id" | "timestamp" | "signature",
): string | undefined {
  return webhookHeader(request, `svix-${name}`) ?? webhookHeader(request, `webhook-${name}`);
}

/** Throws AnymailWebhookValidationFailure unless one of `secrets` signed the request. */
export function verifySvix(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
  secrets: readonly string[],
  settingName: string,
  now: number = Date.now(),
): void {
  const id = svixHeader(request, "id");
  const timestamp = svixHeader(request, "timestamp");
  const header = svixHeader(request, "signature");
  if (!id || !timestamp || !header) {
    throw validationFailure(context, "called without Svix signature headers");
  }
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!(Math.abs(now / 1000 - seconds) <= TIMESTAMP_TOLERANCE_SECONDS)) {
    throw validationFailure(context, "called with a timestamp outside Svix's 5-minute tolerance");
  }
  const given = header.split(/\s+/).filter((entry) => entry.startsWith("v1,"));
  const valid = secrets.some((secret) => {
    const expected = svixSignature(secret, id, timestamp, request.rawBody);
    return given.some((signature) => constantTimeEqual(signature, expected));
  });
  if (!valid) {
    throw validationFailure(
      context,
      `called with incorrect signature (check the ${settingName} setting)`,
    );
  }
}

/** The Svix check for one route, keyed by the setting that holds that route's secrets. */
export function svixSignatureFor(
  settingName: "signingSecret" | "inboundSecret",
): WebhookSignature<WebhookSettings> {
  return {
    enabled: (settings) => (settings[settingName]?.length ?? 0) > 0,
    verify: (request, context) =>
      verifySvix(request, context, context.settings[settingName] ?? [], settingName),
  };
}
