/**
 * @module
 * Mailgun's webhook signature: `hex(HMAC-SHA256(signingKey, timestamp + token))`, sent in a
 * `signature` block (JSON webhooks) or as `timestamp`/`token`/`signature` form fields (legacy
 * webhooks and inbound routes) (Mailgun "Securing webhooks" docs). Plus optional replay
 * protection: a maximum signature age, and a store of signatures already accepted.
 */
import { createHmac } from "node:crypto";
import { AnymailConfigurationError } from "../../errors.js";
import { constantTimeEqual } from "../../util/crypto.js";
import { validationFailure } from "../../util/payload.js";
import { isRecord } from "../../util/records.js";
import { MemoryReplayStore, type ReplayStore } from "../../util/replay-store.js";
import type { WebhookContext, WebhookRequest, WebhookSignature } from "../types.js";
import type { WebhookSettings } from "./index.js";

/** How long a signature is remembered when no maximum age is set. */
const DEFAULT_MEMORY_SECONDS = 24 * 60 * 60;

interface SignatureFields {
  timestamp: string;
  token: string;
  signature: string;
}

type Context = WebhookContext<WebhookSettings>;

/** The signing key: webhookSigningKey, else the apiKey (the spec's fallback). */
function signingKeyOf(settings: WebhookSettings): string | undefined {
  return settings.webhookSigningKey || settings.apiKey || undefined;
}

const fail = (context: Context, why: string) => validationFailure(context, `called ${why}`);

/** The signature block of a JSON webhook, or the *last* form values (user-variables come first). */
function signatureFields(request: WebhookRequest): Partial<SignatureFields> {
  const text = (v: unknown): string | undefined =>
    typeof v === "string" || typeof v === "number" ? String(v) : undefined;
  if (request.json !== undefined) {
    const block = isRecord(request.json) ? request.json.signature : undefined;
    if (!isRecord(block)) return {};
    return {
      timestamp: text(block.timestamp),
      token: text(block.token),
      signature: text(block.signature),
    };
  }
  const last = (name: string): string | undefined => request.form?.[name]?.at(-1);
  return { timestamp: last("timestamp"), token: last("token"), signature: last("signature") };
}

/** The default store: one per router (its settings object), in this process only. */
const defaultStores = new WeakMap<object, MemoryReplayStore>();

function replayStoreOf(settings: WebhookSettings): ReplayStore {
  if (settings.replayStore) return settings.replayStore;
  let store = defaultStores.get(settings);
  if (!store) defaultStores.set(settings, (store = new MemoryReplayStore()));
  return store;
}

/**
 * Checks a Mailgun webhook's signature (and, when configured, its age and novelty). Always
 * on: without a signing key it answers with a configuration error.
 */
export const signature: WebhookSignature<WebhookSettings> = {
  enabled: () => true,
  async verify(request, context) {
    const key = signingKeyOf(context.settings);
    if (key === undefined) {
      throw new AnymailConfigurationError(
        `${context.espName}: webhooks need the webhookSigningKey option ` +
          `(ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY), or apiKey, to check Mailgun's signatures.`,
        { espName: context.espName },
      );
    }
    const { timestamp, token, signature: given } = signatureFields(request);
    if (!timestamp || !token || !given) throw fail(context, "without required security fields");

    const expected = createHmac("sha256", key)
      .update(timestamp + token)
      .digest("hex");
    if (!constantTimeEqual(given, expected)) throw fail(context, "with incorrect signature");

    // The signed string has no separator: digits moved from the token onto the timestamp
    // keep the HMAC valid. Mailgun's timestamps are whole seconds, so anything else is refused.
    if (!/^\d{1,12}$/.test(timestamp)) {
      throw fail(
        context,
        `with an unusable timestamp ("${timestamp.slice(0, 20)}" is not whole seconds since ` +
          `1970), so a stale signature cannot be ruled out`,
      );
    }
    const maxAge = context.settings.webhookMaxSignatureAge ?? 0;
    if (maxAge > 0) {
      const age = Date.now() / 1000 - Number(timestamp);
      if (Math.abs(age) > maxAge) {
        throw fail(
          context,
          `with a stale signature (timestamp ${timestamp} is not within ${maxAge}s)`,
        );
      }
    }
    if (context.settings.webhookRejectReplayedTokens === true) {
      // keyed by the signature, which is the same however timestamp and token were split;
      // a timestamp may be up to maxAge ahead as well as behind: remember for both spans
      const ttl = maxAge > 0 ? 2 * maxAge : DEFAULT_MEMORY_SECONDS;
      const fresh = await replayStoreOf(context.settings).add(`mailgun:${expected}`, ttl);
      if (!fresh) throw fail(context, "with a token already used");
    }
  },
};
