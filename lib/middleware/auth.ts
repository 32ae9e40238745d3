/**
 * @module
 * The basic-auth shared secret (spec 01 "WEBHOOK_SECRET", 06 "Securing webhooks"): parsing
 * the header is pure; the router decides what a failure answers.
 */
import { AnymailConfigurationError } from "../errors.js";
import { timingSafeEqual } from "node:crypto";
import { sha256 } from "../util/crypto.js";

/** What a request's Authorization header says about basic auth. */
export type BasicAuthResult =
  /** No credentials at all (no header, or not a Basic header). */
  | "missing"
  /** A Basic header that does not decode to `user:password`. */
  | "malformed"
  | "wrong"
  | "ok";

/** Decodes `Authorization: Basic …` to `user:password`; null when absent or malformed. */
export function parseBasicAuth(header: string | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) return /^\s*basic\b/i.test(header) ? null : undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  return decoded.includes(":") ? decoded : null;
}

/**
 * Checks the Authorization header against every configured `user:password` secret.
 * Every secret is compared (no early exit), each in constant time, so the answer's timing
 * tells nothing about which secret came close (changelog v1.2.1 "prevent timing attack").
 * Both sides are compared as SHA-256 digests (equal lengths whatever was sent); a secret's
 * digest is computed once.
 */
export function checkBasicAuth(
  header: string | undefined,
  secrets: readonly string[],
): BasicAuthResult {
  const credentials = parseBasicAuth(header);
  if (credentials === undefined) return "missing";
  if (credentials === null) return "malformed";
  const given = sha256(credentials);
  let matched = false;
  for (const secret of secrets) {
    // the comparison comes first so it runs for every secret, even after a match
    matched = timingSafeEqual(given, secretDigest(secret)) || matched;
  }
  return matched ? "ok" : "wrong";
}

/** Configured secrets' digests, so a request hashes only what it presents. */
const secretDigests = new Map<string, Buffer>();
/** Configured secrets are few; past this many (callers passing arbitrary lists) start over. */
const MAX_SECRET_DIGESTS = 64;

function secretDigest(secret: string): Buffer {
  let digest = secretDigests.get(secret);
  if (digest === undefined) {
    if (secretDigests.size >= MAX_SECRET_DIGESTS) secretDigests.clear();
    digest = sha256(secret);
    secretDigests.set(secret, digest);
  }
  return digest;
}

/** Normalizes the `webhookSecret` option (string, comma-separated env string, or list). */
export function normalizeSecrets(value: unknown): string[] {
  if (value === undefined || value === null || value === "") return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item !== "string" || !item.includes(":")) {
      // never echo the value: it is a secret
      throw new AnymailConfigurationError(
        "webhookSecret must be a 'user:password' string or a list of them " +
          "(option webhookSecret, or env ANYMAIL_WEBHOOK_SECRET).",
      );
    }
    return item;
  });
}
