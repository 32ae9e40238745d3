/**
 * @module
 * Amazon SES tracking over SNS: SES Notifications and SES Event Publishing (nearly the same
 * JSON) → AnymailTrackingEvent, one per recipient.
 * @see https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 * @see https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
 */
import {
  AnymailTrackingEvent,
  type AnymailTrackingEventInit,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";
import { decodeMimeWords } from "../../util/mime-words.js";
import { badPayload, parseDate } from "../../util/payload.js";
import { isRecord, lookup } from "../../util/records.js";
import type { WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { METADATA_HEADER, TAG_HEADER } from "./mime.js";
import { hasTopicAllowList, signature } from "./signature.js";
import { parseSnsMessage, type SnsMessage } from "./sns.js";
import { confirmSubscription } from "./subscription.js";

/** SES `eventType` (Event Publishing) or `notificationType` (Notifications). */
export const EVENT_TYPES = {
  Send: "sent",
  Reject: "rejected",
  Bounce: "bounced",
  Complaint: "complained",
  Delivery: "delivered",
  Open: "opened",
  Click: "clicked",
  "Rendering Failure": "failed",
  DeliveryDelay: "deferred",
  // Subscription is "subscribed" or "unsubscribed" by its new preferences (subscriptionEventType)
} as const satisfies Record<string, TrackingEventType>;

export const REJECT_REASONS = {
  Reject: "blocked",
  Bounce: "bounced",
  Complaint: "spam",
} as const satisfies Record<string, RejectReason>;

// SES sends this as a plain-text Notification right after a topic is set up for publishing.
const TOPIC_VALIDATED = "Successfully validated SNS topic for Amazon SES event publishing.";

/** The SES JSON inside an SNS Notification (the fields Anymail reads). */
export interface SesEvent {
  eventType?: string;
  notificationType?: string;
  mail?: {
    messageId?: string;
    destination?: string[];
    headers?: { name: string; value: string }[];
    tags?: Record<string, string[]>;
  };
  bounce?: {
    bounceType?: string;
    bounceSubType?: string;
    bouncedRecipients?: { emailAddress: string; diagnosticCode?: string }[];
  };
  complaint?: {
    complainedRecipients?: { emailAddress: string }[];
    complaintFeedbackType?: string;
    userAgent?: string;
  };
  delivery?: { recipients?: string[]; smtpResponse?: string };
  deliveryDelay?: {
    delayType?: string;
    delayedRecipients?: { emailAddress: string; diagnosticCode?: string }[];
  };
  reject?: { reason?: string };
  open?: { userAgent?: string };
  click?: { userAgent?: string; link?: string };
  failure?: { errorMessage?: string; templateName?: string };
  subscription?: {
    source?: string;
    newTopicPreferences?: {
      unsubscribeAll?: boolean;
      topicSubscriptionStatus?: { topicName?: string; subscriptionStatus?: string }[];
    };
  };
}

/** Per-recipient fields; the rest are shared by every event of one notification. */
type RecipientFields = Pick<AnymailTrackingEventInit, "recipient" | "mtaResponse">;

type SesContext = WebhookContext<WebhookSettings>;

/** The SES JSON of a Notification, or null for SES's topic-validated notice. */
export function parseSesMessage(sns: SnsMessage, context: SesContext): SesEvent | null {
  if (sns.Message === TOPIC_VALIDATED) return null;
  try {
    const parsed: unknown = JSON.parse(sns.Message);
    if (isRecord(parsed)) return parsed as SesEvent;
  } catch {
    // reported below
  }
  throw badPayload(context, "SNS", "the SNS Message is not SES JSON");
}

/**
 * True when nothing ties this call to *your* AWS account: no webhook secret came with it
 * and no SNS topic allow-list is set. Any AWS account can send a validly signed SNS
 * message, so such a call may be forged (#18 item 3).
 */
export function unprotected(request: WebhookRequest, context: SesContext): boolean {
  return !request.basicAuthPassed && !hasTopicAllowList(context.settings);
}

/** Logs, for every notification accepted unprotected, what anyone could have sent. */
export function warnUnprotected(sns: SnsMessage, context: SesContext): void {
  context.logger.warn(
    `anymail: ${context.espName} webhook accepted an SNS notification from topic ` +
      `${sns.TopicArn ?? "<missing>"} with neither a webhookSecret nor snsTopicArns: any AWS ` +
      `account can send signed SNS messages to this URL. Set snsTopicArns to your topics ` +
      `(or use a webhookSecret in the SNS subscription URL).`,
  );
}

/**
 * What both SES routes do with an SNS call first: confirm a subscription, acknowledge the
 * other control messages and SES's topic-validated notice (null: no event), or return the
 * SNS envelope with the SES JSON it carries.
 */
export async function receiveSesNotification(
  request: WebhookRequest,
  context: SesContext,
): Promise<{ sns: SnsMessage; ses: SesEvent } | null> {
  const sns = parseSnsMessage(request, context, { signed: context.settings.verifySnsSignatures });
  if (sns.Type === "SubscriptionConfirmation") {
    await confirmSubscription(sns, request, context);
    return null;
  }
  if (sns.Type !== "Notification") return null; // UnsubscribeConfirmation: acknowledged
  const ses = parseSesMessage(sns, context);
  return ses ? { sns, ses } : null;
}

/** One SES tracking notification → its events (one per recipient). */
export function toTrackingEvents(
  ses: SesEvent,
  sns: SnsMessage,
  context: Pick<SesContext, "espName">,
): AnymailTrackingEvent[] {
  const sesType = ses.eventType ?? ses.notificationType ?? "<missing>";
  if (sesType === "Received") {
    throw badPayload(
      context,
      "tracking",
      "you seem to have set an SES *inbound* receipt rule to publish to an SNS topic that " +
        `posts to Anymail's *tracking* webhook URL (SNS TopicArn ${sns.TopicArn ?? "<missing>"}). ` +
        "Use a separate topic subscribed to the inbound URL.",
    );
  }
  const mail = ses.mail ?? {};
  const { metadata, tags } = readCustomHeaders(mail.headers ?? []);
  const common: AnymailTrackingEventInit = {
    eventType: lookup(EVENT_TYPES, sesType) ?? "unknown",
    rejectReason: lookup(REJECT_REASONS, sesType) ?? null,
    // each SNS notification has its own id (spec: duplicates have different event_ids)
    eventId: sns.MessageId,
    messageId: mail.messageId ?? null,
    // absent only from unsigned messages (verifySnsSignatures off)
    timestamp: parseDate(sns.Timestamp),
    metadata,
    tags,
    espEvent: ses,
  };
  // opens and clicks are not per recipient: every original recipient gets one (spec)
  let recipients: RecipientFields[] = (mail.destination ?? []).map((recipient) => ({ recipient }));

  switch (sesType) {
    case "Bounce": {
      const bounce = ses.bounce ?? {};
      common.description = `${bounce.bounceType ?? ""}: ${bounce.bounceSubType ?? ""}`;
      recipients = (bounce.bouncedRecipients ?? []).map((r) => ({
        recipient: r.emailAddress,
        mtaResponse: r.diagnosticCode ?? null,
      }));
      break;
    }
    case "Complaint": {
      const complaint = ses.complaint ?? {};
      common.description = complaint.complaintFeedbackType ?? null;
      common.userAgent = complaint.userAgent ?? null;
      recipients = (complaint.complainedRecipients ?? []).map((r) => ({
        recipient: r.emailAddress,
      }));
      break;
    }
    case "Delivery":
      common.mtaResponse = ses.delivery?.smtpResponse ?? null;
      recipients = (ses.delivery?.recipients ?? []).map((recipient) => ({ recipient }));
      break;
    case "DeliveryDelay":
      common.description = ses.deliveryDelay?.delayType ?? null;
      recipients = (ses.deliveryDelay?.delayedRecipients ?? []).map((r) => ({
        recipient: r.emailAddress,
        mtaResponse: r.diagnosticCode ?? null,
      }));
      break;
    case "Reject":
      common.description = ses.reject?.reason ?? null;
      break;
    case "Open":
      common.userAgent = ses.open?.userAgent ?? null;
      break;
    case "Click":
      common.userAgent = ses.click?.userAgent ?? null;
      common.clickUrl = ses.click?.link ?? null;
      break;
    case "Rendering Failure":
      common.description = ses.failure?.errorMessage ?? null;
      break;
    case "Subscription":
      common.eventType = subscriptionEventType(ses.subscription);
      common.description = ses.subscription?.source ?? null;
      break;
    case "Send":
      break;
    default:
      common.description = `Unknown SES eventType "${sesType}"`;
  }
  return recipients.map((fields) => new AnymailTrackingEvent({ ...common, ...fields }));
}

/** Opted out of everything or of any topic → unsubscribed; else subscribed. */
function subscriptionEventType(subscription: SesEvent["subscription"]): TrackingEventType {
  const preferences = subscription?.newTopicPreferences;
  if (!preferences) return "unknown";
  if (preferences.unsubscribeAll) return "unsubscribed";
  const optedOut = (preferences.topicSubscriptionStatus ?? []).some(
    (topic) => topic.subscriptionStatus === "OptOut",
  );
  return optedOut ? "unsubscribed" : "subscribed";
}

/** metadata and tags back from the X-Metadata / X-Tag headers sent with the message. */
function readCustomHeaders(headers: readonly { name: string; value: string }[]): {
  metadata: Record<string, unknown>;
  tags: string[];
} {
  let metadata: Record<string, unknown> = {};
  const tags: string[] = [];
  for (const { name, value } of headers) {
    const lower = String(name).toLowerCase();
    if (lower === TAG_HEADER.toLowerCase()) tags.push(decodeMimeWords(String(value)));
    else if (lower === METADATA_HEADER.toLowerCase()) {
      try {
        const parsed: unknown = JSON.parse(decodeMimeWords(String(value)));
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
          metadata = parsed as Record<string, unknown>;
        }
      } catch {
        // not Anymail's header (someone else's X-Metadata): no metadata
      }
    }
  }
  return { metadata, tags };
}

/** `/amazon_ses/tracking/` */
export const tracking: WebhookHandler<WebhookSettings> = {
  // the SNS message is JSON sent as text/plain: the handler parses the raw bytes itself
  body: "raw",
  signature,
  async handle(request, context) {
    const received = await receiveSesNotification(request, context);
    if (!received) return [];
    const events = toTrackingEvents(received.ses, received.sns, context);
    if (unprotected(request, context)) warnUnprotected(received.sns, context);
    return events;
  },
};
