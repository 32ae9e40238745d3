// Postmark webhook payloads, shaped like the examples on Postmark's webhook docs
// (postmarkapp.com/developer/webhooks/*) and the postmark.js webhook payload types.

export const DELIVERY = {
  RecordType: "Delivery",
  ServerID: 23,
  MessageStream: "outbound",
  MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
  Recipient: "john@example.com",
  Tag: "welcome-email",
  DeliveredAt: "2021-02-21T16:34:52Z",
  Details: "smtp;250 2.0.0 OK 1613925292 q12si8841446qkm.232 - gsmtp",
  Metadata: { a_key: "a_value", b_key: "b_value" },
};

/** A Bounce record; `Type` (and TypeCode/Name) vary per bounce type. */
export function bounce(type: string, typeCode = 1, name = "Hard bounce") {
  return {
    RecordType: "Bounce",
    MessageStream: "outbound",
    ID: 692560173,
    Type: type,
    TypeCode: typeCode,
    Name: name,
    Tag: "Invitation",
    MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
    Metadata: { a_key: "a_value", b_key: "b_value" },
    ServerID: 23,
    Description:
      "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
    Details: "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    Email: "john@example.com",
    From: "sender@example.com",
    BouncedAt: "2019-11-05T16:33:54.9070259Z",
    DumpAvailable: true,
    Inactive: true,
    CanActivate: true,
    Subject: "Test subject",
    Content: "Return-Path: <>\r\nReceived: …",
  };
}

export const SPAM_COMPLAINT = {
  RecordType: "SpamComplaint",
  MessageStream: "outbound",
  ID: 42,
  Type: "SpamComplaint",
  TypeCode: 512,
  Name: "Spam complaint",
  Tag: "Test",
  MessageID: "00000000-0000-0000-0000-000000000000",
  Metadata: { a_key: "a_value" },
  ServerID: 1234,
  Description: "The subscriber explicitly marked this message as spam.",
  Details: "Test spam complaint details",
  Email: "john@example.com",
  From: "sender@example.com",
  BouncedAt: "2019-11-05T16:33:54.9070259Z",
  DumpAvailable: true,
  Inactive: true,
  CanActivate: false,
  Subject: "Test subject",
  Content: "<Abuse report dump>",
};

export const OPEN = {
  RecordType: "Open",
  MessageStream: "outbound",
  Metadata: { example: "value" },
  FirstOpen: true,
  Recipient: "john@example.com",
  MessageID: "00000000-0000-0000-0000-000000000000",
  ReceivedAt: "2019-11-05T16:33:54.9070259Z",
  Platform: "WebMail",
  ReadSeconds: 5,
  Tag: "welcome-email",
  UserAgent:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36",
  OS: { Name: "OS X 10.7 Lion", Family: "OS X 10", Company: "Apple Computer, Inc." },
  Client: { Name: "Chrome 35.0.1916.153", Family: "Chrome", Company: "Google" },
  Geo: { IP: "188.2.95.4", City: "Novi Sad", Country: "Serbia", CountryISOCode: "RS" },
};

export const CLICK = {
  RecordType: "Click",
  MessageStream: "outbound",
  Metadata: { example: "value" },
  Recipient: "john@example.com",
  MessageID: "00000000-0000-0000-0000-000000000000",
  ReceivedAt: "2017-10-25T15:21:11.9065619Z",
  Platform: "Desktop",
  ClickLocation: "HTML",
  OriginalLink: "https://example.com/landing?utm_source=email",
  Tag: "welcome-email",
  UserAgent:
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/61.0.3163.100 Safari/537.36",
  OS: { Name: "Windows 10", Family: "Windows", Company: "Microsoft Corporation" },
  Client: { Name: "Chrome 61.0.3163.100", Family: "Chrome", Company: "Google" },
};

export function subscriptionChange(suppress: boolean, reason: string | null) {
  return {
    RecordType: "SubscriptionChange",
    MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
    ServerID: 123456,
    MessageStream: "outbound",
    ChangedAt: "2020-02-01T10:53:34.416071Z",
    Recipient: "bounced-address@wildbit.com",
    Origin: "Recipient",
    SuppressSending: suppress,
    SuppressionReason: reason,
    Tag: "my-tag",
    Metadata: { example: "value" },
  };
}
