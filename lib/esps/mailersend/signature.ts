/**
 * @module
 * MailerSend signs each webhook call: the `Signature` header is the hex HMAC-SHA256 of the
 * raw body, keyed with the webhook's signing secret (activity webhooks) or the inbound
 * route's secret. Every configured secret is tried (rotation).
 */
import { createHmac } from "node:crypto";
import { constantTimeEqual } from "../../util/crypto.js";
import { validationFailure, webhookHeader } from "../../util/payload.js";
import type { WebhookSignature } from "../types.js";
import type { WebhookSettings } from "./index.js";

/** The signature MailerSend sends for `body`. */
export function mailerSendSignature(secret: string, body: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** The check for one route, keyed by the setting holding that route's secrets. */
export function signatureFor(
  settingName: "signingSecret" | "inboundSecret",
): WebhookSignature<WebhookSettings> {
  return {
    enabled: (settings) => (settings[settingName]?.length ?? 0) > 0,
    verify(request, context) {
      const signature = webhookHeader(request, "signature");
      if (!signature) throw validationFailure(context, "called without a Signature header");
      const secrets = context.settings[settingName] ?? [];
      const valid = secrets.some((secret) =>
        constantTimeEqual(signature.toLowerCase(), mailerSendSignature(secret, request.rawBody)),
      );
      if (!valid) {
        throw validationFailure(
          context,
          `called with incorrect signature (check the ${settingName} setting)`,
        );
      }
    },
  };
}
