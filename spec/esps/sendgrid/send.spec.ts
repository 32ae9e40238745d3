// SendGrid sending, end to end: createSender → real HTTP on loopback → captured request.
// Expected bodies follow django-anymail 9.0's requests (reference oracle cases noted inline).
import { expect } from "chai";
import {
  AnymailAPIError,
  AnymailError,
  AnymailConfigurationError,
  AnymailSerializationError,
  AnymailUnsupportedFeature,
} from "../../../lib/errors.js";
import { createSender, type CreateSenderOptions } from "../../../lib/sender/sender.js";
import type { AnymailMessage } from "../../../lib/sender/message.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { compileMergeFieldFormat } from "../../../lib/esps/sendgrid/merge-field-format.js";
import { adapter as sendgridEsp } from "../../../lib/esps/sendgrid/index.js";
import { rejectionOf } from "../../helpers/rejection.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Json = Record<string, unknown>;
interface Personalization {
  to?: { email: string; name?: string }[];
  custom_args?: Record<string, string>;
  [key: string]: unknown;
}

describe("SendGrid send", () => {
  const server = useCaptureServer(202, "");

  function sender(options: CreateSenderOptions<"sendgrid"> = {}) {
    return createSender("sendgrid", {
      apiKey: "SG.test-api-key",
      apiUrl: `${server().url}/v3/`,
      env: {},
      ...options,
    });
  }

  async function sent(message: AnymailMessage, options: CreateSenderOptions<"sendgrid"> = {}) {
    const status = await sender(options).send({
      from: "from@example.com",
      to: "to@example.com",
      subject: "Subject",
      text: "Body",
      ...message,
    });
    const body = server().last().json as Json & { personalizations: Personalization[] };
    return { status, body };
  }

  /** The body without the random anymail_id custom args, for exact comparison. */
  function withoutIds(body: Json & { personalizations: Personalization[] }) {
    const personalizations = body.personalizations.map((p) => {
      const { anymail_id: _id, ...args } = p.custom_args ?? {};
      const copy: Personalization = { ...p, custom_args: args };
      if (Object.keys(args).length === 0) delete copy.custom_args;
      return copy;
    });
    return { ...body, personalizations };
  }

  describe("SendGrid standard message", () => {
    it("[SG-01] [SG-08] POSTs v3 Mail Send JSON with a bearer API key", async () => {
      const { status, body } = await sent({
        from: "From Name <from@example.com>",
        to: ["to1@example.com", "Recip Two <to2@example.com>"],
        cc: "cc@example.com",
        bcc: "bcc@example.com",
        replyTo: "Reply <reply@example.com>",
        subject: "Subj",
        text: "text body",
        html: "<p>html</p>",
        headers: { "X-Custom": "v", "X-Num": 123 },
      });
      const request = server().last();
      expect(request.method).to.equal("POST");
      expect(request.path).to.equal("/v3/mail/send");
      expect(request.headers.authorization).to.equal("Bearer SG.test-api-key");
      expect(request.headers["content-type"]).to.match(/^application\/json/);
      const id = body.personalizations[0].custom_args?.anymail_id;
      expect(id).to.match(UUID);
      // oracle case s1 (9.0 quotes "Recip Two" inside the JSON name; we send the plain name)
      expect(body).to.deep.equal({
        personalizations: [
          {
            to: [{ email: "to1@example.com" }, { email: "to2@example.com", name: "Recip Two" }],
            cc: [{ email: "cc@example.com" }],
            bcc: [{ email: "bcc@example.com" }],
            custom_args: { anymail_id: id },
          },
        ],
        from: { email: "from@example.com", name: "From Name" },
        subject: "Subj",
        reply_to: { email: "reply@example.com", name: "Reply" },
        content: [
          { type: "text/plain", value: "text body" },
          { type: "text/html", value: "<p>html</p>" },
        ],
        headers: { "X-Custom": "v", "X-Num": "123" },
      });
      expect(status.messageId).to.equal(id);
    });

    it("[SG-19] a 202 with an empty body marks every recipient queued", async () => {
      const { status, body } = await sent({
        to: ["a@example.com", "b@example.com"],
        cc: "c@example.com",
      });
      const id = body.personalizations[0].custom_args?.anymail_id ?? "";
      expect([...(status.status ?? [])]).to.deep.equal(["queued"]);
      expect(status.recipients).to.deep.equal({
        "a@example.com": { status: "queued", messageId: id },
        "b@example.com": { status: "queued", messageId: id },
        "c@example.com": { status: "queued", messageId: id },
      });
      expect(status.espResponse).to.deep.include({ status: 202, body: "" });
    });

    it("[SG-19] any 2xx is success, and never AnymailRecipientsRefused", async () => {
      server().respond(200, { message: "success" });
      const { status } = await sent({});
      expect(status.recipients["to@example.com"].status).to.equal("queued");
    });

    it("sends attachments, and inline images with content_id and disposition", async () => {
      const { body } = await sent({
        attachments: [
          { filename: "a.txt", content: "hello", contentType: "text/plain" },
          {
            filename: "img.png",
            content: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
            contentType: "image/png",
            cid: "abc123",
          },
        ],
      });
      expect(body.attachments).to.deep.equal([
        { content: "aGVsbG8=", type: "text/plain", filename: "a.txt" },
        {
          content: "iVBORw==",
          type: "image/png",
          filename: "img.png",
          disposition: "inline",
          content_id: "abc123",
        },
      ]);
    });

    it("sends alternative parts after text/plain and text/html", async () => {
      const { body } = await sent({
        html: "<p>x</p>",
        alternatives: [{ content: "<amp>", contentType: "text/x-amp-html" }],
      });
      expect(body.content).to.deep.equal([
        { type: "text/plain", value: "Body" },
        { type: "text/html", value: "<p>x</p>" },
        { type: "text/x-amp-html", value: "<amp>" },
      ]);
    });
  });

  describe("SendGrid Anymail features", () => {
    it("[SG-03] [SG-17] [SG-18] metadata as string custom_args, tags as categories, send_at, tracking", async () => {
      const { body } = await sent({
        metadata: { user_id: 12345, flag: true, obj: { a: 1 }, s: "x" },
        tags: ["t1", "t2"],
        sendAt: "2024-03-01T12:00:00Z",
        trackOpens: true,
        trackClicks: false,
      });
      expect(body.custom_args).to.deep.equal({
        user_id: "12345",
        flag: "true",
        obj: '{"a":1}',
        s: "x",
      });
      expect(body.categories).to.deep.equal(["t1", "t2"]);
      expect(body.send_at).to.equal(1709294400);
      expect(body.tracking_settings).to.deep.equal({
        click_tracking: { enable: false },
        open_tracking: { enable: true },
      });
    });

    it("[SG-04] generateMessageId: false sends no anymail_id and reports no message id", async () => {
      const { status, body } = await sent({}, { generateMessageId: false });
      expect(body.personalizations[0]).to.not.have.property("custom_args");
      expect(status.messageId).to.equal(null);
      expect(status.recipients["to@example.com"]).to.deep.equal({
        status: "queued",
        messageId: null,
      });
    });

    it("[SG-04] generateMessageId also reads ANYMAIL_SENDGRID_GENERATE_MESSAGE_ID", async () => {
      const { body } = await sent({}, { env: { ANYMAIL_SENDGRID_GENERATE_MESSAGE_ID: "false" } });
      expect(body.personalizations[0]).to.not.have.property("custom_args");
    });

    it("[SG-15] #17.16 supersedes the spec's single Reply-To: several replyTo go as reply_to_list (one stays reply_to)", async () => {
      // django-anymail 15.1 (oracle) sends reply_to_list for these; SendGrid refuses both at once
      const { body } = await sent({ replyTo: ["a@example.com", "B <b@example.com>"] });
      expect(body.reply_to_list).to.deep.equal([
        { email: "a@example.com" },
        { email: "b@example.com", name: "B" },
      ]);
      expect(body).to.not.have.property("reply_to");
      const single = await sent({ replyTo: "B <b@example.com>" });
      expect(single.body.reply_to).to.deep.equal({ email: "b@example.com", name: "B" });
      expect(single.body).to.not.have.property("reply_to_list");
    });

    it('#17.5 an attachment without a filename is sent as "attachment" (SendGrid requires one)', async () => {
      const { body } = await sent({
        attachments: [{ content: "hello", contentType: "text/plain" }],
      });
      expect(body.attachments).to.deep.equal([
        { content: "aGVsbG8=", type: "text/plain", filename: "attachment" },
      ]);
    });

    it("#17.6 null substitution values are sent as JSON null, not the word null", async () => {
      const { body } = await sent(
        {
          to: ["a@example.com", "b@example.com"],
          templateId: "legacy-123",
          mergeData: { "a@example.com": { name: null, n: 1 } },
          mergeGlobalData: { g: null },
        },
        { mergeFieldFormat: "-{}-" },
      );
      // as django-anymail 15.1 (oracle): null stays null, numbers become strings
      expect(body.personalizations.map((p) => p.substitutions)).to.deep.equal([
        { "-g-": null, "-name-": null, "-n-": "1" },
        { "-g-": null },
      ]);
    });

    it("Unicode in names, subject, headers, filenames and metadata goes as UTF-8 JSON", async () => {
      const { body } = await sent({
        from: "José <from@example.com>",
        to: '"Smith, Jöhn" <to@example.com>',
        subject: "Sübject",
        headers: { "X-Note": "välue" },
        metadata: { kéy: "välue" },
        attachments: [{ filename: "résumé.pdf", content: "x", contentType: "application/pdf" }],
      });
      expect(body.from).to.deep.equal({ email: "from@example.com", name: "José" });
      expect(body.personalizations[0].to).to.deep.equal([
        { email: "to@example.com", name: "Smith, Jöhn" },
      ]);
      expect(body.subject).to.equal("Sübject");
      expect(body.headers).to.deep.equal({ "X-Note": "välue" });
      expect(body.custom_args).to.deep.equal({ kéy: "välue" });
      expect((body.attachments as Json[])[0].filename).to.equal("résumé.pdf");
    });

    it("[SG-16] envelopeSender raises AnymailUnsupportedFeature", async () => {
      const error = await rejectionOf(sent({ envelopeSender: "bounce@example.com" }));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
    });

    it("[SG-09] [SG-12] espExtra is deep-merged, espExtra winning, with tracking settings combined", async () => {
      const { body } = await sent({
        trackOpens: true,
        subject: "ours",
        espExtra: {
          asm: { group_id: 1, groups_to_display: [1, 2, 3] },
          tracking_settings: { open_tracking: { substitution_tag: "%%OPEN%%" } },
          subject: "theirs",
        },
      });
      expect(body.asm).to.deep.equal({ group_id: 1, groups_to_display: [1, 2, 3] });
      expect(body.tracking_settings).to.deep.equal({
        open_tracking: { enable: true, substitution_tag: "%%OPEN%%" },
      });
      expect(body.subject).to.equal("theirs");
    });

    it("[SG-10] an espExtra personalizations object merges into every personalization", async () => {
      const { status, body } = await sent({
        to: ["alice@example.com", "bob@example.com"],
        mergeData: { "alice@example.com": { x: "1" } },
        espExtra: {
          personalizations: { future_feature: { future: "data" }, custom_args: { extra: "1" } },
        },
      });
      expect(withoutIds(body).personalizations).to.deep.equal([
        {
          to: [{ email: "alice@example.com" }],
          substitutions: { x: "1" },
          future_feature: { future: "data" },
          custom_args: { extra: "1" },
        },
        {
          to: [{ email: "bob@example.com" }],
          future_feature: { future: "data" },
          custom_args: { extra: "1" },
        },
      ]);
      // each personalization keeps its own id (9.0 shares one dict and repeats the last id)
      const [alice, bob] = body.personalizations.map((p) => p.custom_args?.anymail_id);
      expect(alice).to.match(UUID);
      expect(bob).to.match(UUID);
      expect(alice).to.not.equal(bob);
      expect(status.recipients["alice@example.com"].messageId).to.equal(alice);
      expect(status.recipients["bob@example.com"].messageId).to.equal(bob);
    });

    it("[SG-11] an espExtra personalizations array replaces the generated ones", async () => {
      const { status, body } = await sent({
        to: ["alice@example.com", "bob@example.com"],
        espExtra: { personalizations: [{ to: [{ email: "x@example.com" }] }] },
      });
      expect(withoutIds(body).personalizations).to.deep.equal([
        { to: [{ email: "x@example.com" }] },
      ]);
      expect(body.personalizations[0].custom_args?.anymail_id).to.match(UUID);
      // the message's own recipients were not in any personalization: no id for them (oracle s8)
      expect(status.recipients["alice@example.com"]).to.deep.equal({
        status: "queued",
        messageId: null,
      });
    });

    it("[SG-11] a personalizations list of non-objects is refused before sending", async () => {
      const error = await rejectionOf(sent({ espExtra: { personalizations: ["to@example.com"] } }));
      expect(error).to.be.instanceOf(AnymailError);
      expect((error as Error).message).to.contain("espExtra.personalizations");
      expect(server().requests).to.have.length(0);
    });

    it("[SG-11] odd recipient shapes in a personalizations list are sent as given", async () => {
      const { status } = await sent({
        espExtra: { personalizations: [{ to: "to@example.com" }, { to: [null, { email: 5 }] }] },
      });
      expect(status.recipients["to@example.com"].messageId).to.equal(null);
    });

    it("[SG-13] espExtra in sendDefaults applies to every message", async () => {
      const options = { sendDefaults: { espExtra: { asm: { group_id: 7 } } } };
      const { body } = await sent({}, options);
      expect(body.asm).to.deep.equal({ group_id: 7 });
      const { body: second } = await sent({ subject: "again" }, options);
      expect(second.asm).to.deep.equal({ group_id: 7 });
    });

    it("[SG-13] sendgridSendDefaults espExtra applies too", async () => {
      const { body } = await sent(
        {},
        { sendgridSendDefaults: { espExtra: { ip_pool_name: "p" } } },
      );
      expect(body.ip_pool_name).to.equal("p");
    });

    it("mergeHeaders become each personalization's headers", async () => {
      const { body } = await sent({
        to: ["alice@example.com", "bob@example.com"],
        mergeHeaders: { "alice@example.com": { "List-Unsubscribe": "<mailto:u@example.com>" } },
      });
      expect(withoutIds(body).personalizations).to.deep.equal([
        {
          to: [{ email: "alice@example.com" }],
          headers: { "List-Unsubscribe": "<mailto:u@example.com>" },
        },
        { to: [{ email: "bob@example.com" }] },
      ]);
    });
  });

  describe("SendGrid batch sending and templates", () => {
    it("[SG-14] [SG-20] [SG-21] [SG-23] [SG-07] dynamic template batch: one personalization per to, cc repeated", async () => {
      const { status, body } = await sent(
        {
          to: ["alice@example.com", "Bob <bob@example.com>"],
          cc: "cc@example.com",
          subject: null,
          text: null,
          templateId: "d-5a963add2ec84305813ff860db277d7a",
          mergeData: {
            "alice@example.com": { name: "Alice", n: 1 },
            "bob@example.com": { name: "Bob" },
          },
          mergeGlobalData: { ship: "May 15", name: "Default" },
          mergeMetadata: { "alice@example.com": { uid: 1 }, "bob@example.com": { uid: "b" } },
          metadata: { m: "g" },
        },
        { mergeFieldFormat: "-{}-" },
      );
      // oracle case s2
      expect(withoutIds(body)).to.deep.equal({
        personalizations: [
          {
            to: [{ email: "alice@example.com" }],
            cc: [{ email: "cc@example.com" }],
            dynamic_template_data: { ship: "May 15", name: "Alice", n: 1 },
            custom_args: { uid: "1" },
          },
          {
            to: [{ email: "bob@example.com", name: "Bob" }],
            cc: [{ email: "cc@example.com" }],
            dynamic_template_data: { ship: "May 15", name: "Bob" },
            custom_args: { uid: "b" },
          },
        ],
        from: { email: "from@example.com" },
        custom_args: { m: "g" },
        template_id: "d-5a963add2ec84305813ff860db277d7a",
      });
      const [alice, bob] = body.personalizations.map((p) => p.custom_args?.anymail_id);
      expect(alice).to.match(UUID);
      expect(bob).to.match(UUID);
      expect(alice).to.not.equal(bob);
      expect(status.recipients["alice@example.com"].messageId).to.equal(alice);
      expect(status.recipients["bob@example.com"].messageId).to.equal(bob);
      // cc gets every copy; like 9.0 it reports the last personalization's id
      expect(status.recipients["cc@example.com"].messageId).to.equal(bob);
      expect(status.messageId).to.deep.equal(new Set([alice, bob]));
    });

    it("[SG-22] [SG-24] [SG-28] [SG-06] legacy template batch: formatted substitutions, global data included", async () => {
      const { body } = await sent({
        to: ["alice@example.com", "bob@example.com"],
        templateId: "5997fcf6-2b9f-484d-acd5-7e9a99f0dc1f",
        subject: "",
        text: "",
        mergeData: {
          "alice@example.com": { name: "Alice", n: 1 },
          "bob@example.com": { name: "Bob" },
        },
        mergeGlobalData: { ship: "May 15", name: "Default" },
        espExtra: { merge_field_format: "-{}-" },
      });
      // oracle case s3 (which sends the number 1 as is; SendGrid wants strings)
      expect(withoutIds(body)).to.deep.equal({
        personalizations: [
          {
            to: [{ email: "alice@example.com" }],
            substitutions: { "-ship-": "May 15", "-name-": "Alice", "-n-": "1" },
          },
          {
            to: [{ email: "bob@example.com" }],
            substitutions: { "-ship-": "May 15", "-name-": "Bob" },
          },
        ],
        from: { email: "from@example.com" },
        template_id: "5997fcf6-2b9f-484d-acd5-7e9a99f0dc1f",
      });
      expect(body).to.not.have.property("sections");
      expect(body).to.not.have.property("merge_field_format");
    });

    it("[SG-22] legacy template keys are used as given when no format is set", async () => {
      const { body } = await sent({
        to: ["alice@example.com"],
        templateId: "legacy-id",
        mergeData: { "alice@example.com": { ":name": "Alice" } },
      });
      expect(body.personalizations[0].substitutions).to.deep.equal({ ":name": "Alice" });
    });

    it("[SG-05] [SG-27] non-batch legacy template with global data, format from the setting", async () => {
      const { status, body } = await sent(
        {
          to: ["alice@example.com", "bob@example.com"],
          templateId: "legacy-id",
          subject: null,
          text: null,
          mergeGlobalData: { x: "y" },
        },
        { mergeFieldFormat: ":{}" },
      );
      // oracle case s6
      expect(withoutIds(body)).to.deep.equal({
        personalizations: [
          {
            to: [{ email: "alice@example.com" }, { email: "bob@example.com" }],
            substitutions: { ":x": "y" },
          },
        ],
        from: { email: "from@example.com" },
        template_id: "legacy-id",
      });
      expect(status.messageId).to.match(UUID);
    });

    it("[SG-05] mergeFieldFormat also reads ANYMAIL_SENDGRID_MERGE_FIELD_FORMAT", async () => {
      const { body } = await sent(
        { templateId: "legacy", mergeGlobalData: { x: "y" } },
        { env: { ANYMAIL_SENDGRID_MERGE_FIELD_FORMAT: "%{}%" } },
      );
      expect(body.personalizations[0].substitutions).to.deep.equal({ "%x%": "y" });
    });

    it("[SG-27] [SG-21] non-batch dynamic template to several recipients: one personalization", async () => {
      const { body } = await sent({
        to: ["alice@example.com", "bob@example.com"],
        templateId: "d-abc",
        subject: null,
        text: null,
        mergeGlobalData: { x: "y" },
      });
      // oracle case s5
      expect(withoutIds(body)).to.deep.equal({
        personalizations: [
          {
            to: [{ email: "alice@example.com" }, { email: "bob@example.com" }],
            dynamic_template_data: { x: "y" },
          },
        ],
        from: { email: "from@example.com" },
        template_id: "d-abc",
      });
    });

    it("[SG-07] mergeFieldFormat is not applied to dynamic template data", async () => {
      const { body } = await sent(
        { templateId: "d-abc", mergeGlobalData: { x: "y" } },
        { mergeFieldFormat: "-{}-" },
      );
      expect(body.personalizations[0].dynamic_template_data).to.deep.equal({ x: "y" });
    });

    it("[SG-26] on-the-fly template: merge fields in subject and body, format from espExtra", async () => {
      const { body } = await sent({
        to: ["alice@example.com", "bob@example.com"],
        subject: "Your order {{order_no}} has shipped",
        text: "Dear {{name}}",
        mergeData: {
          "alice@example.com": { name: "Alice", order_no: "12345" },
          "bob@example.com": { name: "Bob", order_no: "54321" },
        },
        espExtra: { merge_field_format: "{{{{{}}}}}" },
      });
      // oracle case s4
      expect(withoutIds(body)).to.deep.equal({
        personalizations: [
          {
            to: [{ email: "alice@example.com" }],
            substitutions: { "{{name}}": "Alice", "{{order_no}}": "12345" },
          },
          {
            to: [{ email: "bob@example.com" }],
            substitutions: { "{{name}}": "Bob", "{{order_no}}": "54321" },
          },
        ],
        from: { email: "from@example.com" },
        subject: "Your order {{order_no}} has shipped",
        content: [{ type: "text/plain", value: "Dear {{name}}" }],
      });
    });

    it("[SG-25] a template send with only an html body sends no empty text part", async () => {
      const { body } = await sent({
        templateId: "legacy",
        subject: null,
        text: "",
        html: "<p>x</p>",
      });
      // oracle case s10
      expect(body.content).to.deep.equal([{ type: "text/html", value: "<p>x</p>" }]);
      expect(body).to.not.have.property("subject");
    });
  });

  describe("SendGrid API errors", () => {
    it("a 400 raises AnymailAPIError carrying SendGrid's errors", async () => {
      server().respond(400, { errors: [{ message: "bad", field: "from" }] });
      const error = await rejectionOf(sent({}));
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect((error as AnymailAPIError).statusCode).to.equal(400);
      expect((error as Error).message).to.contain("bad");
      expect((error as Error).message).to.not.contain("SG.test-api-key");
    });
  });

  describe("SendGrid serialization", () => {
    it("espExtra that JSON cannot carry raises AnymailSerializationError, nothing sent", async () => {
      const error = await rejectionOf(sent({ espExtra: { asm: { group_id: 10n } } }));
      expect(error).to.be.instanceOf(AnymailSerializationError);
      expect(server().requests).to.have.length(0);
    });
  });

  describe("SendGrid configuration", () => {
    it("[SG-02] apiKey is required, naming both env vars", () => {
      expect(() => createSender("sendgrid", { env: {} }))
        .to.throw(AnymailConfigurationError)
        .with.property("message")
        .that.contains("ANYMAIL_SENDGRID_API_KEY")
        .and.contains("SENDGRID_API_KEY");
    });

    it("[SG-02] apiKey comes from ANYMAIL_SENDGRID_API_KEY before SENDGRID_API_KEY", async () => {
      const make = (env: Record<string, string>) =>
        createSender("sendgrid", { apiUrl: `${server().url}/v3/`, env }).send({
          from: "f@example.com",
          to: "t@example.com",
          subject: "s",
          text: "t",
        });
      await make({ SENDGRID_API_KEY: "SG.plain" });
      expect(server().last().headers.authorization).to.equal("Bearer SG.plain");
      await make({ SENDGRID_API_KEY: "SG.plain", ANYMAIL_SENDGRID_API_KEY: "SG.prefixed" });
      expect(server().last().headers.authorization).to.equal("Bearer SG.prefixed");
    });

    it("[SG-08] apiUrl defaults to https://api.sendgrid.com/v3/, and a missing slash is added", async () => {
      expect(sendgridEsp.settings.apiUrl.default).to.equal("https://api.sendgrid.com/v3/");
      await sent({}, { apiUrl: `${server().url}/v3` });
      expect(server().last().path).to.equal("/v3/mail/send");
    });
  });

  describe("SendGrid mergeFieldFormat", () => {
    it("[SG-05] {} is the field, doubled braces are literal", () => {
      expect(compileMergeFieldFormat("-{}-", "SendGrid")("name")).to.equal("-name-");
      expect(compileMergeFieldFormat("{{{{{}}}}}", "SendGrid")("name")).to.equal("{{name}}");
      expect(compileMergeFieldFormat("{0}!", "SendGrid")("name")).to.equal("name!");
      expect(compileMergeFieldFormat("plain", "SendGrid")("name")).to.equal("plain");
    });

    it("[SG-05] other placeholders and lone braces are configuration errors", () => {
      for (const format of ["{name}", "{", "a}b", "{{}"]) {
        expect(() => compileMergeFieldFormat(format, "SendGrid"), format).to.throw(
          AnymailConfigurationError,
        );
      }
    });
  });
});
