// Resend against the real API: runs only when ANYMAIL_TEST_RESEND_API_KEY is set.
// Resend's delivered@resend.dev test address accepts mail without delivering it.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";

const apiKey = process.env.ANYMAIL_TEST_RESEND_API_KEY;
const from = process.env.ANYMAIL_TEST_RESEND_FROM_EMAIL ?? "Anymail <onboarding@resend.dev>";

(apiKey ? describe : describe.skip)("Resend live API", function () {
  this.timeout(30_000);

  it("sends a message and reports it queued", async () => {
    const sender = createSender("resend", { apiKey, env: {} });
    const status = await sender.send({
      from,
      to: "delivered@resend.dev",
      subject: "Anymail live test ☺",
      text: "Sent by anymail's live test.",
      metadata: { test: "live" },
      tags: ["anymail-live"],
    });
    expect(status.recipients["delivered@resend.dev"].status).to.equal("queued");
    expect(status.messageId).to.be.a("string");
    await sender.close();
  });
});
