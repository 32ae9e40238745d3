// Postal against a real server: runs only when ANYMAIL_TEST_POSTAL_API_KEY,
// ANYMAIL_TEST_POSTAL_API_URL and ANYMAIL_TEST_POSTAL_FROM_EMAIL are set.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";

const apiKey = process.env.ANYMAIL_TEST_POSTAL_API_KEY;
const apiUrl = process.env.ANYMAIL_TEST_POSTAL_API_URL;
const from = process.env.ANYMAIL_TEST_POSTAL_FROM_EMAIL;
const to = process.env.ANYMAIL_TEST_POSTAL_TO_EMAIL ?? "test@example.com";

(apiKey && apiUrl && from ? describe : describe.skip)("Postal live API", function () {
  this.timeout(30_000);

  it("sends a message and reports it queued with Postal's id", async () => {
    const sender = createSender("postal", { apiKey, apiUrl, env: {} });
    const status = await sender.send({
      from: from as string,
      to,
      subject: "Anymail live test ☺",
      text: "Sent by anymail's live test.",
      tags: ["anymail-live"],
    });
    expect(status.recipients[to].status).to.equal("queued");
    expect(status.recipients[to].messageId).to.match(/^\d+$/);
    await sender.close();
  });
});
