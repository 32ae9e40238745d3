// Scaleway TEM against the real API: runs only when ANYMAIL_TEST_SCALEWAY_SECRET_KEY,
// ANYMAIL_TEST_SCALEWAY_PROJECT_ID and ANYMAIL_TEST_SCALEWAY_FROM_EMAIL are set.
import { expect } from "chai";
import { describeLiveSend } from "../../helpers/live.js";

describeLiveSend("Scaleway TEM live API", {
  esp: "scaleway",
  settings: { secretKey: "SECRET_KEY", projectId: "PROJECT_ID" },
  to: "test@example.com",
  message: { tags: ["anymail-live"] },
  check(status, to) {
    expect(status.recipients[to].status).to.be.oneOf(["queued", "sent"]);
  },
});
