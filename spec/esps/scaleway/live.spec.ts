// Scaleway TEM against the real API: runs only when ANYMAIL_TEST_SCALEWAY_SECRET_KEY,
// ANYMAIL_TEST_SCALEWAY_PROJECT_ID and ANYMAIL_TEST_SCALEWAY_FROM_EMAIL are set.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";

const secretKey = process.env.ANYMAIL_TEST_SCALEWAY_SECRET_KEY;
const projectId = process.env.ANYMAIL_TEST_SCALEWAY_PROJECT_ID;
const from = process.env.ANYMAIL_TEST_SCALEWAY_FROM_EMAIL;
const to = process.env.ANYMAIL_TEST_SCALEWAY_TO_EMAIL ?? "test@example.com";

(secretKey && projectId && from ? describe : describe.skip)("Scaleway TEM live API", function () {
  this.timeout(30_000);

  it("sends a message and reports it queued", async () => {
    const sender = createSender("scaleway", { secretKey, projectId, env: {} });
    const status = await sender.send({
      from: from as string,
      to,
      subject: "Anymail live test ☺",
      text: "Sent by anymail's live test.",
      tags: ["anymail-live"],
    });
    expect(status.recipients[to].status).to.be.oneOf(["queued", "sent"]);
    await sender.close();
  });
});
