// Live check against SendGrid's real API, in sandbox mode (validated, never delivered).
// Skips unless ANYMAIL_TEST_SENDGRID_API_KEY is set; ANYMAIL_TEST_SENDGRID_FROM names a
// verified sender (default anymail-test@example.com).
import { expect } from "chai";
import { createSender } from "../../../lib/sender/sender.js";
import { skipBecause } from "../../helpers/skip.js";

const apiKey = process.env.ANYMAIL_TEST_SENDGRID_API_KEY;

describe("SendGrid live API (sandbox mode)", function () {
  this.timeout(30_000);
  before(function () {
    if (!apiKey) skipBecause(this, "live API: ANYMAIL_TEST_SENDGRID_API_KEY is not set");
  });

  it("[SG-01] a message with Anymail features is accepted", async () => {
    const sender = createSender("sendgrid", { apiKey, env: {} });
    const status = await sender.send({
      from: process.env.ANYMAIL_TEST_SENDGRID_FROM ?? "anymail-test@example.com",
      to: ["test+to1@sendgrid.net", "Recipient 2 <test+to2@sendgrid.net>"],
      subject: "Anymail SendGrid live test",
      text: "Sandbox mode: validated, not delivered.",
      html: "<p>Sandbox mode: validated, not delivered.</p>",
      tags: ["anymail-live"],
      metadata: { test: "live", n: 1 },
      trackClicks: false,
      espExtra: { mail_settings: { sandbox_mode: { enable: true } } },
    });
    expect([...(status.status ?? [])]).to.deep.equal(["queued"]);
    expect(status.messageId).to.be.a("string");
  });
});
