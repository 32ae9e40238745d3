// Mailtrap against the real API: runs only when ANYMAIL_TEST_MAILTRAP_API_TOKEN and
// ANYMAIL_TEST_MAILTRAP_SANDBOX_ID (a testing inbox: nothing is delivered) are set.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";

const apiToken = process.env.ANYMAIL_TEST_MAILTRAP_API_TOKEN;
const sandboxId = process.env.ANYMAIL_TEST_MAILTRAP_SANDBOX_ID;

(apiToken && sandboxId ? describe : describe.skip)("Mailtrap live API (sandbox)", function () {
  this.timeout(30_000);

  it("sends a message into the sandbox and reports it queued", async () => {
    const sender = createSender("mailtrap", { apiToken, sandboxId, env: {} });
    const status = await sender.send({
      from: "Anymail <from@example.com>",
      to: "to@example.com",
      subject: "Anymail live test ☺",
      text: "Sent by anymail's live test.",
      tags: ["anymail-live"],
      metadata: { test: "live" },
    });
    expect(status.recipients["to@example.com"].status).to.equal("queued");
    await sender.close();
  });
});
