/**
 * @module
 * SparkPost tracking webhook (`/sparkpost/tracking/`): message, generation, engagement and
 * unsubscribe events → AnymailTrackingEvent, one per SparkPost event.
 * @see https://developers.sparkpost.com/api/webhooks/#header-event-types
 */
import { AnymailConfigurationError } from "../../errors.js";
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import type { WebhookHandler } from "../types.js";
import { stringOrNull } from "../../util/payload.js";
import type { WebhookSettings } from "./index.js";
import { unwrapEvents, type SparkPostUnwrapped } from "./webhook.js";
import { isRecord, lookup } from "../../util/records.js";
import { epochToDate } from "../../util/epoch.js";

/** SparkPost `type` → normalized event type; any other type is "unknown". */
export const EVENT_TYPES = {
  injection: "queued",
  delivery: "delivered",
  bounce: "bounced",
  out_of_band: "bounced",
  policy_rejection: "rejected",
  generation_rejection: "rejected",
  generation_failure: "failed",
  delay: "deferred",
  spam_complaint: "complained",
  open: "opened",
  amp_open: "opened", // spec 8.1: AMP events map like their plain twins
  click: "clicked",
  amp_click: "clicked",
  list_unsubscribe: "unsubscribed",
  link_unsubscribe: "unsubscribed",
} as const satisfies Record<string, TrackingEventType>;

/** Added to EVENT_TYPES only with `trackInitialOpenAsOpened` (spec 8.1). */
export const INITIAL_OPEN_EVENT_TYPES = {
  initial_open: "opened",
  amp_initial_open: "opened",
} as const satisfies Record<string, TrackingEventType>;

interface BounceClass {
  rejectReason: RejectReason;
  /** Set where the class says this was no bounce at all (an auto-reply, a subscribe). */
  eventType?: TrackingEventType;
}

/**
 * SparkPost `bounce_class` → reject reason (and, for a few classes, the event type); an
 * unlisted class is "other". Table as in django-anymail (oracle 9.0).
 * @see https://support.sparkpost.com/docs/deliverability/bounce-classification-codes
 */
export const BOUNCE_CLASSES = {
  "1": { rejectReason: "other" }, // Undetermined
  "10": { rejectReason: "invalid" }, // Invalid Recipient
  "20": { rejectReason: "bounced" }, // Soft Bounce
  "21": { rejectReason: "bounced" }, // DNS Failure
  "22": { rejectReason: "bounced" }, // Mailbox Full
  "23": { rejectReason: "bounced" }, // Too Large
  "24": { rejectReason: "timed_out" }, // Timeout
  "25": { rejectReason: "blocked" }, // Admin Failure (sender's own policy)
  "30": { rejectReason: "bounced" }, // Generic Bounce: No RCPT
  "40": { rejectReason: "bounced" }, // Generic Bounce
  "50": { rejectReason: "blocked" }, // Mail Block
  "51": { rejectReason: "spam" }, // Spam Block
  "52": { rejectReason: "spam" }, // Spam Content
  "53": { rejectReason: "other" }, // Prohibited Attachment
  "54": { rejectReason: "blocked" }, // Relaying Denied
  "60": { rejectReason: "other", eventType: "autoresponded" }, // Auto-Reply
  "70": { rejectReason: "bounced" }, // Transient Failure
  "80": { rejectReason: "other", eventType: "subscribed" }, // Subscribe
  "90": { rejectReason: "unsubscribed", eventType: "unsubscribed" }, // Unsubscribe
  "100": { rejectReason: "other", eventType: "autoresponded" }, // Challenge-Response
} as const satisfies Record<string, BounceClass>;

/** One unwrapped SparkPost event → the normalized event. */
export function toTrackingEvent(
  event: SparkPostUnwrapped,
  trackInitialOpenAsOpened: boolean,
): AnymailTrackingEvent {
  const { data } = event;
  const type = stringOrNull(data["type"]);
  let eventType: TrackingEventType =
    lookup<TrackingEventType>(EVENT_TYPES, type) ??
    (trackInitialOpenAsOpened ? lookup<TrackingEventType>(INITIAL_OPEN_EVENT_TYPES, type) : null) ??
    "unknown";

  let rejectReason: RejectReason | null = null;
  const bounceClass = stringOrNull(data["bounce_class"]);
  if (bounceClass !== null) {
    const known = lookup<BounceClass>(BOUNCE_CLASSES, bounceClass);
    rejectReason = known?.rejectReason ?? "other";
    eventType = known?.eventType ?? eventType;
  }

  const campaign = stringOrNull(data["campaign_id"]);
  const metadata = data.rcpt_meta;
  return new AnymailTrackingEvent({
    eventType,
    timestamp: epochToDate(stringOrNull(data["timestamp"])),
    eventId: stringOrNull(data["event_id"]),
    // raw_rcpt_to keeps the address's case; rcpt_to is lower-cased
    recipient: stringOrNull(data["raw_rcpt_to"]) ?? stringOrNull(data["rcpt_to"]),
    // SparkPost's message_id is assigned after the send call; Anymail's id is the transmission
    messageId: stringOrNull(data["transmission_id"]),
    metadata: isRecord(metadata) ? metadata : {},
    // campaign_id is the one tag sent (rcpt_tags belong to stored recipient lists)
    tags: campaign ? [campaign] : [],
    rejectReason,
    mtaResponse: stringOrNull(data["raw_reason"]),
    userAgent: stringOrNull(data["user_agent"]),
    clickUrl: stringOrNull(data["target_link_url"]),
    espEvent: event.raw,
  });
}

/** `/sparkpost/tracking/` */
export const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  handle(request, context) {
    const { espName } = context;
    return unwrapEvents(request, context, "tracking").map((event) => {
      if (event.eventClass === "relay_message") {
        throw new AnymailConfigurationError(
          `${espName}: an inbound relay message was posted to the tracking webhook URL. ` +
            `Set your SparkPost relay webhook's target to Anymail's /sparkpost/inbound/ URL, ` +
            `and keep /sparkpost/tracking/ for event webhooks.`,
          { espName },
        );
      }
      return toTrackingEvent(event, context.settings.trackInitialOpenAsOpened);
    });
  },
};
