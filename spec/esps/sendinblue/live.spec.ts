// Live test against Brevo's real API: skipped unless ANYMAIL_TEST_SENDINBLUE_API_KEY (and a
// verified sender in ANYMAIL_TEST_SENDINBLUE_FROM) are set. Brevo's sandbox header
// `X-Sib-Sandbox: drop` makes it validate the call without delivering anything.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";
import { skipBecause } from "../../helpers/skip.js";

const apiKey = process.env.ANYMAIL_TEST_SENDINBLUE_API_KEY;
const from = process.env.ANYMAIL_TEST_SENDINBLUE_FROM;

describe("Sendinblue live API", function () {
  this.timeout(30_000);
  before(function () {
    if (!apiKey || !from) {
      skipBecause(this, "live API: ANYMAIL_TEST_SENDINBLUE_API_KEY/_FROM are not set");
    }
  });

  it("sends a message in sandbox mode and reports it queued", async () => {
    const sender = createSender("brevo", { apiKey });
    const status = await sender.send({
      from,
      to: "test@example.com",
      subject: "anymail Sendinblue live test",
      html: "<p>This is a test.</p>",
      headers: { "X-Sib-Sandbox": "drop" },
      tags: ["anymail-live-test"],
      metadata: { test: "live" },
    });
    expect(status.recipients["test@example.com"].status).to.equal("queued");
    expect(status.messageId).to.be.a("string");
    await sender.close();
  });
});
