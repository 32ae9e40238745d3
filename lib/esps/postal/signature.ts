/**
 * @module
 * Postal signs each webhook with its server's RSA key: `X-Postal-Signature` is the base64
 * RSA (PKCS#1 v1.5) SHA-1 signature of the raw body, and newer Postal versions add
 * `X-Postal-Signature-256` (SHA-256), which is checked when present. The public key is the
 * one Postal shows for the server (base64 DER) or a PEM; several are tried (rotation).
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { AnymailConfigurationError } from "../../errors.js";
import { validationFailure, webhookHeader } from "../../util/payload.js";
import type { WebhookContext, WebhookSignature } from "../types.js";
import type { WebhookSettings } from "./index.js";

const parsedKeys = new Map<string, KeyObject>();

/** A webhook key as Postal shows it (base64 SPKI DER, possibly wrapped), or a PEM. */
export function parseWebhookKey(key: string, espName: string): KeyObject {
  let parsed = parsedKeys.get(key);
  if (parsed) return parsed;
  try {
    parsed = key.includes("-----BEGIN")
      ? createPublicKey(key)
      : createPublicKey({
          key: Buffer.from(key.replace(/\s+/g, ""), "base64"),
          format: "der",
          type: "spki",
        });
  } catch (error) {
    // never echo the key
    throw new AnymailConfigurationError(
      `${espName}: webhookKey is not a valid public key. Copy the server's webhook key ` +
        `from Postal (base64), or give a PEM public key.`,
      { espName, cause: error },
    );
  }
  if (parsed.asymmetricKeyType !== "rsa") {
    throw new AnymailConfigurationError(`${espName}: webhookKey must be an RSA public key.`, {
      espName,
    });
  }
  if (parsedKeys.size > 32) parsedKeys.clear();
  parsedKeys.set(key, parsed);
  return parsed;
}

function verifies(key: KeyObject, algorithm: string, body: Buffer, signature: string): boolean {
  try {
    return verify(algorithm, body, key, Buffer.from(signature, "base64"));
  } catch {
    return false; // a malformed signature
  }
}

/** The RSA check, on when `webhookKey` is set. */
export const signature: WebhookSignature<WebhookSettings> = {
  enabled: (settings) => (settings.webhookKey?.length ?? 0) > 0,
  verify(request, context: WebhookContext<WebhookSettings>) {
    const keys = (context.settings.webhookKey ?? []).map((key) =>
      parseWebhookKey(key, context.espName),
    );
    const sha256 = webhookHeader(request, "x-postal-signature-256");
    const sha1 = webhookHeader(request, "x-postal-signature");
    const [algorithm, given] = sha256 ? ["sha256", sha256] : ["sha1", sha1];
    if (!given) throw validationFailure(context, "called without an X-Postal-Signature header");
    if (!keys.some((key) => verifies(key, algorithm, request.rawBody, given))) {
      throw validationFailure(context, "called with incorrect signature (check webhookKey)");
    }
  },
};
