// Postmark in the shared webhook kit: JSON posts, no signature (basic auth is the protection).
import { jsonCall, KIT_MIME, type WebhookProfile } from "../../helpers/describe-webhook.js";

export const webhook: WebhookProfile = {
  esp: "postmark",
  routes: {
    tracking: {
      valid: () =>
        jsonCall({
          RecordType: "Delivery",
          MessageStream: "outbound",
          MessageID: "883953f4-6105-42a2-a16a-77a8eac79483",
          Recipient: "john@example.com",
          DeliveredAt: "2021-02-21T16:34:52Z",
          Details: "smtp;250 2.0.0 OK",
        }),
    },
    inbound: {
      valid: () =>
        jsonCall({
          MessageStream: "inbound",
          From: "sender@example.org",
          FromFull: { Email: "sender@example.org", Name: "Sender", MailboxHash: "" },
          To: "inbox@inbound.postmarkapp.com",
          ToFull: [{ Email: "inbox@inbound.postmarkapp.com", Name: "", MailboxHash: "" }],
          Subject: "Kit message",
          MessageID: "22c74902-a0c1-4511-804f2-341342852c90",
          Date: "Thu, 5 Apr 2012 16:59:01 +0200",
          TextBody: KIT_MIME.split("\r\n\r\n")[1],
          Headers: [{ Name: "Message-ID", Value: "<kit-1@example.org>" }],
          Attachments: [],
        }),
    },
  },
};
