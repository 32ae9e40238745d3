/**
 * @module
 * MailerSend's activity webhook (one JSON event per call, HMAC-signed) →
 * AnymailTrackingEvent. The activity's `type` says what happened; its `morph` record adds
 * the details (bounce reason, clicked URL).
 */
import { AnymailConfigurationError } from "../../errors.js";
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import { jsonObjectBody, parseDate, stringOrNull, stringsOf } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import type { WebhookHandler } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { signatureFor } from "./signature.js";

/** MailerSend activity `data.type` → normalized type. */
export const EVENT_TYPES = {
  sent: "sent",
  delivered: "delivered",
  soft_bounced: "bounced", // MailerSend gave up after temporary failures (django-anymail 15.1)
  hard_bounced: "bounced",
  opened: "opened",
  opened_unique: "opened", // the first open only
  clicked: "clicked",
  clicked_unique: "clicked",
  unsubscribed: "unsubscribed",
  spam_complaint: "complained",
} as const satisfies Record<string, TrackingEventType>;

/** MailerSend `morph.object` → reject reason (the email's `status` is mostly just "rejected"). */
export const MORPH_REJECT_REASONS = {
  recipient_bounce: "bounced",
  spam_complaint: "spam",
  recipient_unsubscribe: "unsubscribed",
} as const satisfies Record<string, RejectReason>;

const record = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

/** One MailerSend activity event → one normalized event. */
export function toTrackingEvent(event: Record<string, unknown>): AnymailTrackingEvent {
  const activity = record(event.data);
  const email = record(activity.email);
  const morph = isRecord(activity.morph) ? activity.morph : null;
  const tags = stringsOf(email.tags);
  return new AnymailTrackingEvent({
    eventType: lookup(EVENT_TYPES, activity.type) ?? "unknown",
    timestamp: parseDate(activity.created_at),
    eventId: stringOrNull(activity.id),
    recipient: stringOrNull(record(email.recipient).email),
    messageId: stringOrNull(record(email.message).id),
    tags,
    rejectReason: morph ? (lookup(MORPH_REJECT_REASONS, morph.object) ?? null) : null,
    description: morph ? stringOrNull(morph.readable_reason) || stringOrNull(morph.reason) : null,
    clickUrl: morph ? stringOrNull(morph.url) : null,
    userAgent: morph ? stringOrNull(morph.user_agent) : null,
    espEvent: event,
  });
}

/** `/mailersend/tracking/` */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  signature: signatureFor("signingSecret"),
  handle(request, context) {
    const event = jsonObjectBody(request, context, "tracking");
    if (event.type === "inbound.message") {
      throw new AnymailConfigurationError(
        "You seem to have set MailerSend's *inbound* route endpoint to Anymail's MailerSend " +
          "*tracking* webhook URL. Use the /mailersend/inbound/ URL for inbound routes.",
        { espName: context.espName },
      );
    }
    return [toTrackingEvent(event)];
  },
};
