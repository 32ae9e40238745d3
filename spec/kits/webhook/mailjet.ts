// Mailjet in the shared webhook kit: JSON posts (tracking batches and Parse API), no signature.
import { jsonCall, KIT_MIME, type WebhookProfile } from "../../helpers/describe-webhook.js";

export const webhook: WebhookProfile = {
  esp: "mailjet",
  routes: {
    tracking: {
      valid: () =>
        jsonCall([
          {
            event: "sent",
            time: 1433333949,
            MessageID: 19421777835146490,
            email: "api@mailjet.com",
            mj_message_id: "19421777835146490",
            smtp_reply: "sent (250 2.0.0 OK)",
          },
        ]),
    },
    inbound: {
      valid: () =>
        jsonCall({
          Sender: "sender@example.org",
          Recipient: "inbox@parse.example.com",
          Date: "20150410T160638",
          From: "Sender <sender@example.org>",
          Subject: "Kit message",
          Headers: {
            "MIME-Version": ["1.0"],
            "Content-Type": ["text/plain; charset=utf-8"],
            From: "Sender <sender@example.org>",
            To: "inbox@parse.example.com",
            Subject: "Kit message",
          },
          Parts: [
            { Headers: { "Content-Type": "text/plain; charset=utf-8" }, ContentRef: "Text-part" },
          ],
          "Text-part": KIT_MIME.split("\r\n\r\n")[1],
          SpamAssassinScore: "0.1",
        }),
    },
  },
};
