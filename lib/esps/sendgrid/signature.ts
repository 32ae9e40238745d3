/**
 * @module
 * SendGrid's Signed Event Webhook: an ECDSA (P-256, SHA-256) signature over the
 * `X-Twilio-Email-Event-Webhook-Timestamp` header followed by the raw body, sent base64 (DER)
 * in `X-Twilio-Email-Event-Webhook-Signature`. The verification key is SendGrid's public key,
 * shown base64 (SPKI DER) in its Mail Settings (SendGrid docs "Getting Started with the
 * Event Webhook Security Features"). Beyond the spec: django-anymail 8.1 predates it.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { AnymailConfigurationError, AnymailWebhookValidationFailure } from "../../errors.js";
import type { WebhookRequest } from "../types.js";

export const SIGNATURE_HEADER = "x-twilio-email-event-webhook-signature";
export const TIMESTAMP_HEADER = "x-twilio-email-event-webhook-timestamp";

const parsedKeys = new Map<string, KeyObject>();

/** Parses a verification key: base64 SPKI DER as SendGrid shows it, or a PEM public key. */
export function parseVerificationKey(key: string): KeyObject {
  let parsed = parsedKeys.get(key);
  if (parsed) return parsed;
  try {
    parsed = key.includes("-----BEGIN")
      ? createPublicKey(key)
      : createPublicKey({ key: Buffer.from(key.trim(), "base64"), format: "der", type: "spki" });
  } catch (error) {
    // never echo the key itself
    throw new AnymailConfigurationError(
      "SendGrid: webhookVerificationKey is not a valid public key. Copy the Verification Key " +
        "from SendGrid's Mail Settings > Event Webhook (base64), or give a PEM public key.",
      { espName: "SendGrid", cause: error },
    );
  }
  if (parsed.asymmetricKeyType !== "ec") {
    throw new AnymailConfigurationError(
      "SendGrid: webhookVerificationKey must be an elliptic-curve (ECDSA) public key.",
      { espName: "SendGrid" },
    );
  }
  if (parsedKeys.size > 32) parsedKeys.clear();
  parsedKeys.set(key, parsed);
  return parsed;
}

/** Throws AnymailWebhookValidationFailure unless one of the keys verifies the request. */
export function verifyEventWebhookSignature(
  request: WebhookRequest,
  keys: readonly string[],
): void {
  const signature = headerValue(request, SIGNATURE_HEADER);
  const timestamp = headerValue(request, TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    throw new AnymailWebhookValidationFailure(
      "SendGrid tracking webhook called without a signature " +
        "(X-Twilio-Email-Event-Webhook-Signature and -Timestamp headers). " +
        "Enable Signed Event Webhook Requests in SendGrid, or remove webhookVerificationKey.",
      { espName: "SendGrid" },
    );
  }
  const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), request.rawBody]);
  const signatureBytes = Buffer.from(signature, "base64");
  const publicKeys = keys.map(parseVerificationKey);
  const valid = publicKeys.some((key) => {
    try {
      return verify("sha256", signed, { key, dsaEncoding: "der" }, signatureBytes);
    } catch {
      return false; // malformed DER signature
    }
  });
  if (!valid) {
    throw new AnymailWebhookValidationFailure(
      "SendGrid tracking webhook called with an incorrect signature",
      { espName: "SendGrid" },
    );
  }
}

function headerValue(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}
