/**
 * @module
 * Amazon SES inbound over SNS: the SNS receipt action (content in the notification, Base64
 * or UTF-8) and the S3 receipt action (content fetched from the bucket, never deleted).
 * @see https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html
 */
import { AnymailError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import type { WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import { clientConfig, loadSdk, toApiError } from "./aws.js";
import { verifySnsRequest, type AmazonSesWebhookOptions, type SnsMessage } from "./sns.js";
import { receiveSesNotification } from "./tracking.js";

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

/** One SES receiving notification → one inbound event. */
export async function toInboundEvent(
  ses: SesReceivedEvent,
  sns: SnsMessage,
  settings: AmazonSesWebhookOptions,
): Promise<AnymailInboundEvent> {
  const sesType = ses.notificationType ?? ses.eventType;
  if (sesType !== "Received") {
    throw new AnymailError(
      "Amazon SES webhook: you seem to have set an SES *sending* event or notification to " +
        `publish to an SNS topic that posts to Anymail's *inbound* webhook URL (SNS TopicArn ` +
        `${sns.TopicArn}). Use a separate topic subscribed to the tracking URL.`,
      { espName: "Amazon SES" },
    );
  }
  const receipt = ses.receipt ?? {};
  const mail = ses.mail ?? {};
  const message = await AnymailInboundMessage.fromRaw(await messageContent(ses, sns, settings));
  message.envelopeSender = mail.source ?? null;
  message.envelopeRecipient = receipt.recipients?.[0] ?? null;
  message.spamDetected = spamDetected(receipt);
  const timestamp = mail.timestamp ? new Date(mail.timestamp) : null;
  return new AnymailInboundEvent({
    // SES's message id, which is also the S3 object key without the rule's prefix (spec)
    eventId: mail.messageId ?? null,
    timestamp: timestamp && !Number.isNaN(timestamp.getTime()) ? timestamp : null,
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
  settings: AmazonSesWebhookOptions,
): Promise<Buffer | string> {
  const action = ses.receipt?.action ?? {};
  if (action.type === "SNS") {
    if (typeof ses.content !== "string") {
      throw new AnymailError("Amazon SES webhook: the SNS receipt notification has no content", {
        espName: "Amazon SES",
      });
    }
    return action.encoding === "BASE64" ? Buffer.from(ses.content, "base64") : ses.content;
  }
  if (action.type === "S3") return downloadFromS3(action, settings);
  throw new AnymailError(
    `Amazon SES webhook: Anymail's inbound webhook works only with the "SNS" and "S3" receipt ` +
      `rule actions, not "${String(action.type)}" (SNS TopicArn ${sns.TopicArn}).`,
    { espName: "Amazon SES" },
  );
}

/** GetObject, into memory; the object is left in place (spec: Anymail never deletes it). */
async function downloadFromS3(
  action: NonNullable<NonNullable<SesReceivedEvent["receipt"]>["action"]>,
  settings: AmazonSesWebhookOptions,
): Promise<Buffer> {
  const { bucketName, objectKey } = action;
  if (typeof bucketName !== "string" || typeof objectKey !== "string") {
    throw new AnymailError("Amazon SES webhook: the S3 receipt notification has no bucket or key", {
      espName: "Amazon SES",
    });
  }
  const { S3Client, GetObjectCommand } = await loadSdk<typeof import("@aws-sdk/client-s3")>(
    "s3",
    settings,
  );
  const client = new S3Client(clientConfig(settings));
  try {
    const output = await client.send(new GetObjectCommand({ Bucket: bucketName, Key: objectKey }));
    const metadata = Object.keys(output.Metadata ?? {}).map((key) => key.toLowerCase());
    if (ENCRYPTION_METADATA.some((key) => metadata.includes(key))) {
      throw new AnymailError(
        `Amazon SES webhook: S3 object ${bucketName}/${objectKey} was stored with SES's ` +
          `"Encrypt message" option, which Anymail does not support. Turn it off in the receipt rule.`,
        { espName: "Amazon SES" },
      );
    }
    if (!output.Body) throw new Error("empty body");
    return Buffer.from(await output.Body.transformToByteArray());
  } catch (error) {
    if (error instanceof AnymailError) throw error;
    throw toApiError(error, `S3 GetObject of ${bucketName}/${objectKey}`);
  } finally {
    client.destroy();
  }
}

/** `/amazon_ses/inbound/` */
export const inboundHandler: WebhookHandler = {
  signature: {
    enabled: () => true,
    // a signature proves only that some AWS account sent it (see #18); off, nothing does
    provesSender: (settings) => settings.verifySnsSignatures !== false,
    verify: verifySnsRequest,
  },
  async handle(request: WebhookRequest, context: WebhookContext) {
    const received = await receiveSesNotification(request, context);
    if (!received) return [];
    return [
      await toInboundEvent(
        received.ses as SesReceivedEvent,
        received.sns,
        context.settings as AmazonSesWebhookOptions,
      ),
    ];
  },
};
