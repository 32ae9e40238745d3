// Unisender Go against the real API: runs only when ANYMAIL_TEST_UNISENDER_GO_API_KEY,
// ANYMAIL_TEST_UNISENDER_GO_API_URL and ANYMAIL_TEST_UNISENDER_GO_FROM_EMAIL are set.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";

const apiKey = process.env.ANYMAIL_TEST_UNISENDER_GO_API_KEY;
const apiUrl = process.env.ANYMAIL_TEST_UNISENDER_GO_API_URL;
const from = process.env.ANYMAIL_TEST_UNISENDER_GO_FROM_EMAIL;
const to = process.env.ANYMAIL_TEST_UNISENDER_GO_TO_EMAIL ?? "test@example.com";

(apiKey && apiUrl && from ? describe : describe.skip)("Unisender Go live API", function () {
  this.timeout(30_000);

  it("sends a message and reports it queued with our generated id", async () => {
    const sender = createSender("unisender_go", { apiKey, apiUrl, env: {} });
    const status = await sender.send({
      from: from as string,
      to,
      subject: "Anymail live test ☺",
      text: "Sent by anymail's live test.",
      tags: ["anymail-live"],
      metadata: { test: "live" },
    });
    expect(status.recipients[to].status).to.equal("queued");
    expect(status.recipients[to].messageId).to.match(/^[0-9a-f-]{36}$/);
    await sender.close();
  });
});
