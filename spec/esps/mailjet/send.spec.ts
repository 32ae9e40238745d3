// Mailjet sending end to end: createSender("mailjet") → real HTTP to the loopback capture
// server standing in for api.mailjet.com. Expected request bodies match what the reference
// oracle (django-anymail 9.0) builds for the same messages, except where noted.
import { expect } from "chai";
import {
  AnymailAPIError,
  AnymailUnsupportedFeature,
  createSender,
  type AnymailMessage,
  type Sender,
  type CreateSenderOptions,
} from "../../../lib/index.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";

const AUTH = `Basic ${Buffer.from("mj-api-key:mj-secret-key").toString("base64")}`;

/** A Send API v3.1 success answer; ids are JSON numbers above 2^53, as Mailjet sends them. */
function success(to: [string, string][], cc: [string, string][] = []): string {
  const entries = (list: [string, string][]) =>
    list
      .map(
        ([email, id]) =>
          `{"Email":"${email}","MessageUUID":"uuid-${id}","MessageID":${id},` +
          `"MessageHref":"https://api.mailjet.com/v3/REST/message/${id}"}`,
      )
      .join(",");
  return (
    `{"Messages":[{"Status":"success","CustomID":"","To":[${entries(to)}],` +
    `"Cc":[${entries(cc)}],"Bcc":[]}]}`
  );
}

describe("Mailjet send", () => {
  const server = useCaptureServer(200, success([["to@example.com", "1152921519812251571"]]));
  let sender: Sender;

  function mailjet(options: CreateSenderOptions<"mailjet"> = {}): Sender {
    return createSender("mailjet", {
      apiKey: "mj-api-key",
      secretKey: "mj-secret-key",
      apiUrl: `${server().url}/v3.1/`,
      env: {},
      ...options,
    });
  }

  const base = (): AnymailMessage => ({
    from: "from@example.com",
    to: ["to@example.com"],
    subject: "Subject",
    text: "Text",
  });

  beforeEach(() => {
    sender = mailjet();
  });
  afterEach(async () => {
    await sender.close();
  });

  describe("Mailjet send: standard message", () => {
    it("[MJ-01] [MJ-14] [MJ-16] posts {Globals, Messages} to <apiUrl>send with basic auth", async () => {
      server().respond(
        200,
        success(
          [
            ["to1@example.com", "1152921519812251571"],
            ["to2@example.com", "1152921519812251572"],
          ],
          [["cc@example.com", "1152921519812251573"]],
        ),
      );
      const status = await sender.send({
        from: '"Widgets, Inc." <from@example.com>',
        to: ['"Recipient, One" <to1@example.com>', "to2@example.com"],
        cc: "cc@example.com",
        bcc: "bcc@example.com",
        replyTo: "Reply <reply@example.com>",
        subject: "Subj",
        text: "Text",
        html: "<p>html <img src='cid:img1'></p>",
        headers: { "X-Custom": "v", "List-Unsubscribe": "<mailto:u@example.com>" },
        attachments: [
          { filename: "a.txt", content: "hello", contentType: "text/plain" },
          { filename: "i.png", content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), cid: "img1" },
        ],
      });
      const request = server().last();
      expect(request.method).to.equal("POST");
      expect(request.path).to.equal("/v3.1/send");
      expect(request.headers.authorization).to.equal(AUTH);
      expect(request.headers["content-type"]).to.equal("application/json");
      expect(request.json).to.deep.equal({
        Globals: {
          From: { Email: "from@example.com", Name: "Widgets, Inc." },
          Cc: [{ Email: "cc@example.com" }],
          Bcc: [{ Email: "bcc@example.com" }],
          ReplyTo: { Email: "reply@example.com", Name: "Reply" },
          Subject: "Subj",
          TextPart: "Text",
          HTMLPart: "<p>html <img src='cid:img1'></p>",
          Headers: { "X-Custom": "v", "List-Unsubscribe": "<mailto:u@example.com>" },
          Attachments: [
            { ContentType: "text/plain", Filename: "a.txt", Base64Content: "aGVsbG8=" },
          ],
          InlinedAttachments: [
            {
              ContentType: "image/png",
              Filename: "i.png",
              Base64Content: "iVBORw==",
              ContentID: "img1",
            },
          ],
        },
        Messages: [
          {
            To: [
              { Email: "to1@example.com", Name: "Recipient, One" },
              { Email: "to2@example.com" },
            ],
          },
        ],
      });
      // bcc is not reported by Mailjet's answer: failed, as the oracle does
      expect(status.recipients).to.deep.equal({
        "to1@example.com": { status: "sent", messageId: "1152921519812251571" },
        "to2@example.com": { status: "sent", messageId: "1152921519812251572" },
        "cc@example.com": { status: "sent", messageId: "1152921519812251573" },
        "bcc@example.com": { status: "failed", messageId: null },
      });
    });

    it("[MJ-12] messageId is the exact MessageID (beyond 2^53), never the MessageUUID", async () => {
      const status = await sender.send(base());
      expect(status.messageId).to.equal("1152921519812251571");
      expect(status.status).to.deep.equal(new Set(["sent"]));
      expect(status.recipients["to@example.com"].messageId).to.equal("1152921519812251571");
      const body = (
        status.espResponse as { body: { Messages: { To: { MessageID: unknown }[] }[] } }
      ).body;
      expect(body.Messages[0].To[0].MessageID).to.equal("1152921519812251571");
    });

    it('#17.5 an attachment without a filename is sent as "attachment" (Mailjet refuses "")', async () => {
      await sender.send({
        ...base(),
        attachments: [{ content: "hello", contentType: "text/plain" }],
      });
      const body = server().last().json as { Globals: { Attachments: unknown[] } };
      expect(body.Globals.Attachments).to.deep.equal([
        { ContentType: "text/plain", Filename: "attachment", Base64Content: "aGVsbG8=" },
      ]);
    });

    it("Unicode names, subject, headers, filenames and metadata go as UTF-8 JSON", async () => {
      await sender.send({
        ...base(),
        from: '"Müller, Anna" <from@example.com>',
        subject: "Sübject ✈",
        headers: { "X-Note": "välue" },
        metadata: { kéy: "välue" },
        attachments: [{ filename: "résumé.txt", content: "x", contentType: "text/plain" }],
      });
      const { Globals } = server().last().json as { Globals: Record<string, unknown> };
      expect(Globals.From).to.deep.equal({ Email: "from@example.com", Name: "Müller, Anna" });
      expect(Globals.Subject).to.equal("Sübject ✈");
      expect(Globals.Headers).to.deep.equal({ "X-Note": "välue" });
      expect(Globals.EventPayload).to.equal('{"kéy":"välue"}');
      expect((Globals.Attachments as { Filename: string }[])[0].Filename).to.equal("résumé.txt");
    });

    it("[MJ-03] apiUrl defaults to https://api.mailjet.com/v3.1/; a missing trailing slash is added", async () => {
      const defaulted = createSender("mailjet", { apiKey: "k", secretKey: "s", env: {} });
      await defaulted.close();
      const noSlash = mailjet({ apiUrl: `${server().url}/v3.1` });
      await noSlash.send(base());
      await noSlash.close();
      expect(server().last().path).to.equal("/v3.1/send");
    });
  });

  describe("Mailjet send: Anymail features", () => {
    it("[MJ-11] [MJ-15] envelopeSender, metadata, tag and tracking go in Globals", async () => {
      await sender.send({
        ...base(),
        envelopeSender: "Bounces <bounce@example.com>",
        metadata: { userId: "8675309", n: 1 },
        tags: ["onboarding"],
        trackOpens: true,
        trackClicks: false,
      });
      expect((server().last().json as { Globals: unknown }).Globals).to.deep.equal({
        From: { Email: "from@example.com" },
        Subject: "Subject",
        TextPart: "Text",
        Sender: { Email: "bounce@example.com", Name: "Bounces" },
        EventPayload: '{"userId":"8675309","n":1}',
        CustomCampaign: "onboarding",
        TrackOpens: "enabled",
        TrackClicks: "disabled",
      });
    });

    it("[MJ-09] two tags raise AnymailUnsupportedFeature; ignored, only the first is sent", async () => {
      const error = await rejectionOf(sender.send({ ...base(), tags: ["one", "two"] }));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(server().requests).to.have.length(0);
      const lenient = mailjet({ ignoreUnsupportedFeatures: true });
      await lenient.send({ ...base(), tags: ["one", "two"] });
      await lenient.close();
      expect((server().last().json as { Globals: object }).Globals).to.include({
        CustomCampaign: "one",
      });
    });

    it("[MJ-08] two replyTo addresses raise AnymailUnsupportedFeature; ignored, the first is sent", async () => {
      const message = { ...base(), replyTo: ["a@example.com", "b@example.com"] };
      const error = await rejectionOf(sender.send(message));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      const lenient = mailjet({ ignoreUnsupportedFeatures: true });
      await lenient.send(message);
      await lenient.close();
      expect((server().last().json as { Globals: object }).Globals).to.deep.include({
        ReplyTo: { Email: "a@example.com" },
      });
    });

    it("[MJ-10] sendAt raises AnymailUnsupportedFeature and nothing is sent", async () => {
      const error = await rejectionOf(
        sender.send({ ...base(), sendAt: new Date(Date.now() + 3600_000) }),
      );
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect((error as Error).message).to.match(/sendAt/);
      expect(server().requests).to.have.length(0);
    });

    it("a message with cc but no `to` raises AnymailUnsupportedFeature (Mailjet requires To)", async () => {
      const error = await rejectionOf(
        sender.send({ from: "from@example.com", cc: "cc@example.com", text: "t" }),
      );
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect((error as Error).message).to.match(/without any `to`/);
      expect(server().requests).to.have.length(0);
    });

    it("[MJ-04] [MJ-06] espExtra is deep-merged: Globals options merge, root options stay at the root", async () => {
      await sender.send({
        ...base(),
        trackOpens: true,
        espExtra: {
          Globals: {
            Priority: 3,
            TrackOpens: "disabled",
            TemplateErrorReporting: { Email: "dev+mailtemplatebug@example.com" },
          },
          SandboxMode: true,
          AdvanceErrorHandling: true,
        },
      });
      expect(server().last().json).to.deep.equal({
        Globals: {
          From: { Email: "from@example.com" },
          Subject: "Subject",
          TextPart: "Text",
          TrackOpens: "disabled",
          Priority: 3,
          TemplateErrorReporting: { Email: "dev+mailtemplatebug@example.com" },
        },
        Messages: [{ To: [{ Email: "to@example.com" }] }],
        SandboxMode: true,
        AdvanceErrorHandling: true,
      });
    });

    it("[MJ-05] espExtra.Messages replaces the generated Messages completely", async () => {
      const Messages = [{ To: [{ Email: "other@example.com" }], Priority: 2 }];
      await sender.send({ ...base(), espExtra: { Messages } });
      expect((server().last().json as { Messages: unknown }).Messages).to.deep.equal(Messages);
    });

    it("[MJ-07] espExtra in mailjetSendDefaults or sendDefaults applies to every message", async () => {
      const withDefaults = mailjet({
        sendDefaults: { espExtra: { SandboxMode: true } },
        mailjetSendDefaults: { espExtra: { Globals: { Priority: 2 } } },
      });
      await withDefaults.send(base());
      await withDefaults.send({ ...base(), espExtra: { Globals: { CustomID: "x" } } });
      await withDefaults.close();
      const [first, second] = server().requests.map((r) => r.json as Record<string, unknown>);
      // esp-specific defaults replace the same key of sendDefaults (core rule), then merge deep
      expect(first).to.deep.include({ Globals: { ...baseGlobals(), Priority: 2 } });
      expect(second).to.deep.include({ Globals: { ...baseGlobals(), Priority: 2, CustomID: "x" } });

      const globalOnly = mailjet({ sendDefaults: { espExtra: { SandboxMode: true } } });
      await globalOnly.send(base());
      await globalOnly.close();
      expect(server().last().json).to.deep.include({ SandboxMode: true });
    });

    const baseGlobals = () => ({
      From: { Email: "from@example.com" },
      Subject: "Subject",
      TextPart: "Text",
    });
  });

  describe("Mailjet send: batch and templates", () => {
    it("[MJ-13] [MJ-17] [MJ-18] [MJ-19] a stored template with merge data: one message per to", async () => {
      server().respond(
        200,
        '{"Messages":[' +
          '{"Status":"success","To":[{"Email":"alice@example.com","MessageUUID":"a","MessageID":1152921519812251571,"MessageHref":"h"}],' +
          '"Cc":[{"Email":"cc@example.com","MessageUUID":"c","MessageID":1152921519812251572,"MessageHref":"h"}],"Bcc":[]},' +
          '{"Status":"success","To":[{"Email":"bob@example.com","MessageUUID":"b","MessageID":1152921519812251573,"MessageHref":"h"}],' +
          '"Cc":[{"Email":"cc@example.com","MessageUUID":"c2","MessageID":1152921519812251574,"MessageHref":"h"}],"Bcc":[]}]}',
      );
      const status = await sender.send({
        from: null,
        to: ["alice@example.com", "Bob <bob@example.com>"],
        cc: ["cc@example.com"],
        templateId: "176375",
        mergeData: {
          "alice@example.com": { name: "Alice", order_no: "12345" },
          "bob@example.com": { name: "Bob", order_no: "54321" },
        },
        mergeGlobalData: { ship_date: "May 15" },
      });
      expect(server().last().json).to.deep.equal({
        Globals: {
          Cc: [{ Email: "cc@example.com" }],
          TemplateID: 176375,
          TemplateLanguage: true,
          Variables: { ship_date: "May 15" },
        },
        Messages: [
          { To: [{ Email: "alice@example.com" }], Variables: { name: "Alice", order_no: "12345" } },
          {
            To: [{ Email: "bob@example.com", Name: "Bob" }],
            Variables: { name: "Bob", order_no: "54321" },
          },
        ],
      });
      expect(status.recipients).to.deep.equal({
        "alice@example.com": { status: "sent", messageId: "1152921519812251571" },
        // cc gets one copy per message; the last id reported wins, as in the oracle
        "cc@example.com": { status: "sent", messageId: "1152921519812251574" },
        "bob@example.com": { status: "sent", messageId: "1152921519812251573" },
      });
      expect(status.messageId).to.be.instanceOf(Set);
    });

    it("[MJ-19] [MJ-20] a set from overrides the template's sender; subject and bodies left out", async () => {
      await sender.send({ from: "Shop <shop@example.com>", to: "to@example.com", templateId: 42 });
      expect((server().last().json as { Globals: unknown }).Globals).to.deep.equal({
        From: { Email: "shop@example.com", Name: "Shop" },
        TemplateID: 42,
        TemplateLanguage: true,
      });
    });

    it("[MJ-17] mergeData {} still sends a separate message to each to", async () => {
      server().respond(200, success([["a@example.com", "1"]]));
      await sender.send({ ...base(), to: ["a@example.com", "b@example.com"], mergeData: {} });
      expect((server().last().json as { Messages: unknown }).Messages).to.deep.equal([
        { To: [{ Email: "a@example.com" }] },
        { To: [{ Email: "b@example.com" }] },
      ]);
    });

    it("[MJ-16] several to without mergeData: one message, every recipient sees the whole To list", async () => {
      await sender.send({ ...base(), to: ["a@example.com", "b@example.com"] });
      expect((server().last().json as { Messages: unknown }).Messages).to.deep.equal([
        { To: [{ Email: "a@example.com" }, { Email: "b@example.com" }] },
      ]);
    });

    it("[MJ-21] an on-the-fly template: [[var:…]] stays in the bodies, merge data fills Variables", async () => {
      await sender.send({
        from: "orders@example.com",
        to: ["alice@example.com", "Bob <bob@example.com>"],
        subject: "Your order has shipped",
        text: "Dear [[var:name]]: Your order [[var:order_no]] shipped on [[var:ship_date]].",
        mergeData: {
          "alice@example.com": { name: "Alice", order_no: "12345" },
          "bob@example.com": { name: "Bob", order_no: "54321" },
        },
        mergeGlobalData: { ship_date: "May 15" },
      });
      expect(server().last().json).to.deep.equal({
        Globals: {
          From: { Email: "orders@example.com" },
          Subject: "Your order has shipped",
          TextPart: "Dear [[var:name]]: Your order [[var:order_no]] shipped on [[var:ship_date]].",
          Variables: { ship_date: "May 15" },
        },
        Messages: [
          { To: [{ Email: "alice@example.com" }], Variables: { name: "Alice", order_no: "12345" } },
          {
            To: [{ Email: "bob@example.com", Name: "Bob" }],
            Variables: { name: "Bob", order_no: "54321" },
          },
        ],
      });
    });

    it("[MJ-15] mergeMetadata is merged over metadata per message; mergeHeaders give per-message Headers", async () => {
      await sender.send({
        ...base(),
        to: ["alice@example.com", "bob@example.com"],
        headers: { "X-Global": "g", "X-Both": "global" },
        metadata: { campaign: "spring", order: 0 },
        mergeMetadata: { "alice@example.com": { order: 1 } },
        mergeHeaders: { "bob@example.com": { "x-both": "bob" } },
      });
      const json = server().last().json as { Globals: object; Messages: unknown };
      expect(json.Globals).to.deep.include({
        Headers: { "X-Global": "g", "X-Both": "global" },
        EventPayload: '{"campaign":"spring","order":0}',
      });
      expect(json.Messages).to.deep.equal([
        { To: [{ Email: "alice@example.com" }], EventPayload: '{"campaign":"spring","order":1}' },
        { To: [{ Email: "bob@example.com" }], Headers: { "X-Global": "g", "x-both": "bob" } },
      ]);
    });
  });

  describe("Mailjet send: recipient status", () => {
    it("a 400 partial failure is parsed: successes sent, the failed message's recipients failed", async () => {
      server().respond(400, {
        Messages: [
          {
            Status: "success",
            To: [{ Email: "alice@example.com", MessageUUID: "a", MessageID: 70650219165027410 }],
          },
          {
            Status: "error",
            Errors: [
              {
                ErrorIdentifier: "f987008f-251a-4dff-8ffc-40f1583ad7bc",
                ErrorCode: "mj-0013",
                StatusCode: 400,
                ErrorMessage: '"bob@invalid" is an invalid email address.',
                ErrorRelatedTo: ["To[0].Email"],
              },
            ],
          },
        ],
      });
      const status = await sender.send({
        ...base(),
        to: ["alice@example.com", "bob@invalid.example"],
        mergeData: {},
      });
      expect(status.recipients).to.deep.equal({
        "alice@example.com": { status: "sent", messageId: "70650219165027410" },
        "bob@invalid.example": { status: "failed", messageId: null },
      });
      expect(status.status).to.deep.equal(new Set(["sent", "failed"]));
    });

    it("recipient keys keep the case used in the message", async () => {
      server().respond(200, success([["user@example.com", "5"]]));
      const status = await sender.send({ ...base(), to: "User@Example.COM" });
      expect(Object.keys(status.recipients)).to.deep.equal(["User@Example.COM"]);
    });
  });

  describe("Mailjet send: API errors", () => {
    async function failure(message: AnymailMessage = base()): Promise<AnymailAPIError> {
      try {
        await sender.send(message);
      } catch (error) {
        expect(error).to.be.instanceOf(AnymailAPIError);
        return error as AnymailAPIError;
      }
      throw new Error("expected an AnymailAPIError");
    }

    it("[MJ-11] an ErrorCode answer (e.g. a refused custom Sender) is an AnymailAPIError with Mailjet's message", async () => {
      server().respond(400, {
        ErrorIdentifier: "x1",
        ErrorCode: "mj-0002",
        StatusCode: 400,
        ErrorMessage: "Sender is not allowed.",
      });
      const error = await failure({ ...base(), envelopeSender: "bounce@example.com" });
      expect(error.message).to.equal("Mailjet API response 400: Sender is not allowed.");
      expect(error.statusCode).to.equal(400);
      expect(error.espName).to.equal("Mailjet");
    });

    it("a non-JSON 401 is an AnymailAPIError with Mailjet's text and no secret", async () => {
      server().respond(
        401,
        "API key authentication/authorization failure. You may be unauthorized to access the API or your API key may be expired.",
      );
      const error = await failure();
      expect(error.message).to.match(
        /^Mailjet API response 401: API key authentication\/authorization failure\./,
      );
      expect(error.statusCode).to.equal(401);
      expect(JSON.stringify({ m: error.message, r: error.response })).to.not.match(
        /mj-secret-key|mj-api-key/,
      );
    });

    it("a 5xx answer is an AnymailAPIError", async () => {
      server().respond(503, "Service Unavailable");
      const error = await failure();
      expect(error.statusCode).to.equal(503);
      expect(error.message).to.match(/Mailjet API response 503/);
    });

    it("an answer that is not the Send API's shape is an AnymailAPIError", async () => {
      server().respond(200, { Sent: [] });
      const error = await failure();
      expect(error.message).to.match(/Mailjet API response 200/);
    });
  });

  describe("Mailjet send: configuration", () => {
    it("[MJ-02] apiKey and secretKey are required; they fall back to ANYMAIL_MAILJET_* then MAILJET_*", async () => {
      expect(() => createSender("mailjet", { env: {} })).to.throw(/apiKey/);
      expect(() => createSender("mailjet", { apiKey: "k", env: {} })).to.throw(
        /secretKey.*ANYMAIL_MAILJET_SECRET_KEY or MAILJET_SECRET_KEY/,
      );
      const fromEnv = createSender("mailjet", {
        apiUrl: `${server().url}/v3.1/`,
        env: {
          ANYMAIL_MAILJET_API_KEY: "mj-api-key",
          MAILJET_API_KEY: "ignored-bare-key",
          MAILJET_SECRET_KEY: "mj-secret-key",
        },
      });
      await fromEnv.send(base());
      await fromEnv.close();
      expect(server().last().headers.authorization).to.equal(AUTH);
    });
  });
});
