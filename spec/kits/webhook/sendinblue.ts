// Sendinblue in the shared webhook kit: one JSON event per post, no signature.
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
  },
};
