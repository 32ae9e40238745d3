// Resend against the real API: runs only when ANYMAIL_TEST_RESEND_API_KEY is set.
// Resend's delivered@resend.dev test address accepts mail without delivering it.
import { expect } from "chai";
import { describeLiveSend } from "../../helpers/live.js";

describeLiveSend("Resend live API", {
  esp: "resend",
  settings: { apiKey: "API_KEY" },
  from: "Anymail <onboarding@resend.dev>",
  to: "delivered@resend.dev",
  message: { metadata: { test: "live" }, tags: ["anymail-live"] },
  check(status, to) {
    expect(status.recipients[to].status).to.equal("queued");
    expect(status.messageId).to.be.a("string");
  },
});
