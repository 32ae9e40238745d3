/**
 * @module
 * Amazon SES inbound over SNS: the SNS receipt action (content in the notification, Base64
 * or UTF-8) and the S3 receipt action (content fetched from the bucket, never deleted).
 * @see https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html
 */
import { AnymailError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import { badPayload, parseDate } from "../../util/payload.js";
import type { WebhookContext, WebhookHandler } from "../types.js";
import { clientConfig, loadSdk, toApiError, withAnymailUserAgent } from "./aws.js";
import type { WebhookSettings } from "./index.js";
import { signature } from "./signature.js";
import type { SnsMessage } from "./sns.js";
import { receiveSesNotification, unprotected, warnUnprotected } from "./tracking.js";

/** The SES receiving JSON (the fields Anymail reads). */
export interface SesReceivedEvent {
  notificationType?: string;
  eventType?: string;
  content?: string;
  mail?: { messageId?: string; source?: string; timestamp?: string };
  receipt?: {
    recipients?: string[];
    spamVerdict?: { status?: string };
    virusVerdict?: { status?: string };
    action?: {
      type?: string;
      encoding?: string;
      bucketName?: string;
      objectKey?: string;
    };
  };
}

// S3 object metadata that SES's "Encrypt message" option (S3 client-side encryption) sets
const ENCRYPTION_METADATA = ["x-amz-key", "x-amz-key-v2", "x-amz-cek-alg"];

type SesContext = WebhookContext<WebhookSettings>;
type S3Module = typeof import("@aws-sdk/client-s3");

/** One SES receiving notification → one inbound event. */
export async function toInboundEvent(
  ses: SesReceivedEvent,
  sns: SnsMessage,
  context: SesContext,
): Promise<AnymailInboundEvent> {
  const sesType = ses.notificationType ?? ses.eventType;
  if (sesType !== "Received") {
    throw badPayload(
      context,
      "inbound",
      "you seem to have set an SES *sending* event or notification to publish to an SNS " +
        `topic that posts to Anymail's *inbound* webhook URL (SNS TopicArn ` +
        `${sns.TopicArn ?? "<missing>"}). Use a separate topic subscribed to the tracking URL.`,
    );
  }
  const receipt = ses.receipt ?? {};
  const mail = ses.mail ?? {};
  const message = await AnymailInboundMessage.fromRaw(await messageContent(ses, sns, context));
  message.envelopeSender = mail.source ?? null;
  message.envelopeRecipient = receipt.recipients?.[0] ?? null;
  message.spamDetected = spamDetected(receipt);
  return new AnymailInboundEvent({
    // SES's message id, which is also the S3 object key without the rule's prefix (spec)
    eventId: mail.messageId ?? null,
    timestamp: parseDate(mail.timestamp),
    message,
    espEvent: ses,
  });
}

/** FAIL of the spam or virus verdict → true; PASS → false; anything else unknown. */
function spamDetected(receipt: NonNullable<SesReceivedEvent["receipt"]>): boolean | null {
  const spam = String(receipt.spamVerdict?.status ?? "").toUpperCase();
  const virus = String(receipt.virusVerdict?.status ?? "").toUpperCase();
  if (spam === "FAIL" || virus === "FAIL") return true;
  if (spam === "PASS") return false;
  return null;
}

async function messageContent(
  ses: SesReceivedEvent,
  sns: SnsMessage,
  context: SesContext,
): Promise<Buffer | string> {
  const action = ses.receipt?.action ?? {};
  if (action.type === "SNS") {
    if (typeof ses.content !== "string") {
      throw badPayload(context, "inbound", "the SNS receipt notification has no content");
    }
    return action.encoding === "BASE64" ? Buffer.from(ses.content, "base64") : ses.content;
  }
  if (action.type === "S3") return downloadFromS3(action, context);
  throw badPayload(
    context,
    "inbound",
    `Anymail's inbound webhook works only with the "SNS" and "S3" receipt rule actions, ` +
      `not "${String(action.type)}" (SNS TopicArn ${sns.TopicArn ?? "<missing>"}).`,
  );
}

/** GetObject, into memory; the object is left in place (spec: Anymail never deletes it). */
async function downloadFromS3(
  action: NonNullable<NonNullable<SesReceivedEvent["receipt"]>["action"]>,
  context: SesContext,
): Promise<Buffer> {
  const { settings, espName } = context;
  const { bucketName, objectKey } = action;
  if (typeof bucketName !== "string" || typeof objectKey !== "string") {
    throw badPayload(context, "inbound", "the S3 receipt notification has no bucket or key");
  }
  const { S3Client, GetObjectCommand } = (await loadSdk("s3", settings)) as S3Module;
  const client = withAnymailUserAgent(new S3Client(clientConfig(settings)));
  try {
    const output = await client.send(new GetObjectCommand({ Bucket: bucketName, Key: objectKey }));
    const metadata = Object.keys(output.Metadata ?? {}).map((key) => key.toLowerCase());
    if (ENCRYPTION_METADATA.some((key) => metadata.includes(key))) {
      throw badPayload(
        context,
        "inbound",
        `S3 object ${bucketName}/${objectKey} was stored with SES's "Encrypt message" ` +
          "option, which Anymail does not support. Turn it off in the receipt rule.",
      );
    }
    if (!output.Body) throw new Error("empty body");
    return Buffer.from(await output.Body.transformToByteArray());
  } catch (error) {
    if (error instanceof AnymailError) throw error;
    throw toApiError(error, `S3 GetObject of ${bucketName}/${objectKey}`, espName);
  } finally {
    client.destroy();
  }
}

/** `/amazon_ses/inbound/` */
export const inbound: WebhookHandler<WebhookSettings> = {
  // the SNS message is JSON sent as text/plain: the handler parses the raw bytes itself
  body: "raw",
  signature,
  async handle(request, context) {
    const received = await receiveSesNotification(request, context);
    if (!received) return [];
    const ses = received.ses as SesReceivedEvent;
    if (unprotected(request, context)) {
      // reading S3 with our credentials on a stranger's word is what #18 item 3 forbids
      if (ses.receipt?.action?.type === "S3") {
        throw badPayload(
          context,
          "inbound",
          "refused an S3-action notification: without a webhookSecret or snsTopicArns, any " +
            "AWS account could make Anymail read an S3 object of its choosing with your " +
            `credentials. Set snsTopicArns to your inbound topic (here ${received.sns.TopicArn ?? "<missing>"}), ` +
            "or use a webhookSecret in the SNS subscription URL.",
        );
      }
      warnUnprotected(received.sns, context);
    }
    return [await toInboundEvent(ses, received.sns, context)];
  },
};
