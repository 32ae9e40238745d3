// A Postmark inbound webhook payload: the example hook of Postmark's inbound-parse docs,
// with real (small) attachment content, a ContentID for the inline image, and the fields
// Postmark added since (OriginalRecipient, StrippedTextReply, Return-Path header).

/** A 1×1 transparent PNG. */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

export const INBOUND = {
  FromName: "John Doe",
  MessageStream: "inbound",
  From: "myUser@theirDomain.com",
  FromFull: { Email: "myUser@theirDomain.com", Name: "John Doe", MailboxHash: "" },
  To: "451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com",
  ToFull: [
    {
      Email: "451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com",
      Name: "",
      MailboxHash: "ahoy",
    },
  ],
  Cc: '"Full name" <sample.cc@emailDomain.com>, "Another Cc" <another.cc@emailDomain.com>',
  CcFull: [
    { Email: "sample.cc@emailDomain.com", Name: "Full name", MailboxHash: "" },
    { Email: "another.cc@emailDomain.com", Name: "Another Cc", MailboxHash: "" },
  ],
  Bcc: "",
  BccFull: [],
  OriginalRecipient: "451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com",
  ReplyTo: "myUsersReplyAddress@theirDomain.com",
  Subject: "This is an inbound message",
  MessageID: "22c74902-a0c1-4511-804f2-341342852c90",
  Date: "Thu, 5 Apr 2012 16:59:01 +0200",
  MailboxHash: "ahoy",
  TextBody: "This is the text body.\n\n> quoted reply",
  HtmlBody: "<html><body><p>This is the html body.</p></body></html>",
  StrippedTextReply: "This is the text body.",
  Tag: "",
  Headers: [
    {
      Name: "X-Spam-Checker-Version",
      Value: "SpamAssassin 3.3.1 (2010-03-16) onrs-ord-pm-inbound1.postmarkapp.com",
    },
    { Name: "Return-Path", Value: "<bounces+abc@theirDomain.com>" },
    { Name: "X-Spam-Status", Value: "No" },
    { Name: "X-Spam-Score", Value: "-0.1" },
    { Name: "X-Spam-Tests", Value: "DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,SPF_PASS" },
    {
      Name: "Received-SPF",
      Value:
        "Pass (sender SPF authorized) identity=mailfrom; client-ip=209.85.160.180; helo=mail-gy0-f180.google.com; envelope-from=myUser@theirDomain.com; receiver=451d9b70cf9364d23ff6f9d51d870251569e+ahoy@inbound.postmarkapp.com",
    },
    { Name: "MIME-Version", Value: "1.0" },
    {
      Name: "Message-ID",
      Value: "<CAGXpo2WKfxHWZ5UFYCR3H_J9SNMG+5AXUovfEFL6DjWBJSyZaA@mail.gmail.com>",
    },
  ],
  Attachments: [
    {
      Name: "myimage.png",
      Content: PNG.toString("base64"),
      ContentType: "image/png",
      ContentLength: PNG.length,
      ContentID: "myimage.png@01CE7342.75E71F80",
    },
    {
      Name: "mypaper.doc",
      Content: Buffer.from("doc content").toString("base64"),
      ContentType: "application/msword",
      ContentLength: 11,
    },
  ],
};
