// Realistic Amazon SES payloads, written from AWS's documented formats:
// SES Notifications: https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
// SES Event Publishing: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
// SES receiving: https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html
// SNS HTTP(S) messages: https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html

export const TRACKING_TOPIC = "arn:aws:sns:us-east-1:123456789012:SES_Tracking_Events";
export const INBOUND_TOPIC = "arn:aws:sns:eu-west-1:123456789012:SES_Inbound_Events";
export const SES_MESSAGE_ID = "0100017c1b2e3f4a-8d4bd7c2-2a47-4a1e-9f0a-5d2c1e0b3a4f-000000";

/** The `mail` object of a message sent to three recipients with Anymail's custom headers. */
export function mailObject(headers: { name: string; value: string }[] = anymailHeaders()) {
  return {
    timestamp: "2026-11-20T18:32:04.123Z",
    source: "Sender Name <sender@example.com>",
    sourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
    sourceIp: "192.0.2.10",
    sendingAccountId: "123456789012",
    messageId: SES_MESSAGE_ID,
    destination: ["to@example.com", "cc@example.com", "bcc@example.com"],
    headersTruncated: false,
    headers: [
      { name: "From", value: "Sender Name <sender@example.com>" },
      { name: "To", value: "to@example.com" },
      { name: "Cc", value: "cc@example.com" },
      { name: "Subject", value: "Your order" },
      { name: "MIME-Version", value: "1.0" },
      ...headers,
      { name: "Content-Type", value: 'multipart/alternative; boundary="----=_Part_1"' },
    ],
    commonHeaders: {
      from: ["Sender Name <sender@example.com>"],
      to: ["to@example.com"],
      cc: ["cc@example.com"],
      messageId: SES_MESSAGE_ID,
      subject: "Your order",
    },
  };
}

export function anymailHeaders(): { name: string; value: string }[] {
  return [
    { name: "X-Metadata", value: '{"orderId":"1234","customer":{"tier":"gold"}}' },
    { name: "X-Tag", value: "receipt" },
    { name: "X-Tag", value: "=?UTF-8?Q?=C3=A9t=C3=A9?=" },
  ];
}

const eventPublishingMail = () => ({
  ...mailObject(),
  tags: {
    "ses:configuration-set": ["TrackingConfigSet"],
    "ses:source-ip": ["192.0.2.10"],
    "ses:from-domain": ["example.com"],
    "ses:caller-identity": ["anymail-sender"],
    Type: ["receipt"],
  },
});

/** SES Notifications (notificationType): Bounce, Complaint, Delivery. */
export const notifications = {
  bounce: () => ({
    notificationType: "Bounce",
    bounce: {
      bounceType: "Permanent",
      bounceSubType: "General",
      bouncedRecipients: [
        {
          emailAddress: "to@example.com",
          action: "failed",
          status: "5.1.1",
          diagnosticCode: "smtp; 550 5.1.1 <to@example.com>: Recipient address rejected",
        },
        { emailAddress: "cc@example.com", action: "failed", status: "5.1.1" },
      ],
      timestamp: "2026-11-20T18:32:06.000Z",
      feedbackId: "0100017c1b2e4b5c-bounce-000000",
      remoteMtaIp: "198.51.100.25",
      reportingMTA: "dsn; a8-70.smtp-out.amazonses.com",
    },
    mail: mailObject(),
  }),
  complaint: () => ({
    notificationType: "Complaint",
    complaint: {
      userAgent: "ExampleCorp Feedback Loop (V0.01)",
      complainedRecipients: [{ emailAddress: "to@example.com" }],
      complaintFeedbackType: "abuse",
      arrivalDate: "2026-11-20T18:40:00.000Z",
      timestamp: "2026-11-20T18:41:00.000Z",
      feedbackId: "0100017c1b2e5c6d-complaint-000000",
    },
    mail: mailObject(),
  }),
  delivery: () => ({
    notificationType: "Delivery",
    delivery: {
      timestamp: "2026-11-20T18:32:05.789Z",
      processingTimeMillis: 1666,
      recipients: ["to@example.com", "cc@example.com"],
      smtpResponse: "250 2.6.0 Message received",
      remoteMtaIp: "198.51.100.25",
      reportingMTA: "a8-70.smtp-out.amazonses.com",
    },
    mail: mailObject(),
  }),
};

/** SES Event Publishing (eventType). */
export const events = {
  send: () => ({ eventType: "Send", mail: eventPublishingMail(), send: {} }),
  reject: () => ({
    eventType: "Reject",
    mail: eventPublishingMail(),
    reject: { reason: "Bad content" },
  }),
  bounce: () => ({
    ...notifications.bounce(),
    notificationType: undefined,
    eventType: "Bounce",
    mail: eventPublishingMail(),
  }),
  complaint: () => ({
    ...notifications.complaint(),
    notificationType: undefined,
    eventType: "Complaint",
    mail: eventPublishingMail(),
  }),
  delivery: () => ({
    ...notifications.delivery(),
    notificationType: undefined,
    eventType: "Delivery",
    mail: eventPublishingMail(),
  }),
  open: () => ({
    eventType: "Open",
    mail: eventPublishingMail(),
    open: {
      ipAddress: "192.0.2.1",
      timestamp: "2026-11-20T19:00:19.652Z",
      userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
    },
  }),
  click: () => ({
    eventType: "Click",
    mail: eventPublishingMail(),
    click: {
      ipAddress: "192.0.2.1",
      link: "https://www.example.com/orders/1234?utm_source=email",
      linkTags: { section: ["footer"] },
      timestamp: "2026-11-20T19:01:25.570Z",
      userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    },
  }),
  renderingFailure: () => ({
    eventType: "Rendering Failure",
    mail: eventPublishingMail(),
    failure: {
      errorMessage: "Attribute 'order_no' is not present in the rendering data.",
      templateName: "MyTemplateName",
    },
  }),
  deliveryDelay: () => ({
    eventType: "DeliveryDelay",
    mail: eventPublishingMail(),
    deliveryDelay: {
      timestamp: "2026-11-20T19:25:40.095Z",
      delayType: "TransientCommunicationFailure",
      expirationTime: "2026-11-21T18:32:04.000Z",
      delayedRecipients: [
        {
          emailAddress: "to@example.com",
          status: "4.4.1",
          diagnosticCode: "smtp; 421 4.4.1 Unable to connect to remote host",
        },
      ],
    },
  }),
  subscription: (unsubscribeAll: boolean, status: "OptIn" | "OptOut") => ({
    eventType: "Subscription",
    mail: { ...eventPublishingMail(), destination: ["to@example.com"] },
    subscription: {
      contactList: "Newsletter",
      timestamp: "2026-11-20T20:00:17.910Z",
      source: "UnsubscribeHeader",
      newTopicPreferences: {
        unsubscribeAll,
        topicSubscriptionStatus: [{ topicName: "Weekly", subscriptionStatus: status }],
      },
      oldTopicPreferences: { unsubscribeAll: false },
    },
  }),
};

/** A raw inbound message. */
export const INBOUND_MIME = [
  "Return-Path: <envelope-from@example.org>",
  "From: Sender <sender@example.org>",
  "To: Inbound <inbound@inbound.example.com>",
  "Subject: =?UTF-8?Q?Test_inbound_=C3=BCber_SES?=",
  "Date: Fri, 20 Nov 2026 18:32:04 +0000",
  "Message-ID: <inbound-1@example.org>",
  "MIME-Version: 1.0",
  'Content-Type: text/plain; charset="UTF-8"',
  "Content-Transfer-Encoding: 8bit",
  "",
  "Héllo from the inbound test.",
  "",
].join("\r\n");

/** An SES receiving notification for the SNS or S3 receipt action. */
export function receivedNotification(
  action: Record<string, unknown>,
  {
    content,
    spam = "PASS",
    virus = "PASS",
  }: { content?: string; spam?: string; virus?: string } = {},
) {
  return {
    notificationType: "Received",
    mail: {
      timestamp: "2026-11-20T18:32:04.000Z",
      source: "envelope-from@example.org",
      messageId: "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1",
      destination: ["inbound@inbound.example.com"],
      headersTruncated: false,
      headers: [
        { name: "From", value: "Sender <sender@example.org>" },
        { name: "To", value: "Inbound <inbound@inbound.example.com>" },
      ],
      commonHeaders: {
        returnPath: "envelope-from@example.org",
        from: ["Sender <sender@example.org>"],
        to: ["Inbound <inbound@inbound.example.com>"],
        subject: "Test inbound über SES",
      },
    },
    receipt: {
      timestamp: "2026-11-20T18:32:04.000Z",
      processingTimeMillis: 574,
      recipients: ["inbound@inbound.example.com"],
      spamVerdict: { status: spam },
      virusVerdict: { status: virus },
      spfVerdict: { status: "PASS" },
      dkimVerdict: { status: "GRAY" },
      dmarcVerdict: { status: "PASS" },
      action,
    },
    ...(content === undefined ? {} : { content }),
  };
}

/** An SNS Notification envelope (unsigned) around an SES JSON message. */
export function snsNotification(
  message: unknown,
  { topicArn = TRACKING_TOPIC, messageId = "c1d3e4f5-0000-5000-8000-000000000001" } = {},
): Record<string, unknown> {
  return {
    Type: "Notification",
    MessageId: messageId,
    TopicArn: topicArn,
    Message: typeof message === "string" ? message : JSON.stringify(message),
    Timestamp: "2026-11-20T18:32:07.321Z",
    UnsubscribeURL:
      "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" +
      `${topicArn}:2f3e4d5c-6b7a-4890-a1b2-c3d4e5f60718`,
  };
}

export function snsSubscriptionConfirmation(
  type: "SubscriptionConfirmation" | "UnsubscribeConfirmation" = "SubscriptionConfirmation",
  topicArn = TRACKING_TOPIC,
): Record<string, unknown> {
  const token = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3";
  return {
    Type: type,
    MessageId: "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
    Token: token,
    TopicArn: topicArn,
    Message:
      type === "SubscriptionConfirmation"
        ? `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
        : `You have chosen to deactivate subscription ${topicArn}.`,
    SubscribeURL: `https://sns.${topicArn.split(":")[3]}.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`,
    Timestamp: "2026-11-20T18:00:00.000Z",
  };
}
