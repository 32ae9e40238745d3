// Live test against Mandrill's real API: skipped unless ANYMAIL_TEST_MANDRILL_API_KEY is set
// (use a Mandrill *test* API key: it accepts the call but delivers nothing).
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";
import { skipBecause } from "../../helpers/skip.js";

const apiKey = process.env.ANYMAIL_TEST_MANDRILL_API_KEY;
const domain = process.env.ANYMAIL_TEST_MANDRILL_DOMAIN ?? "example.com";

describe("Mandrill live API", function () {
  this.timeout(30_000);
  before(function () {
    if (!apiKey) skipBecause(this, "live API: ANYMAIL_TEST_MANDRILL_API_KEY is not set");
  });

  it("sends a message and reports a status per recipient", async () => {
    const sender = createSender("mandrill", { apiKey });
    const status = await sender.send({
      from: `from@${domain}`,
      to: ["test+to1@mandrillapp.com", "Recipient 2 <test+to2@mandrillapp.com>"],
      subject: "anymail Mandrill live test",
      text: "This is a test.",
      html: "<p>This is a <b>test</b>.</p>",
      tags: ["anymail-live-test"],
      metadata: { test: "live" },
    });
    expect(Object.keys(status.recipients)).to.have.members([
      "test+to1@mandrillapp.com",
      "test+to2@mandrillapp.com",
    ]);
    await sender.close();
  });
});
