// Amazon SES in the shared webhook kit: SNS notifications (JSON as text/plain), signed by SNS
// with a certificate (a test signer and its certificate here); missing credentials get a 401
// challenge. Any AWS account can produce a valid SNS signature, so without a webhookSecret
// the router warns unless `snsTopicArns` names the account's topics (#18 item 3): the kit
// expects the warning with the plain settings, and none with the allow-list.
import { createSnsSigner } from "../../esps/amazon-ses/sns-signing.js";
import type { WebhookCall, WebhookProfile } from "../../helpers/describe-webhook.js";
import { KIT_MIME } from "../../helpers/describe-webhook.js";

const signer = createSnsSigner();
const impostor = createSnsSigner();
const TRACKING_TOPIC = "arn:aws:sns:us-east-1:123456789012:kit-tracking";
const INBOUND_TOPIC = "arn:aws:sns:us-east-1:123456789012:kit-inbound";

const MAIL = {
  timestamp: "2026-11-20T18:32:04.123Z",
  source: "sender@example.com",
  messageId: "010001812345abcd-kit-000000",
  destination: ["to@example.com"],
  headersTruncated: false,
  headers: [{ name: "From", value: "sender@example.com" }],
  commonHeaders: { from: ["sender@example.com"], to: ["to@example.com"], subject: "Kit" },
};

const DELIVERY = {
  notificationType: "Delivery",
  mail: MAIL,
  delivery: {
    timestamp: "2026-11-20T18:32:05.789Z",
    recipients: ["to@example.com"],
    smtpResponse: "250 2.6.0 Message received",
  },
};

const RECEIVED = {
  notificationType: "Received",
  mail: { ...MAIL, destination: ["inbox@inbound.example.com"] },
  receipt: {
    timestamp: "2026-11-20T18:32:04.000Z",
    recipients: ["inbox@inbound.example.com"],
    spamVerdict: { status: "PASS" },
    virusVerdict: { status: "PASS" },
    action: { type: "SNS", topicArn: INBOUND_TOPIC, encoding: "UTF8" },
  },
  content: KIT_MIME,
};

function notification(message: unknown, topicArn: string): Record<string, unknown> {
  return {
    Type: "Notification",
    MessageId: "c1d3e4f5-0000-5000-8000-00000000kit1",
    TopicArn: topicArn,
    Message: JSON.stringify(message),
    Timestamp: "2026-11-20T18:32:07.321Z",
    UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:kit`,
  };
}

function snsCall(body: Record<string, unknown>): WebhookCall {
  return {
    body: JSON.stringify(body),
    contentType: "text/plain; charset=UTF-8",
    headers: {
      "x-amz-sns-message-type": String(body.Type),
      "x-amz-sns-message-id": String(body.MessageId),
      "x-amz-sns-topic-arn": String(body.TopicArn),
    },
  };
}

function route(message: unknown, topicArn: string) {
  const unsigned = notification(message, topicArn);
  return {
    valid: () => snsCall(signer.sign(unsigned)),
    forged: {
      "an unsigned notification": () => snsCall(unsigned),
      "a notification signed by another certificate's key": () => {
        const signed = impostor.sign(unsigned);
        return snsCall({ ...signed, SigningCertURL: signer.certUrl });
      },
      "a notification changed after signing": () =>
        snsCall({
          ...signer.sign(unsigned),
          Message: JSON.stringify({ ...DELIVERY, mail: { ...MAIL, source: "x@evil.example" } }),
        }),
    },
  };
}

export const webhook: WebhookProfile = {
  esp: "amazon_ses",
  settings: { fetchSnsCertificate: signer.fetchSnsCertificate },
  unsignedSettings: { fetchSnsCertificate: signer.fetchSnsCertificate, verifySnsSignatures: false },
  signatureProvesSender: false,
  provenSettings: {
    fetchSnsCertificate: signer.fetchSnsCertificate,
    snsTopicArns: [TRACKING_TOPIC, INBOUND_TOPIC],
  },
  routes: {
    tracking: route(DELIVERY, TRACKING_TOPIC),
    inbound: route(RECEIVED, INBOUND_TOPIC),
  },
};
