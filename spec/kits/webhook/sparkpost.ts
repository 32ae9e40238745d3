// SparkPost in the shared webhook kit: JSON batches (message events, relay messages), no signature.
import { jsonCall, KIT_MIME, type WebhookProfile } from "../../helpers/describe-webhook.js";

export const webhook: WebhookProfile = {
  esp: "sparkpost",
  routes: {
    tracking: {
      valid: () =>
        jsonCall([
          {
            msys: {
              message_event: {
                type: "delivery",
                event_id: "92356927693813856",
                message_id: "000443ee14578172be22",
                rcpt_to: "recipient@example.com",
                timestamp: "1454442600",
                transmission_id: "65832150921904138",
              },
            },
          },
        ]),
    },
    inbound: {
      valid: () =>
        jsonCall([
          {
            msys: {
              relay_message: {
                content: { email_rfc822: KIT_MIME, email_rfc822_is_base64: false },
                friendly_from: "sender@example.org",
                msg_from: "sender@example.org",
                rcpt_to: "inbox@inbound.example.com",
                webhook_id: "4839201967643219",
              },
            },
          },
        ]),
    },
  },
};
