// MailerSend against the real API: runs only when ANYMAIL_TEST_MAILERSEND_API_TOKEN and
// ANYMAIL_TEST_MAILERSEND_FROM_EMAIL (an address of a verified domain) are set.
import { expect } from "chai";
import { describeLiveSend } from "../../helpers/live.js";

describeLiveSend("MailerSend live API", {
  esp: "mailersend",
  settings: { apiToken: "API_TOKEN" },
  to: "test@example.com",
  message: { tags: ["anymail-live"] },
  check(status, to) {
    // a test address may be on MailerSend's suppression list: either answer is a real one
    expect(status.recipients[to].status).to.be.oneOf(["queued", "rejected"]);
  },
});
