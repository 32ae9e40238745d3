// Mailtrap in the shared webhook kit: a JSON batch `{"events": [...]}`, no signature (basic
// auth is the protection); tracking only.
import { jsonCall, type WebhookProfile } from "../../helpers/describe-webhook.js";

export const webhook: WebhookProfile = {
  esp: "mailtrap",
  routes: {
    tracking: {
      valid: () =>
        jsonCall({
          events: [
            {
              event: "delivery",
              message_id: "1df37d17-0286-4d8b-8edf-bc4ec5be86e6",
              sending_stream: "transactional",
              email: "recipient@example.com",
              timestamp: 1795000000,
              event_id: "bede7236-2284-43d6-a953-1fdcafd0fdbc",
              category: "Kit",
              custom_variables: { user_id: "123" },
            },
          ],
        }),
    },
  },
};
