/**
 * @module
 * Mailgun's webhook signature: `hex(HMAC-SHA256(signingKey, timestamp + token))`, sent in a
 * `signature` block (JSON webhooks) or as `timestamp`/`token`/`signature` form fields (legacy
 * webhooks and inbound routes) (Mailgun "Securing webhooks" docs). Plus optional replay
 * protection: a maximum signature age and a cache of tokens already seen.
 */
import { createHmac } from "node:crypto";
import { AnymailConfigurationError, AnymailWebhookValidationFailure } from "../../errors.js";
import { setting, type SettingSpecs } from "../../settings.js";
import { constantTimeEqual } from "../../util/crypto.js";
import type { WebhookContext, WebhookRequest } from "../types.js";

/** Webhook options of `anymailRouter({ mailgun: { … } })`. */
export interface MailgunWebhookOptions {
  /**
   * Your Mailgun "HTTP webhook signing key". Env: ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY.
   * @default the apiKey option (the two are equal until either is rotated)
   */
  webhookSigningKey?: string;
  /** Used as the signing key when webhookSigningKey is not set. */
  apiKey?: string;
  /**
   * Refuse signatures whose timestamp is more than this many seconds from now (replay
   * protection). Env: ANYMAIL_MAILGUN_WEBHOOK_MAX_SIGNATURE_AGE.
   * @default off
   */
  webhookMaxSignatureAge?: number;
  /**
   * Refuse a token this process has already accepted (replay protection). Mailgun resends a
   * refused call with the same token, so only enable this where listeners do not fail.
   * @default false
   */
  webhookRejectReplayedTokens?: boolean;
}

export const WEBHOOK_SETTINGS = {
  webhookSigningKey: setting.string({ secret: true }),
  apiKey: setting.string({ espKey: true, secret: true }),
  webhookMaxSignatureAge: setting.number(),
  webhookRejectReplayedTokens: setting.boolean(),
} as const satisfies SettingSpecs;

/** How long a token is remembered when no maximum age is set (Mailgun: tokens are 50 random chars). */
const DEFAULT_TOKEN_MEMORY_SECONDS = 24 * 60 * 60;
/** Upper bound of remembered tokens per router, oldest forgotten first. */
const MAX_REMEMBERED_TOKENS = 100_000;

interface SignatureFields {
  timestamp: string;
  token: string;
  signature: string;
}

/** True when a signing key (or the apiKey fallback) is configured. */
export function signingKeyOf(settings: Record<string, unknown>): string | undefined {
  for (const value of [settings.webhookSigningKey, settings.apiKey]) {
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

function fail(context: WebhookContext, why: string): AnymailWebhookValidationFailure {
  return new AnymailWebhookValidationFailure(`${context.espName} webhook called ${why}`, {
    espName: context.espName,
  });
}

/** The signature block of a JSON webhook, or the *last* form values (user-variables come first). */
function signatureFields(request: WebhookRequest): Partial<SignatureFields> {
  if (request.json !== undefined) {
    const block = (request.json as { signature?: unknown } | null)?.signature;
    if (typeof block !== "object" || block === null) return {};
    const { timestamp, token, signature } = block as Record<string, unknown>;
    const text = (v: unknown): string | undefined =>
      typeof v === "string" || typeof v === "number" ? String(v) : undefined;
    return { timestamp: text(timestamp), token: text(token), signature: text(signature) };
  }
  const last = (name: string): string | undefined => request.form?.[name]?.at(-1);
  return { timestamp: last("timestamp"), token: last("token"), signature: last("signature") };
}

const seenTokens = new WeakMap<object, Map<string, number>>();

/**
 * Checks a Mailgun webhook's signature (and, when configured, its age and novelty).
 * Throws AnymailWebhookValidationFailure, or AnymailConfigurationError when no key is set.
 */
export function verifyMailgunSignature(
  request: WebhookRequest,
  context: WebhookContext,
  now: number = Date.now(),
): void {
  const key = signingKeyOf(context.settings);
  if (key === undefined) {
    throw new AnymailConfigurationError(
      `${context.espName}: webhooks need the webhookSigningKey option ` +
        `(ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY), or apiKey, to check Mailgun's signatures.`,
      { espName: context.espName },
    );
  }
  const { timestamp, token, signature } = signatureFields(request);
  if (!timestamp || !token || !signature) throw fail(context, "without required security fields");

  const expected = createHmac("sha256", key)
    .update(timestamp + token)
    .digest("hex");
  if (!constantTimeEqual(signature, expected)) throw fail(context, "with incorrect signature");

  const maxAge = Number(context.settings.webhookMaxSignatureAge ?? 0);
  if (maxAge > 0) {
    const age = now / 1000 - Number(timestamp);
    if (!Number.isFinite(age) || Math.abs(age) > maxAge) {
      throw fail(
        context,
        `with a stale signature (timestamp ${timestamp} is not within ${maxAge}s)`,
      );
    }
  }
  const rejectReplays = context.settings.webhookRejectReplayedTokens;
  if (rejectReplays === true || rejectReplays === "true") {
    // a timestamp may be up to maxAge ahead as well as behind: remember for both spans
    rememberToken(context, token, now, maxAge > 0 ? 2 * maxAge : DEFAULT_TOKEN_MEMORY_SECONDS);
  }
}

function rememberToken(context: WebhookContext, token: string, now: number, seconds: number): void {
  let seen = seenTokens.get(context.settings);
  if (!seen) seenTokens.set(context.settings, (seen = new Map()));
  for (const [old, expires] of seen) {
    if (expires > now && seen.size < MAX_REMEMBERED_TOKENS) break;
    seen.delete(old);
  }
  const expires = seen.get(token);
  if (expires !== undefined && expires > now) throw fail(context, "with a token already used");
  seen.set(token, now + seconds * 1000);
}
