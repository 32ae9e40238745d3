// Postal against a real server: runs only when ANYMAIL_TEST_POSTAL_API_KEY,
// ANYMAIL_TEST_POSTAL_API_URL and ANYMAIL_TEST_POSTAL_FROM_EMAIL are set.
import { expect } from "chai";
import { describeLiveSend } from "../../helpers/live.js";

describeLiveSend("Postal live API", {
  esp: "postal",
  settings: { apiKey: "API_KEY", apiUrl: "API_URL" },
  to: "test@example.com",
  message: { tags: ["anymail-live"] },
  check(status, to) {
    expect(status.recipients[to].status).to.equal("queued");
    expect(status.recipients[to].messageId).to.match(/^\d+$/);
  },
});
