/**
 * @module
 * SendGrid's Signed Event Webhook: an ECDSA (P-256, SHA-256) signature over the
 * `X-Twilio-Email-Event-Webhook-Timestamp` header followed by the raw body, sent base64 (DER)
 * in `X-Twilio-Email-Event-Webhook-Signature`. The verification key is SendGrid's public key,
 * shown base64 (SPKI DER) in its Mail Settings (SendGrid docs "Getting Started with the
 * Event Webhook Security Features"). Beyond the spec: django-anymail 8.1 predates it.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { AnymailConfigurationError } from "../../errors.js";
import { validationFailure, webhookHeader } from "../../util/payload.js";
import type { WebhookContext, WebhookRequest, WebhookSignature } from "../types.js";
import type { WebhookSettings } from "./index.js";

export const SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature";
export const TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp";

const parsedKeys = new Map<string, KeyObject>();

/** Parses a verification key: base64 SPKI DER as SendGrid shows it, or a PEM public key. */
export function parseVerificationKey(key: string, espName: string): KeyObject {
  let parsed = parsedKeys.get(key);
  if (parsed) return parsed;
  try {
    parsed = key.includes("-----BEGIN")
      ? createPublicKey(key)
      : createPublicKey({ key: Buffer.from(key.trim(), "base64"), format: "der", type: "spki" });
  } catch (error) {
    // never echo the key itself
    throw new AnymailConfigurationError(
      `${espName}: webhookVerificationKey is not a valid public key. Copy the Verification ` +
        "Key from SendGrid's Mail Settings > Event Webhook (base64), or give a PEM public key.",
      { espName, cause: error },
    );
  }
  if (parsed.asymmetricKeyType !== "ec") {
    throw new AnymailConfigurationError(
      `${espName}: webhookVerificationKey must be an elliptic-curve (ECDSA) public key.`,
      { espName },
    );
  }
  if (parsedKeys.size > 32) parsedKeys.clear();
  parsedKeys.set(key, parsed);
  return parsed;
}

/** The configured verification key(s): one, or several while SendGrid keys rotate. */
export function verificationKeys(settings: WebhookSettings): string[] {
  return (settings.webhookVerificationKey ?? []).filter((key) => key.trim().length > 0);
}

/** SendGrid's Signed Event Webhook check, on when a verification key is configured. */
export const signature: WebhookSignature<WebhookSettings> = {
  enabled: (settings) => verificationKeys(settings).length > 0,
  verify(request, context) {
    verifyEventWebhookSignature(request, verificationKeys(context.settings), context);
  },
};

/** Throws AnymailWebhookValidationFailure unless one of the keys verifies the request. */
export function verifyEventWebhookSignature(
  request: WebhookRequest,
  keys: readonly string[],
  context: Pick<WebhookContext, "espName">,
): void {
  const signature = webhookHeader(request, SIGNATURE_HEADER);
  const timestamp = webhookHeader(request, TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    throw validationFailure(
      context,
      "called without a signature (X-Twilio-Email-Event-Webhook-Signature and -Timestamp " +
        "headers). Enable Signed Event Webhook Requests in SendGrid, or remove " +
        "webhookVerificationKey.",
    );
  }
  const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), request.rawBody]);
  const signatureBytes = Buffer.from(signature, "base64");
  const publicKeys = keys.map((key) => parseVerificationKey(key, context.espName));
  const valid = publicKeys.some((key) => {
    try {
      return verify("sha256", signed, { key, dsaEncoding: "der" }, signatureBytes);
    } catch {
      return false; // malformed DER signature
    }
  });
  if (!valid) throw validationFailure(context, "called with an incorrect signature");
}
