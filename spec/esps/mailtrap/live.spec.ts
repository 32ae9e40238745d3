// Mailtrap against the real API: runs only when ANYMAIL_TEST_MAILTRAP_API_TOKEN and
// ANYMAIL_TEST_MAILTRAP_SANDBOX_ID (a testing inbox: nothing is delivered) are set.
import { expect } from "chai";
import { describeLiveSend } from "../../helpers/live.js";

describeLiveSend("Mailtrap live API (sandbox)", {
  esp: "mailtrap",
  settings: { apiToken: "API_TOKEN", sandboxId: "SANDBOX_ID" },
  from: "Anymail <from@example.com>",
  to: "to@example.com",
  message: { tags: ["anymail-live"], metadata: { test: "live" } },
  check(status, to) {
    expect(status.recipients[to].status).to.equal("queued");
  },
});
