// Sends through the real Mailgun API, in Mailgun's test mode (nothing is delivered).
// Skipped unless MAILGUN_TEST_API_KEY and MAILGUN_TEST_DOMAIN are set; optionally
// MAILGUN_TEST_API_URL (EU accounts) and MAILGUN_TEST_TO.
import { expect } from "chai";
import { createSender } from "../../../lib/sender/sender.js";
import { skipBecause } from "../../helpers/skip.js";

const { MAILGUN_TEST_API_KEY, MAILGUN_TEST_DOMAIN, MAILGUN_TEST_API_URL, MAILGUN_TEST_TO } =
  process.env;

describe("Mailgun live API", function () {
  this.timeout(30_000);
  before(function () {
    if (!MAILGUN_TEST_API_KEY || !MAILGUN_TEST_DOMAIN) {
      skipBecause(this, "live API: MAILGUN_TEST_API_KEY/_DOMAIN are not set");
    }
  });

  it("[MG-01][MG-16] queues a message with tags, metadata and an attachment", async () => {
    const sender = createSender("mailgun", {
      apiKey: MAILGUN_TEST_API_KEY,
      senderDomain: MAILGUN_TEST_DOMAIN,
      ...(MAILGUN_TEST_API_URL ? { apiUrl: MAILGUN_TEST_API_URL } : {}),
    });
    const to = MAILGUN_TEST_TO ?? `test@${MAILGUN_TEST_DOMAIN}`;
    const status = await sender.send({
      from: `Anymail live test <from@${MAILGUN_TEST_DOMAIN}>`,
      to,
      subject: "Anymail Mailgun live test",
      text: "This is a test.",
      tags: ["anymail-live-test"],
      metadata: { run: String(Date.now()) },
      attachments: [{ filename: "résumé.txt", content: "hello" }],
      espExtra: { "o:testmode": "yes" },
    });
    expect(status.recipients[to].status).to.equal("queued");
    expect(status.messageId).to.match(/^<.+@.+>$/);
    await sender.close();
  });
});
