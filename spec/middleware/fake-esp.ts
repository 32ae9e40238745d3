/**
 * @module
 * A fake ESP, defined only in the tests, proving an ESP plugs into the router with one
 * object: tracking (JSON batch, HMAC-signed when a signing key is set), inbound (raw MIME),
 * an extra route and a single-URL route.
 */
import { createHmac } from "node:crypto";
import { AnymailConfigurationError, AnymailWebhookValidationFailure } from "../../lib/errors.js";
import { AnymailTrackingEvent, type TrackingEventType } from "../../lib/events/tracking.js";
import { AnymailInboundEvent } from "../../lib/events/inbound.js";
import { AnymailInboundMessage } from "../../lib/events/inbound-message.js";
import type { EspAdapter, WebhookHandler, WebhookRequest } from "../../lib/esps/types.js";
import { constantTimeEqual } from "../../lib/util/crypto.js";

export interface FakeEvent {
  type: TrackingEventType;
  id?: string;
  recipient?: string;
}

/** The signature the fake ESP puts in `X-Fake-Signature`. */
export function fakeSignature(key: string, body: Buffer | string): string {
  return createHmac("sha256", key).update(body).digest("hex");
}

function verifySignature(request: WebhookRequest, settings: Record<string, unknown>): void {
  const key = settings.signingKey;
  if (typeof key !== "string") return;
  const given = request.headers["x-fake-signature"];
  if (typeof given !== "string" || !constantTimeEqual(given, fakeSignature(key, request.rawBody))) {
    throw new AnymailWebhookValidationFailure("Fake webhook called with incorrect signature");
  }
}

const tracking: WebhookHandler = {
  signature: {
    enabled: (settings) => typeof settings.signingKey === "string",
    verify: (request, context) => verifySignature(request, context.settings),
  },
  handle(request) {
    if (request.contentType === "message/rfc822") {
      throw new AnymailConfigurationError(
        "You seem to have set the Fake *inbound* webhook to Anymail's Fake *tracking* URL.",
      );
    }
    if (!Array.isArray(request.json)) {
      throw new AnymailWebhookValidationFailure("Fake tracking webhook expects a JSON array");
    }
    return (request.json as FakeEvent[]).map(
      (event) =>
        new AnymailTrackingEvent({
          eventType: event.type,
          eventId: event.id,
          recipient: event.recipient,
          // a crash on a bad payload must still answer 400, never 500
          description: (event as { crash?: boolean }).crash
            ? (undefined as unknown as string).trim()
            : null,
          espEvent: { event, request },
        }),
    );
  },
};

const inbound: WebhookHandler = {
  async handle(request) {
    const message = await AnymailInboundMessage.fromRaw(request.rawBody);
    return [new AnymailInboundEvent({ message, espEvent: request })];
  },
};

/** Answers form posts with one "unknown" event holding the request (to inspect bodies). */
const echo: WebhookHandler = {
  probeMethods: ["GET"],
  handle: (request) => [new AnymailTrackingEvent({ eventType: "unknown", espEvent: request })],
};

export const fakeEsp = {
  name: "fake",
  displayName: "Fake ESP",
  aliases: ["fake_alias"],
  features: {},
  webhookSettings: {
    signingKey: { secret: true, espKey: true },
  },
  tracking,
  inbound,
  extraRoutes: { echo, "": echo },
} satisfies EspAdapter;

/** An ESP with tracking only, a required webhook setting and a basic-auth challenge. */
export const challengeEsp = {
  name: "challenger",
  displayName: "Challenger",
  features: {},
  basicAuthChallenge: true,
  webhookSettings: { region: { required: true } },
  tracking: echo,
  noInboundMessage: "Challenger does not support inbound mail.",
} satisfies EspAdapter;
