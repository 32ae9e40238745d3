// Sendinblue (Brevo) in the shared webhook kit: JSON posts, no signature. Tracking posts one
// event; inbound posts {"items": [...]} of parsed emails (none with attachments here, so no
// call to Brevo's API).
import { jsonCall, type WebhookProfile } from "../../helpers/describe-webhook.js";

export const webhook: WebhookProfile = {
  esp: "sendinblue",
  routes: {
    tracking: {
      valid: () =>
        jsonCall({
          event: "delivered",
          email: "recipient@example.com",
          id: 123456,
          date: "2018-03-12 10:44:29",
          "message-id": "<201803121044.12345678901@smtp-relay.mailin.fr>",
          ts_event: 1520847869,
          tags: ["receipt"],
        }),
    },
    inbound: {
      valid: () =>
        jsonCall({
          items: [
            {
              Uuid: ["aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"],
              MessageId: "<kit-1@example.org>",
              InReplyTo: null,
              From: { Name: "Sender", Address: "sender@example.org" },
              To: [{ Name: null, Address: "inbox@inbound.example.com" }],
              ReplyTo: null,
              SentAtDate: "Mon, 23 Nov 2026 10:00:00 +0000",
              Subject: "Kit message",
              Attachments: [],
              Headers: {
                "MIME-Version": "1.0",
                From: "Sender <sender@example.org>",
                To: "inbox@inbound.example.com",
                Subject: "Kit message",
                "Message-ID": "<kit-1@example.org>",
              },
              SpamScore: 0.1,
              ExtractedMarkdownMessage: "Hello from the webhook kit.",
              RawTextBody: "Hello from the webhook kit.\r\n",
            },
          ],
        }),
    },
  },
};
