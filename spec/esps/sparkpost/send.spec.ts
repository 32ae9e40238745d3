// SparkPost sending through real HTTP on loopback. Expected bodies were checked against the
// reference oracle (django-anymail 9.0) where it agrees with the 8.1 spec; differences are
// noted where they occur.
import { expect } from "chai";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailRecipientsRefused,
  AnymailUnsupportedFeature,
  createSender,
  type AnymailMessage,
  type CreateSenderOptions,
} from "../../../lib/index.js";
import { buildRequest } from "../../../lib/esps/sparkpost/send.js";
import { adapter as sparkpost } from "../../../lib/esps/sparkpost/index.js";
import { formatStartTime } from "../../../lib/esps/sparkpost/transmission.js";
import { normalizeMessage } from "../../../lib/sender/normalize.js";
import { useCaptureServer } from "../../helpers/capture-server.js";

const API_KEY = "sp-test-api-key-1234";
const ACCEPTED = (count: number, id = "11668787484950529") => ({
  results: { total_rejected_recipients: 0, total_accepted_recipients: count, id },
});

describe("SparkPost send", () => {
  const server = useCaptureServer(200, ACCEPTED(1));

  function sender(options: CreateSenderOptions<"sparkpost"> = {}) {
    return createSender("sparkpost", {
      apiKey: API_KEY,
      apiUrl: `${server().url}/api/v1`,
      env: {},
      ...options,
    });
  }

  async function sendAndCapture(
    message: AnymailMessage,
    options: CreateSenderOptions<"sparkpost"> = {},
  ) {
    const status = await sender(options).send(message);
    const request = server().last();
    return { status, request, body: request.json as Record<string, unknown> };
  }

  describe("SparkPost standard message", () => {
    it("[SP-01][SP-09] posts a plain message to /transmissions/ with the raw API key", async () => {
      server().respond(200, ACCEPTED(2));
      const { status, request, body } = await sendAndCapture({
        from: "From Name <from@example.com>",
        to: ["to1@example.com", "Recipient Two <to2@example.com>"],
        subject: "Hi",
        text: "Text body",
        html: "<p>HTML body</p>",
      });
      expect(request.method).to.equal("POST");
      expect(request.path).to.equal("/api/v1/transmissions/");
      expect(request.headers.authorization).to.equal(API_KEY);
      expect(request.headers["content-type"]).to.match(/^application\/json/);
      expect(request.headers["x-msys-subaccount"]).to.equal(undefined);
      expect(body).to.deep.equal({
        content: {
          from: "From Name <from@example.com>",
          subject: "Hi",
          text: "Text body",
          html: "<p>HTML body</p>",
        },
        recipients: [
          {
            address: {
              email: "to1@example.com",
              header_to: "to1@example.com, Recipient Two <to2@example.com>",
            },
          },
          {
            address: {
              email: "to2@example.com",
              header_to: "to1@example.com, Recipient Two <to2@example.com>",
            },
          },
        ],
      });
      expect(status.messageId).to.equal("11668787484950529");
      expect([...(status.status ?? [])]).to.deep.equal(["queued"]);
      expect(status.recipients["to2@example.com"]).to.deep.equal({
        status: "queued",
        messageId: "11668787484950529",
      });
    });

    it("[SP-01] sends cc and bcc as recipients showing the To header, with a Cc header", async () => {
      // oracle case "plain": same body from django-anymail 9.0
      server().respond(200, ACCEPTED(4));
      const { body, status } = await sendAndCapture({
        from: "From Name <from@example.com>",
        to: ["to1@example.com", "Recipient Two <to2@example.com>"],
        cc: "cc@example.com",
        bcc: "bcc@example.com",
        replyTo: "reply@example.com",
        subject: "Hi",
        text: "text",
        html: "<p>html</p>",
        headers: { "X-Custom": "yes" },
      });
      const headerTo = "to1@example.com, Recipient Two <to2@example.com>";
      expect(body.content).to.deep.equal({
        from: "From Name <from@example.com>",
        subject: "Hi",
        reply_to: "reply@example.com",
        headers: { Cc: "cc@example.com", "X-Custom": "yes" },
        text: "text",
        html: "<p>html</p>",
      });
      expect(body.recipients).to.deep.equal([
        { address: { email: "to1@example.com", header_to: headerTo } },
        { address: { email: "to2@example.com", header_to: headerTo } },
        { address: { email: "cc@example.com", header_to: headerTo } },
        { address: { email: "bcc@example.com", header_to: headerTo } },
      ]);
      expect(Object.keys(status.recipients)).to.deep.equal([
        "to1@example.com",
        "to2@example.com",
        "cc@example.com",
        "bcc@example.com",
      ]);
    });

    it('[#17.5] sends attachments (a nameless one as "attachment", SparkPost requires a name), and inline images by Content-ID', async () => {
      const { body } = await sendAndCapture({
        from: "from@example.com",
        to: "to@example.com",
        html: '<img src="cid:img1">',
        attachments: [
          { filename: "a.txt", content: "hello", contentType: "text/plain" },
          { content: Buffer.from([0xff, 0x00]), contentType: "application/octet-stream" },
          {
            filename: "img.png",
            content: Buffer.from("iVBORw0K", "base64"),
            contentType: "image/png",
            cid: "img1",
          },
        ],
      });
      const content = body.content as Record<string, unknown>;
      expect(content.attachments).to.deep.equal([
        { name: "a.txt", type: "text/plain", data: "aGVsbG8=" },
        // django-anymail 15.1 sends "" here; SparkPost's API requires a name
        { name: "attachment", type: "application/octet-stream", data: "/wA=" },
      ]);
      expect(content.inline_images).to.deep.equal([
        { name: "img1", type: "image/png", data: "iVBORw0K" },
      ]);
    });

    it("a Cc header given by the caller replaces the generated one", async () => {
      const { body } = await sendAndCapture({
        from: "from@example.com",
        to: "to@example.com",
        cc: "cc@example.com",
        text: "x",
        headers: { cc: "Shown <shown@example.com>" },
      });
      expect((body.content as Record<string, unknown>).headers).to.deep.equal({
        cc: "Shown <shown@example.com>",
      });
    });
  });

  describe("SparkPost Anymail features", () => {
    it("[SP-12][SP-15] sends envelopeSender, metadata, sendAt, tracking and the tag", async () => {
      const { body } = await sendAndCapture({
        from: "from@example.com",
        to: "to@example.com",
        text: "x",
        envelopeSender: "Bounces <bounce@bounces.example.com>",
        metadata: { user_id: "123", n: 7 },
        sendAt: new Date("2022-05-06T07:08:09.987Z"),
        trackOpens: true,
        trackClicks: false,
        tags: ["welcome"],
      });
      expect(body.return_path).to.equal("bounce@bounces.example.com");
      expect(body.metadata).to.deep.equal({ user_id: "123", n: 7 });
      // ISO 8601 without fractional seconds (oracle: "2022-05-06T07:08:09+00:00")
      expect(body.options).to.deep.equal({
        start_time: "2022-05-06T07:08:09+00:00",
        click_tracking: false,
        open_tracking: true,
      });
      expect(body.campaign_id).to.equal("welcome");
    });

    it("[SP-10] two tags throw AnymailUnsupportedFeature and send nothing", async () => {
      const error = await sender()
        .send({ from: "f@example.com", to: "t@example.com", text: "x", tags: ["a", "b"] })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(server().requests).to.have.length(0);
    });

    it("[SP-10] with ignoreUnsupportedFeatures only the first tag is sent", async () => {
      const { body } = await sendAndCapture(
        { from: "f@example.com", to: "t@example.com", text: "x", tags: ["a", "b"] },
        { ignoreUnsupportedFeatures: true },
      );
      expect(body.campaign_id).to.equal("a");
    });

    it("[SP-11] a text/x-amp-html alternative is sent as amp_html", async () => {
      const { body } = await sendAndCapture({
        from: "f@example.com",
        to: "t@example.com",
        subject: "AMP",
        text: "plain",
        html: "<p>html</p>",
        alternatives: [
          { content: "<!doctype html><html ⚡4email>…</html>", contentType: "text/x-amp-html" },
        ],
      });
      expect(body.content).to.deep.equal({
        from: "f@example.com",
        subject: "AMP",
        text: "plain",
        html: "<p>html</p>",
        amp_html: "<!doctype html><html ⚡4email>…</html>",
      });
    });

    it("[SP-11] two AMP parts, or a second HTML part, are unsupported", async () => {
      for (const alternatives of [
        [
          { content: "a", contentType: "text/x-amp-html" },
          { content: "b", contentType: "text/x-amp-html" },
        ],
        [{ content: "<p>2</p>", contentType: "text/html" }],
      ]) {
        const error = await sender()
          .send({ from: "f@example.com", to: "t@example.com", html: "<p>1</p>", alternatives })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
        expect((error as Error).message).to.include("multiple html parts");
      }
      expect(server().requests).to.have.length(0);
    });

    it("other alternative types are unsupported", async () => {
      const error = await sender()
        .send({
          from: "f@example.com",
          to: "t@example.com",
          text: "x",
          alternatives: [{ content: "x", contentType: "text/calendar" }],
        })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
    });

    it("[SP-13] several from addresses are sent as one From header", async () => {
      // 8.1 behaviour (changelog v0.10); the 9.0 oracle refuses since 8.2
      const { body } = await sendAndCapture({
        from: "one@example.com, Two <two@example.com>",
        to: "t@example.com",
        text: "x",
      });
      expect((body.content as Record<string, unknown>).from).to.equal(
        "one@example.com, Two <two@example.com>",
      );
    });

    it("[SP-14] a Reply-To header wins over replyTo", async () => {
      const { body } = await sendAndCapture({
        from: "f@example.com",
        to: "t@example.com",
        text: "x",
        replyTo: "field@example.com",
        headers: { "Reply-To": "Header <header@example.com>" },
      });
      const content = body.content as Record<string, unknown>;
      expect(content.reply_to).to.equal("Header <header@example.com>");
      expect(content.headers ?? {}).not.to.have.property("Reply-To");
    });

    it("[SP-06] espExtra is deep-merged into the payload and wins conflicts", async () => {
      const { body } = await sendAndCapture({
        from: "f@example.com",
        to: "t@example.com",
        subject: "S",
        text: "x",
        trackClicks: true,
        espExtra: {
          options: { transactional: true, ip_pool: "transactional_pool", click_tracking: false },
          description: "Test-run for new templates",
          content: { use_draft_template: true, ab_test_id: "highlight_support_links" },
        },
      });
      expect(body.options).to.deep.equal({
        click_tracking: false,
        transactional: true,
        ip_pool: "transactional_pool",
      });
      expect(body.description).to.equal("Test-run for new templates");
      expect(body.content).to.deep.equal({
        from: "f@example.com",
        subject: "S",
        text: "x",
        use_draft_template: true,
        ab_test_id: "highlight_support_links",
      });
    });

    it("[SP-07] espExtra.recipients replaces the generated recipients and their merge data", async () => {
      server().respond(200, ACCEPTED(12));
      const { body, status } = await sendAndCapture({
        from: "f@example.com",
        to: "t@example.com",
        cc: "c@example.com",
        text: "x",
        mergeData: { "t@example.com": { name: "T" } },
        mergeMetadata: { "t@example.com": { id: 1 } },
        espExtra: { recipients: { list_id: "design_team" } },
      });
      expect(body.recipients).to.deep.equal({ list_id: "design_team" });
      // a stored list: SparkPost's totals cannot be matched to our recipients one by one
      expect(status.recipients["t@example.com"].status).to.equal("queued");
    });

    it("[SP-08] espExtra in sendDefaults applies to every message", async () => {
      const s = sender({
        sendDefaults: { espExtra: { options: { transactional: true } } },
        sparkpostSendDefaults: { espExtra: { description: "sparkpost only" } },
      });
      await s.send({ from: "f@example.com", to: "t@example.com", text: "1" });
      await s.send({
        from: "f@example.com",
        to: "t@example.com",
        text: "2",
        espExtra: { options: { ip_pool: "p" } },
      });
      const [first, second] = server().requests.map((r) => r.json as Record<string, unknown>);
      expect(first.description).to.equal("sparkpost only");
      expect(second.description).to.equal("sparkpost only");
      expect(second.options).to.deep.equal({ ip_pool: "p" });
    });

    it("[SP-08] espExtra from the global sendDefaults reaches the payload", async () => {
      const { body } = await sendAndCapture(
        { from: "f@example.com", to: "t@example.com", text: "x" },
        { sendDefaults: { espExtra: { options: { transactional: true } } } },
      );
      expect(body.options).to.deep.equal({ transactional: true });
    });
  });

  describe("SparkPost batch sending and templates", () => {
    it("[SP-16][SP-19][SP-20] batch with template, cc/bcc copied per to, merge data and metadata", async () => {
      // oracle case "batch": the same recipients list from django-anymail 9.0
      server().respond(200, ACCEPTED(6, "22"));
      const { body, status } = await sendAndCapture({
        from: "from@example.com",
        to: ["alice@example.com", "Bob <bob@example.com>"],
        cc: "cc@example.com",
        bcc: "bcc@example.com",
        templateId: "11806290401558530",
        mergeData: {
          "alice@example.com": { name: "Alice", order_no: "12345" },
          "bob@example.com": { name: "Bob", order_no: "54321" },
        },
        mergeMetadata: { "alice@example.com": { order: "1" } },
        mergeGlobalData: {
          ship_date: "May 15",
          dynamic_html: {
            status_html: "<a href='https://example.com/order/{{order_no}}'>Status</a>",
          },
          dynamic_plain: { status_plain: "Status: https://example.com/order/{{order_no}}" },
        },
      });
      const alice = { name: "Alice", order_no: "12345" };
      const bob = { name: "Bob", order_no: "54321" };
      expect(body).to.deep.equal({
        content: {
          from: "from@example.com",
          headers: { Cc: "cc@example.com" },
          template_id: "11806290401558530",
        },
        recipients: [
          {
            address: { email: "alice@example.com", header_to: "alice@example.com" },
            substitution_data: alice,
            metadata: { order: "1" },
          },
          {
            address: { email: "bob@example.com", header_to: "Bob <bob@example.com>" },
            substitution_data: bob,
          },
          {
            address: { email: "cc@example.com", header_to: "alice@example.com" },
            substitution_data: alice,
            metadata: { order: "1" },
          },
          {
            address: { email: "bcc@example.com", header_to: "alice@example.com" },
            substitution_data: alice,
            metadata: { order: "1" },
          },
          {
            address: { email: "cc@example.com", header_to: "Bob <bob@example.com>" },
            substitution_data: bob,
          },
          {
            address: { email: "bcc@example.com", header_to: "Bob <bob@example.com>" },
            substitution_data: bob,
          },
        ],
        substitution_data: {
          ship_date: "May 15",
          dynamic_html: {
            status_html: "<a href='https://example.com/order/{{order_no}}'>Status</a>",
          },
          dynamic_plain: { status_plain: "Status: https://example.com/order/{{order_no}}" },
        },
      });
      // 6 sent, 6 accepted: queued (the 9.0 oracle compares with 4 message recipients and
      // reports "unknown" here)
      expect(status.recipients["cc@example.com"]).to.deep.equal({
        status: "queued",
        messageId: "22",
      });
    });

    it("a batch with only cc/bcc still delivers to them", async () => {
      server().respond(200, ACCEPTED(2));
      const { body } = await sendAndCapture({
        from: "f@example.com",
        cc: "cc@example.com",
        bcc: "bcc@example.com",
        text: "x",
        mergeMetadata: { "nobody@example.com": { id: 1 } },
      });
      expect(body.recipients).to.deep.equal([
        { address: { email: "cc@example.com", header_to: "" } },
        { address: { email: "bcc@example.com", header_to: "" } },
      ]);
    });

    it("[SP-18][SP-19] an on-the-fly template: merge fields in subject and body", async () => {
      server().respond(200, ACCEPTED(2));
      const { body } = await sendAndCapture({
        from: "shop@example.com",
        to: ["alice@example.com", "bob@example.com"],
        subject: "Your order {{order_no}}",
        text: "Hi {{name}}, ships {{ship_date}}",
        mergeData: {
          "alice@example.com": { name: "Alice", order_no: "1" },
          "bob@example.com": { name: "Bob", order_no: "2" },
        },
        mergeGlobalData: { ship_date: "May 15" },
      });
      expect(body.content).to.deep.equal({
        from: "shop@example.com",
        subject: "Your order {{order_no}}",
        text: "Hi {{name}}, ships {{ship_date}}",
      });
      expect(body.recipients).to.deep.equal([
        {
          address: { email: "alice@example.com", header_to: "alice@example.com" },
          substitution_data: { name: "Alice", order_no: "1" },
        },
        {
          address: { email: "bob@example.com", header_to: "bob@example.com" },
          substitution_data: { name: "Bob", order_no: "2" },
        },
      ]);
      expect(body.substitution_data).to.deep.equal({ ship_date: "May 15" });
    });

    it("[SP-17] a subject or body with templateId throws AnymailUnsupportedFeature", async () => {
      for (const field of ["subject", "text", "html"] as const) {
        const error = await sender()
          .send({ from: "f@example.com", to: "t@example.com", templateId: "tpl", [field]: "x" })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(error, field).to.be.instanceOf(AnymailUnsupportedFeature);
        expect((error as Error).message)
          .to.include(field)
          .and.include("template");
      }
      expect(server().requests).to.have.length(0);
    });

    it("[SP-17] with ignoreUnsupportedFeatures they are left out; empty ones always are", async () => {
      const { body } = await sendAndCapture(
        { from: "f@example.com", to: "t@example.com", templateId: 42, subject: "S", text: "" },
        { ignoreUnsupportedFeatures: true },
      );
      expect(body.content).to.deep.equal({ from: "f@example.com", template_id: "42" });
      const plain = await sendAndCapture({
        from: "f@example.com",
        to: "t@example.com",
        templateId: "tpl",
        subject: "",
        html: "",
      });
      expect(plain.body.content).to.deep.equal({ from: "f@example.com", template_id: "tpl" });
    });
  });

  describe("SparkPost recipient status", () => {
    it("[SP-09] every recipient rejected → rejected, and AnymailRecipientsRefused", async () => {
      server().respond(200, {
        results: { total_rejected_recipients: 2, total_accepted_recipients: 0, id: "77" },
      });
      const error = await sender()
        .send({ from: "f@example.com", to: ["a@example.com", "b@example.com"], text: "x" })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(AnymailRecipientsRefused);
      const status = await sender({ ignoreRecipientStatus: true }).send({
        from: "f@example.com",
        to: ["a@example.com", "b@example.com"],
        text: "x",
      });
      expect(status.recipients).to.deep.equal({
        "a@example.com": { status: "rejected", messageId: "77" },
        "b@example.com": { status: "rejected", messageId: "77" },
      });
    });

    it("a mix of accepted and rejected → unknown for every recipient", async () => {
      server().respond(200, {
        results: { total_rejected_recipients: 1, total_accepted_recipients: 1, id: "78" },
      });
      const { status } = await sendAndCapture({
        from: "f@example.com",
        to: ["a@example.com", "b@example.com"],
        text: "x",
      });
      expect([...(status.status ?? [])]).to.deep.equal(["unknown"]);
      expect(status.messageId).to.equal("78");
    });
  });

  describe("[#17.4] SparkPost accepted-but-unusual answers never throw", () => {
    it("[#17.4] totals that do not add up (more or fewer than sent) → unknown with the transmission id", async () => {
      for (const [accepted, rejected] of [
        [5, 0],
        [0, 0],
        [1, 3],
      ]) {
        server().respond(200, {
          results: {
            total_accepted_recipients: accepted,
            total_rejected_recipients: rejected,
            id: 99,
          },
        });
        const { status } = await sendAndCapture({
          from: "f@example.com",
          to: ["a@example.com", "b@example.com"],
          text: "x",
        });
        expect([...(status.status ?? [])], `${accepted}/${rejected}`).to.deep.equal(["unknown"]);
        expect(status.messageId).to.equal("99");
      }
    });
  });

  describe("SparkPost API errors", () => {
    it("an error status throws AnymailAPIError with SparkPost's text, never the key", async () => {
      server().respond(403, {
        errors: [{ message: "Forbidden.", description: `bad key ${API_KEY}` }],
      });
      const error = await sender()
        .send({ from: "f@example.com", to: "t@example.com", text: "x" })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect((error as AnymailAPIError).statusCode).to.equal(403);
      expect((error as Error).message)
        .to.include("Forbidden.")
        .and.not.include(API_KEY);
    });

    it("a 200 answer of the wrong shape throws AnymailAPIError", async () => {
      for (const answer of [{ results: { id: "1" } }, "not json", { results: null }]) {
        server().respond(200, answer);
        const error = await sender()
          .send({ from: "f@example.com", to: "t@example.com", text: "x" })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(error).to.be.instanceOf(AnymailAPIError);
        expect((error as Error).message).to.include("invalid API response format");
      }
    });
  });

  describe("SparkPost configuration", () => {
    it("[SP-02] apiKey is required, naming its env vars", () => {
      expect(() => createSender("sparkpost", { env: {} }))
        .to.throw(AnymailConfigurationError)
        .with.property("message")
        .that.includes("ANYMAIL_SPARKPOST_API_KEY")
        .and.includes("SPARKPOST_API_KEY");
    });

    it("[SP-02] apiKey comes from ANYMAIL_SPARKPOST_API_KEY, then SPARKPOST_API_KEY", async () => {
      const apiUrl = `${server().url}/api/v1`;
      await createSender("sparkpost", {
        apiUrl,
        env: { ANYMAIL_SPARKPOST_API_KEY: "anymail-env-key", SPARKPOST_API_KEY: "bare-key" },
      }).send({ from: "f@example.com", to: "t@example.com", text: "x" });
      expect(server().last().headers.authorization).to.equal("anymail-env-key");
      await createSender("sparkpost", { apiUrl, env: { SPARKPOST_API_KEY: "bare-key" } }).send({
        from: "f@example.com",
        to: "t@example.com",
        text: "x",
      });
      expect(server().last().headers.authorization).to.equal("bare-key");
    });

    it("[SP-03] subaccount is sent as X-MSYS-SUBACCOUNT, per sender or from the env", async () => {
      await sendAndCapture(
        { from: "f@example.com", to: "t@example.com", text: "x" },
        { subaccount: 123 },
      );
      expect(server().last().headers["x-msys-subaccount"]).to.equal("123");
      await sendAndCapture(
        { from: "f@example.com", to: "t@example.com", text: "x" },
        { env: { ANYMAIL_SPARKPOST_SUBACCOUNT: "456" } },
      );
      expect(server().last().headers["x-msys-subaccount"]).to.equal("456");
    });

    it("[SP-04] apiUrl is the full versioned endpoint, with or without a trailing slash", async () => {
      await sendAndCapture(
        { from: "f@example.com", to: "t@example.com", text: "x" },
        { apiUrl: `${server().url}/eu/api/v1/` },
      );
      expect(server().last().path).to.equal("/eu/api/v1/transmissions/");
      await sendAndCapture(
        { from: "f@example.com", to: "t@example.com", text: "x" },
        { apiUrl: undefined, env: { ANYMAIL_SPARKPOST_API_URL: `${server().url}/labs/api/v1` } },
      );
      expect(server().last().path).to.equal("/labs/api/v1/transmissions/");
    });

    it("debugApiRequests prints the request and answer without the API key", async () => {
      const lines: string[] = [];
      await sendAndCapture(
        { from: "f@example.com", to: "t@example.com", text: "debug me" },
        { debugApiRequests: true, debugStream: { write: (chunk: string) => lines.push(chunk) } },
      );
      const output = lines.join("");
      expect(output).to.include("/api/v1/transmissions/").and.include("debug me");
      expect(output).not.to.include(API_KEY);
    });

    it("[SP-04] apiUrl defaults to SparkPost's US endpoint; EU is a setting away", async () => {
      const message = await normalizeMessage({ from: "f@example.com", to: "t@example.com" });
      const unsupported = () => undefined;
      const us = { apiKey: "k", apiUrl: sparkpost.settings.apiUrl.default };
      expect(buildRequest(message, { settings: us, unsupported }).url).to.equal(
        "https://api.sparkpost.com/api/v1/transmissions/",
      );
      const eu = { apiKey: "k", apiUrl: "https://api.eu.sparkpost.com/api/v1" };
      expect(buildRequest(message, { settings: eu, unsupported }).url).to.equal(
        "https://api.eu.sparkpost.com/api/v1/transmissions/",
      );
    });

    it("start_time drops fractional seconds and is always UTC", () => {
      expect(formatStartTime(new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 999)))).to.equal(
        "2030-01-02T03:04:05+00:00",
      );
    });
  });
});
