// Sends through the real SparkPost API. Skipped unless ANYMAIL_TEST_SPARKPOST_API_KEY and
// ANYMAIL_TEST_SPARKPOST_DOMAIN (a sending domain verified on that account) are set.
// Recipients are on SparkPost's sink domain, which accepts and discards mail.
import { expect } from "chai";
import { createSender } from "../../../lib/index.js";
import { describeIf } from "../../helpers/skip.js";

const apiKey = process.env.ANYMAIL_TEST_SPARKPOST_API_KEY;
const domain = process.env.ANYMAIL_TEST_SPARKPOST_DOMAIN;
const apiUrl = process.env.ANYMAIL_TEST_SPARKPOST_API_URL; // e.g. the EU endpoint

describeIf(apiKey && domain, "live API: ANYMAIL_TEST_SPARKPOST_API_KEY/_DOMAIN are not set")(
  "SparkPost live API",
  () => {
    it("[SP-01][SP-09] queues a message and returns its transmission id", async () => {
      const sender = createSender("sparkpost", { apiKey, ...(apiUrl ? { apiUrl } : {}) });
      const status = await sender.send({
        from: `Anymail live test <from@${domain}>`,
        to: "to@test.sink.sparkpostmail.com",
        cc: "cc@test.sink.sparkpostmail.com",
        subject: "Anymail SparkPost live test",
        text: "Hello from the anymail test suite",
        tags: ["anymail-live-test"],
        metadata: { suite: "anymail" },
      });
      expect([...(status.status ?? [])]).to.deep.equal(["queued"]);
      expect(status.messageId).to.match(/^\d+$/);
      await sender.close();
    });
  },
);
