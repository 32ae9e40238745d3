// MailerSend against the real API: runs only when ANYMAIL_TEST_MAILERSEND_API_TOKEN and
// ANYMAIL_TEST_MAILERSEND_FROM_EMAIL (an address of a verified domain) are set.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";

const apiToken = process.env.ANYMAIL_TEST_MAILERSEND_API_TOKEN;
const from = process.env.ANYMAIL_TEST_MAILERSEND_FROM_EMAIL;
const to = process.env.ANYMAIL_TEST_MAILERSEND_TO_EMAIL ?? "test@example.com";

(apiToken && from ? describe : describe.skip)("MailerSend live API", function () {
  this.timeout(30_000);

  it("sends a message and reports it queued", async () => {
    const sender = createSender("mailersend", { apiToken, env: {} });
    const status = await sender.send({
      from: from as string,
      to,
      subject: "Anymail live test ☺",
      text: "Sent by anymail's live test.",
      tags: ["anymail-live"],
    });
    expect(status.recipients[to].status).to.be.oneOf(["queued", "rejected"]);
    await sender.close();
  });
});
