// Sends through the real Amazon SES API to its mailbox simulator (nothing reaches a person).
// Skipped unless AMAZON_SES_TEST_FROM (an address of a verified identity) is set and the SDK's
// default chain has credentials; AMAZON_SES_TEST_REGION picks the region (default us-east-1).
import { expect } from "chai";
import { createSender } from "../../../lib/sender/sender.js";
import { skipBecause } from "../../helpers/skip.js";

const { AMAZON_SES_TEST_FROM, AMAZON_SES_TEST_REGION } = process.env;
// https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html#send-email-simulator
const SIMULATOR_SUCCESS = "success@simulator.amazonses.com";

describe("Amazon SES live API", function () {
  this.timeout(30_000);
  before(function () {
    if (!AMAZON_SES_TEST_FROM) skipBecause(this, "live API: AMAZON_SES_TEST_FROM is not set");
  });

  it("[SES-01] [SES-11] queues a raw message with tags, metadata and an attachment", async function () {
    const sender = createSender("amazon_ses", {
      clientParams: { region: AMAZON_SES_TEST_REGION ?? "us-east-1" },
    });
    const status = await sender.send({
      from: `Anymail live test <${AMAZON_SES_TEST_FROM}>`,
      to: SIMULATOR_SUCCESS,
      subject: "Anymail Amazon SES live test",
      text: "This is a test. Ünïcödé ☕",
      tags: ["anymail-live-test"],
      metadata: { run: String(Date.now()) },
      attachments: [{ filename: "résumé.txt", content: "hello" }],
    });
    expect(status.recipients[SIMULATOR_SUCCESS].status).to.equal("queued");
    expect(status.messageId).to.be.a("string");
  });
});
