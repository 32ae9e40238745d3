// mailerSendBulkStatus against a loopback server answering as MailerSend's
// GET /bulk-email/{id} does (MailerSend API docs: "Get bulk email status").
import { expect } from "chai";
import { mailerSendBulkStatus } from "../../../lib/index.js";
import { AnymailAPIError, AnymailConfigurationError } from "../../../lib/errors.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";

const TOKEN = "mlsn.bulk-status-token";
const BULK = {
  data: {
    id: "614470d1588b866d0454f3e2",
    state: "completed",
    total_recipients_count: 2,
    suppressed_recipients_count: 0,
    suppressed_recipients: null,
    validation_errors_count: 0,
    validation_errors: null,
    messages_id: ["61487a14608b1d0b4d506633", "61487a14608b1d0b4d506634"],
    created_at: "2021-09-17T10:41:21.892000Z",
    updated_at: "2021-09-17T10:41:23.684000Z",
  },
};

describe("MailerSend bulk status", () => {
  const server = useCaptureServer(200, BULK);

  it("GETs /bulk-email/<id> (also from a bulk: messageId) and reports state and message ids", async () => {
    const status = await mailerSendBulkStatus("bulk:614470d1588b866d0454f3e2", {
      apiToken: TOKEN,
      apiUrl: server().url,
      env: {},
    });
    const request = server().last();
    expect(request.method).to.equal("GET");
    expect(request.path).to.equal("/bulk-email/614470d1588b866d0454f3e2");
    expect(request.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(status.state).to.equal("completed");
    expect(status.messageIds).to.deep.equal(BULK.data.messages_id);
    expect(status.data.total_recipients_count).to.equal(2);
  });

  it("reads the token from the environment; without one, says which setting is missing", async () => {
    await mailerSendBulkStatus("abc", {
      apiUrl: server().url,
      env: { MAILERSEND_API_TOKEN: "mlsn.env" },
    });
    expect(server().last().headers.authorization).to.equal("Bearer mlsn.env");
    const error = await rejectionOf(mailerSendBulkStatus("abc", { apiUrl: server().url, env: {} }));
    expect(error).to.be.instanceOf(AnymailConfigurationError);
    expect(String(error)).to.match(/apiToken/);
  });

  it("MailerSend's errors carry its text, never the token", async () => {
    server().respond(404, { message: "The bulk email does not exist." });
    const error = await rejectionOf(
      mailerSendBulkStatus("nope", { apiToken: TOKEN, apiUrl: server().url, env: {} }),
    );
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(String(error)).to.include("The bulk email does not exist.");
    expect(String(error)).to.not.include(TOKEN);
    server().respond(200, { nothing: true });
    expect(
      String(
        await rejectionOf(
          mailerSendBulkStatus("x", { apiToken: TOKEN, apiUrl: server().url, env: {} }),
        ),
      ),
    ).to.match(/no data/);
  });
});
