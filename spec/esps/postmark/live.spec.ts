// Postmark against the real API: runs only when ANYMAIL_TEST_POSTMARK_SERVER_TOKEN is set.
// Postmark's "POSTMARK_API_TEST" token accepts calls without delivering anything.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";
import { describeIf } from "../../helpers/skip.js";

const token = process.env.ANYMAIL_TEST_POSTMARK_SERVER_TOKEN;
const from = process.env.ANYMAIL_TEST_POSTMARK_FROM_EMAIL ?? "from@example.com";

describeIf(token, "live API: ANYMAIL_TEST_POSTMARK_SERVER_TOKEN is not set")(
  "Postmark live API",
  function () {
    this.timeout(30_000);

    it("[PM-01] sends a message and reports it sent", async () => {
      const sender = createSender("postmark", { serverToken: token });
      const status = await sender.send({
        from,
        to: "test@blackhole.postmarkapp.com",
        subject: "Anymail live test",
        text: "Sent by anymail's live test.",
        metadata: { test: "live" },
        tags: ["anymail-live"],
      });
      expect(status.recipients["test@blackhole.postmarkapp.com"].status).to.equal("sent");
      expect(status.messageId).to.be.a("string");
      await sender.close();
    });
  },
);
