// Unisender Go against the real API: runs only when ANYMAIL_TEST_UNISENDER_GO_API_KEY,
// ANYMAIL_TEST_UNISENDER_GO_API_URL and ANYMAIL_TEST_UNISENDER_GO_FROM_EMAIL are set.
import { expect } from "chai";
import { describeLiveSend } from "../../helpers/live.js";

describeLiveSend("Unisender Go live API", {
  esp: "unisender_go",
  settings: { apiKey: "API_KEY", apiUrl: "API_URL" },
  to: "test@example.com",
  message: { tags: ["anymail-live"], metadata: { test: "live" } },
  check(status, to) {
    expect(status.recipients[to].status).to.equal("queued");
    expect(status.recipients[to].messageId).to.match(/^[0-9a-f-]{36}$/);
  },
});
