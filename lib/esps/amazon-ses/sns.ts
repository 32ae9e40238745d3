/**
 * @module
 * Amazon SNS, the carrier of every SES webhook: the HTTP message envelope and the string
 * its signature covers (the signature check itself is `signature.ts`).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
 */
import { AnymailWebhookValidationFailure } from "../../errors.js";
import { badPayload, webhookHeader } from "../../util/payload.js";
import { isRecord } from "../../util/records.js";
import { utf8Text } from "../../util/text.js";
import type { WebhookContext, WebhookRequest } from "../types.js";

/** The three SNS message types Anymail handles. */
export type SnsMessageType =
  "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";

/**
 * An SNS HTTP(S) message body. TopicArn and Timestamp are always there in what SNS sends;
 * they are optional here because an unsigned message (signatures off, #17 item 9) may lack them.
 */
export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn?: string;
  Message: string;
  Timestamp?: string;
  SignatureVersion?: string;
  Signature?: string;
  SigningCertURL?: string;
  Subject?: string | null;
  Token?: string;
  SubscribeURL?: string;
  UnsubscribeURL?: string;
}

const MESSAGE_TYPES: readonly string[] = [
  "Notification",
  "SubscriptionConfirmation",
  "UnsubscribeConfirmation",
];

// The fields signed, in order (AWS's documented string to sign).
const SIGNED_FIELDS: Record<SnsMessageType, readonly (keyof SnsMessage)[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
  UnsubscribeConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
};

/**
 * The SNS message of a request, checked against the `x-amz-sns-message-type` and
 * `x-amz-sns-message-id` headers (SNS sends both; a random post has neither). `signed`:
 * the fields a signature covers must be there (TopicArn, Timestamp); without signature
 * checks only Message is needed.
 */
export function parseSnsMessage(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
  { signed }: { signed: boolean },
): SnsMessage {
  let body: unknown;
  try {
    body = JSON.parse(utf8Text(request.rawBody));
  } catch {
    throw badPayload(context, "SNS", "the message body is not JSON");
  }
  if (!isRecord(body)) throw badPayload(context, "SNS", "the message body is not a JSON object");
  const headerType = webhookHeader(request, "x-amz-sns-message-type");
  if (headerType !== body.Type) {
    throw new AnymailWebhookValidationFailure(
      `${context.espName} webhook: SNS header "x-amz-sns-message-type: ${headerType ?? "<missing>"}" ` +
        `doesn't match body "Type": "${String(body.Type ?? "<missing>")}"`,
      { espName: context.espName },
    );
  }
  if (!MESSAGE_TYPES.includes(String(body.Type))) {
    throw badPayload(context, "SNS", `unknown SNS message type "${String(body.Type)}"`);
  }
  const headerId = webhookHeader(request, "x-amz-sns-message-id");
  if (headerId !== body.MessageId) {
    throw new AnymailWebhookValidationFailure(
      `${context.espName} webhook: SNS header "x-amz-sns-message-id: ${headerId ?? "<missing>"}" ` +
        `doesn't match body "MessageId": "${String(body.MessageId ?? "<missing>")}"`,
      { espName: context.espName },
    );
  }
  const required = signed
    ? (["TopicArn", "Message", "Timestamp"] as const)
    : (["Message"] as const);
  for (const field of required) {
    if (typeof body[field] !== "string") {
      throw badPayload(context, "SNS", `the SNS message has no "${field}"`);
    }
  }
  for (const field of ["TopicArn", "Timestamp"] as const) {
    if (body[field] !== undefined && typeof body[field] !== "string") {
      throw badPayload(context, "SNS", `the SNS message's "${field}" is not a string`);
    }
  }
  return body as unknown as SnsMessage;
}

/** AWS's string to sign: `Name\nvalue\n` for each signed field present, in order. */
export function stringToSign(message: SnsMessage): string {
  let text = "";
  for (const field of SIGNED_FIELDS[message.Type]) {
    const value = message[field];
    if (value === undefined || value === null) continue;
    text += `${field}\n${String(value)}\n`;
  }
  return text;
}
