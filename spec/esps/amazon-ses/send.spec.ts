import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailImproperlyInstalled,
  AnymailUnsupportedFeature,
} from "../../../lib/errors.js";
import { adapter as amazonSes } from "../../../lib/esps/amazon-ses/index.js";
import { assertPeerInstalled, importPeer, USER_AGENT } from "../../../lib/esps/amazon-ses/aws.js";
import { createSender } from "../../../lib/index.js";
import { decodeMimeWords } from "../../../lib/util/mime-words.js";
import type { AnymailMessage, NormalizedMessage } from "../../../lib/sender/message.js";
import type { SendResult } from "../../../lib/esps/types.js";
import {
  loopbackClientParams,
  sesError,
  startAwsLoopback,
  type AwsLoopback,
  type AwsRequest,
} from "./aws-loopback.js";
import { addr, normalized, originalOf, sendContext } from "./send-context.js";

// aws-ses-v2-local is CommonJS with an `exports.default` function
const { default: startSesEmulator } = createRequire(import.meta.url)("aws-ses-v2-local") as {
  default: (config?: { host?: string; port?: number }) => Promise<Server>;
};

interface EmulatorEmail {
  messageId: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
}

describe("Amazon SES sending", function () {
  let emulator: Server;
  let emulatorUrl: string;
  let aws: AwsLoopback;

  before(async function () {
    emulator = await startSesEmulator({ host: "127.0.0.1", port: 0 });
    emulatorUrl = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
  });
  after(async function () {
    emulator.closeAllConnections();
    await new Promise((resolve) => emulator.close(resolve));
  });
  beforeEach(async function () {
    aws = await startAwsLoopback(emulatorUrl);
  });
  afterEach(async function () {
    await aws.close();
  });

  // these tests are of the 8.1 spec's v1 API; SES v2 (the default) is in send-v2.spec.ts
  function settings(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { apiVersion: 1, clientParams: loopbackClientParams(aws.url), ...extra };
  }

  async function send(
    message: NormalizedMessage,
    extraSettings: Record<string, unknown> = {},
    options: { original?: AnymailMessage; ignoreUnsupportedFeatures?: boolean } = {},
  ): Promise<SendResult> {
    const ctx = sendContext(settings(extraSettings), {
      original: options.original ?? originalOf(message),
      ignoreUnsupportedFeatures: options.ignoreUnsupportedFeatures,
    });
    return amazonSes.send!(message, ctx);
  }

  function lastCall(): AwsRequest {
    expect(aws.requests).to.have.length.greaterThan(0);
    return aws.requests[aws.requests.length - 1];
  }

  async function sentMime(): Promise<{ raw: string; parsed: ParsedMail }> {
    const raw = Buffer.from(lastCall().params["RawMessage.Data"], "base64").toString("latin1");
    return { raw, parsed: await simpleParser(Buffer.from(raw, "latin1")) };
  }

  async function emulatorStore(): Promise<EmulatorEmail[]> {
    const response = await fetch(`${emulatorUrl}/store`);
    return ((await response.json()) as { emails: EmulatorEmail[] }).emails;
  }

  describe("Amazon SES standard message", function () {
    it("[SES-01] [SES-11] sends one SendRawEmail call carrying the whole MIME message", async function () {
      const result = await send(
        normalized({
          from: addr("from@example.com", "From Name"),
          to: [addr("to@example.com", "Recipient, Esq."), addr("to2@example.com")],
          cc: [addr("cc@example.com")],
          subject: "Hello",
          text: "Text body",
          html: "<p>HTML body</p>",
          replyTo: [addr("reply@example.com")],
          headers: { "X-Custom": "custom value" },
        }),
      );
      expect(aws.requests).to.have.length(1);
      const { params } = lastCall();
      expect(params.Action).to.equal("SendRawEmail");
      expect(params.Version).to.equal("2010-12-01");
      expect(params).not.to.have.property("Source");
      expect(params).not.to.have.property("ConfigurationSetName");
      expect(params).not.to.have.property("Tags.member.1.Name");
      expect(params["Destinations.member.1"]).to.equal("to@example.com");
      expect(params["Destinations.member.2"]).to.equal("to2@example.com");
      expect(params["Destinations.member.3"]).to.equal("cc@example.com");

      const { parsed } = await sentMime();
      expect(parsed.from?.text).to.equal('"From Name" <from@example.com>');
      expect(parsed.to).to.deep.include({
        text: '"Recipient, Esq." <to@example.com>, to2@example.com',
      });
      expect(parsed.subject).to.equal("Hello");
      expect(parsed.text?.trim()).to.equal("Text body");
      expect(parsed.html).to.equal("<p>HTML body</p>");
      expect(parsed.replyTo?.text).to.equal("reply@example.com");
      expect(parsed.headers.get("x-custom")).to.equal("custom value");

      const stored = await emulatorStore();
      const email = stored.find((e) => e.subject === "Hello");
      expect(email, "the emulator accepted the message").not.to.equal(undefined);
      const messageId = email!.messageId;
      expect(result.recipients).to.deep.equal({
        "to@example.com": { status: "queued", messageId },
        "to2@example.com": { status: "queued", messageId },
        "cc@example.com": { status: "queued", messageId },
      });
      expect(result.espResponse).to.have.property("MessageId", messageId);
    });

    it("[SES-23] delivers bcc through Destinations, never as a Bcc header", async function () {
      const result = await send(
        normalized({ bcc: [addr("hidden@example.com", "Hidden")], subject: "bcc test" }),
      );
      const { params } = lastCall();
      expect(params["Destinations.member.1"]).to.equal("to@example.com");
      expect(params["Destinations.member.2"]).to.equal("hidden@example.com");
      const { raw, parsed } = await sentMime();
      expect(raw).not.to.match(/^bcc:/im);
      expect(raw).not.to.contain("hidden@example.com");
      expect(parsed.bcc).to.equal(undefined);
      expect(result.recipients["hidden@example.com"].status).to.equal("queued");
    });

    it("[SES-13] [SES-14] sends metadata as JSON in X-Metadata and each tag in its own X-Tag", async function () {
      await send(
        normalized({ metadata: { userId: "8675309", nested: { a: 1 } }, tags: ["welcome", "Été"] }),
      );
      const { parsed, raw } = await sentMime();
      expect(raw).to.match(/^X-Metadata: \{"userId":"8675309","nested":\{"a":1\}\}\r$/m);
      expect(JSON.parse(String(parsed.headers.get("x-metadata")))).to.deep.equal({
        userId: "8675309",
        nested: { a: 1 },
      });
      const tags = parsed.headerLines
        .filter((line) => line.key === "x-tag")
        .map((line) => line.line.replace(/^X-Tag:\s*/i, ""));
      expect(tags).to.deep.equal(["welcome", "=?UTF-8?Q?=C3=89t=C3=A9?="]);
      expect(lastCall().params).not.to.have.property("Tags.member.1.Name");
    });

    it("[SES-15] uses envelopeSender as SendRawEmail's Source", async function () {
      await send(normalized({ envelopeSender: addr("bounces@bounce.example.com") }));
      expect(lastCall().params.Source).to.equal("bounces@bounce.example.com");
    });

    it("[SES-20] sends alternative parts of any type", async function () {
      await send(
        normalized({
          html: "<p>hi</p>",
          alternatives: [
            {
              content: "<!doctype html><html ⚡4email><body>amp</body></html>",
              contentType: "text/x-amp-html",
            },
            { content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR", contentType: "text/calendar" },
          ],
        }),
      );
      const { raw } = await sentMime();
      expect(raw).to.match(/Content-Type: multipart\/alternative/);
      expect(raw).to.match(/Content-Type: text\/x-amp-html/);
      expect(raw).to.match(/Content-Type: text\/calendar/);
      expect(raw).to.match(/Content-Type: text\/html/);
    });

    it("[SES-21] shows a spoofed To header while delivering to the `to` list", async function () {
      await send(
        normalized({
          to: [addr("real@example.com")],
          headers: { To: "Everyone <everyone@example.com>" },
        }),
      );
      expect(lastCall().params["Destinations.member.1"]).to.equal("real@example.com");
      expect(lastCall().params).not.to.have.property("Destinations.member.2");
      const { parsed, raw } = await sentMime();
      expect(parsed.to).to.deep.include({
        value: [{ address: "everyone@example.com", name: "Everyone" }],
      });
      expect(raw).not.to.contain("real@example.com");
    });

    it("[SES-22] allows several From addresses, giving SES the first as Source", async function () {
      const from = addr("one@example.com", "One");
      await send(normalized({ from, fromAll: [from, addr("two@example.com")] }));
      expect(lastCall().params.Source).to.equal("one@example.com");
      const { parsed } = await sentMime();
      expect(parsed.from?.value.map((a) => a.address)).to.deep.equal([
        "one@example.com",
        "two@example.com",
      ]);
    });

    it("[SES-24] sends non-ASCII bodies quoted-printable (never 8bit), intact after decoding", async function () {
      const text = "Ünïcödé text — naïve café ☕";
      const html = "<p>Ünïcödé <b>HTML</b> ☕</p>";
      await send(normalized({ subject: "Ünïcödé", text, html }));
      const { raw, parsed } = await sentMime();
      expect(raw).not.to.match(/Content-Transfer-Encoding: 8bit/i);
      expect(raw).to.match(/Content-Transfer-Encoding: quoted-printable/i);
      expect(
        [...raw].every((ch) => ch.charCodeAt(0) < 0x80),
        "the MIME is 7-bit clean",
      ).to.equal(true);
      expect(parsed.text?.trim()).to.equal(text);
      expect(parsed.html).to.equal(html);
      expect(parsed.subject).to.equal("Ünïcödé");
    });

    it("sends attachments and inline images", async function () {
      const png = Buffer.from("89504e470d0a1a0a", "hex");
      await send(
        normalized({
          html: '<img src="cid:logo@example">',
          attachments: [
            {
              filename: "report.pdf",
              content: Buffer.from("%PDF-1.4"),
              contentType: "application/pdf",
              cid: null,
              inline: false,
              headers: {},
            },
            {
              filename: null,
              content: png,
              contentType: "image/png",
              cid: "logo@example",
              inline: true,
              headers: {},
            },
          ],
        }),
      );
      const { parsed } = await sentMime();
      const pdf = parsed.attachments.find((a) => a.filename === "report.pdf");
      expect(pdf?.contentType).to.equal("application/pdf");
      expect(pdf?.contentDisposition).to.equal("attachment");
      expect(pdf?.content.toString()).to.equal("%PDF-1.4");
      const logo = parsed.attachments.find((a) => a.cid === "logo@example");
      expect(logo?.contentDisposition).to.equal("inline");
      expect(logo?.content.equals(png)).to.equal(true);
    });

    it("sends IDN recipient domains to SES in Punycode", async function () {
      await send(normalized({ to: [addr("user@bücher.example")] }));
      expect(lastCall().params["Destinations.member.1"]).to.equal("user@xn--bcher-kva.example");
    });

    it("[SES-10] [#17-11] marks AWS requests with anymail/<version> (amazon_ses), after the SDK's own token", async function () {
      await send(normalized());
      expect(USER_AGENT).to.match(/^anymail\/\d+\.\d+\.\d+ \(amazon_ses\)$/);
      const headers = lastCall().headers;
      expect(headers["user-agent"]).to.match(/^aws-sdk-js\/\S+ /);
      const agent = String(headers["user-agent"]);
      expect(agent.endsWith(` ${USER_AGENT}`), agent).to.equal(true);
      // the SDK's customUserAgent takes only name/version pairs: AWS's own header has the pair
      expect(headers["x-amz-user-agent"]).to.match(/ anymail\/\d+\.\d+\.\d+$/);
    });

    it("[#17-11] a caller's customUserAgent is kept, anymail's token last", async function () {
      await send(normalized(), {
        clientParams: { ...loopbackClientParams(aws.url), customUserAgent: "my-app/2.0" },
      });
      const agent = String(lastCall().headers["user-agent"]);
      expect(agent).to.contain(" my-app/2.0 ");
      expect(agent.endsWith(` ${USER_AGENT}`), agent).to.equal(true);
    });
  });

  describe("Amazon SES Anymail features", function () {
    it("[SES-06] sends every message with configurationSetName; espExtra overrides it", async function () {
      await send(normalized(), { configurationSetName: "TrackingConfigSet" });
      expect(lastCall().params.ConfigurationSetName).to.equal("TrackingConfigSet");
      await send(normalized({ espExtra: { ConfigurationSetName: "NoTracking" } }), {
        configurationSetName: "TrackingConfigSet",
      });
      expect(lastCall().params.ConfigurationSetName).to.equal("NoTracking");
    });

    it("[SES-07] sends the single tag as an SES Message Tag named by messageTagName", async function () {
      await send(normalized({ tags: ["Marketing"] }), { messageTagName: "Type" });
      const { params } = lastCall();
      expect(params["Tags.member.1.Name"]).to.equal("Type");
      expect(params["Tags.member.1.Value"]).to.equal("Marketing");
      expect(params).not.to.have.property("Tags.member.2.Name");
      const { parsed } = await sentMime();
      expect(parsed.headers.get("x-tag")).to.equal("Marketing");
    });

    it("[SES-08] with messageTagName, two tags or a tag outside A-Z a-z 0-9 _ - are unsupported", async function () {
      const ctx = () =>
        sendContext(settings({ messageTagName: "Type" }), { original: originalOf(normalized()) });
      let error: unknown = null;
      await amazonSes.send!(normalized({ tags: ["One", "Two"] }), ctx()).catch((e) => (error = e));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(String(error)).to.contain("multiple tags");
      error = null;
      await amazonSes.send!(normalized({ tags: ["has space"] }), ctx()).catch((e) => (error = e));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(String(error)).to.contain('tag "has space"');
      expect(aws.requests).to.have.length(0);

      await send(
        normalized({ tags: ["One", "Two"] }),
        { messageTagName: "Type" },
        {
          ignoreUnsupportedFeatures: true,
        },
      );
      expect(lastCall().params["Tags.member.1.Value"]).to.equal("One");
    });

    it("[SES-08] rejects a messageTagName outside A-Z a-z 0-9 _ - as a configuration error", async function () {
      let error: unknown = null;
      await send(normalized({ tags: ["ok"] }), { messageTagName: "bad name" }).catch(
        (e) => (error = e),
      );
      expect(error).to.be.instanceOf(AnymailConfigurationError);
    });

    it("[SES-25] merges espExtra into the SendRawEmail parameters", async function () {
      await send(
        normalized({
          espExtra: {
            SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            Tags: [
              { Name: "UserID", Value: "123" },
              { Name: "TestVariation", Value: "Subject-Emoji-Trial-A" },
            ],
          },
        }),
      );
      const { params } = lastCall();
      expect(params.SourceArn).to.equal("arn:aws:ses:us-east-1:123456789012:identity/example.com");
      expect(params["Tags.member.1.Name"]).to.equal("UserID");
      expect(params["Tags.member.2.Value"]).to.equal("Subject-Emoji-Trial-A");
    });

    it("[SES-19] a standard field supplied only by send defaults is unsupported", async function () {
      const message = normalized({ bcc: [addr("default-bcc@example.com")] });
      const original = { ...originalOf(message), bcc: undefined };
      let error: unknown = null;
      await send(message, {}, { original }).catch((e) => (error = e));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(String(error)).to.contain('send defaults for "bcc"');
      expect(aws.requests).to.have.length(0);
      // a Reply-To given as a header is the caller's own, not a default
      const replying = normalized({ replyTo: [addr("r@example.com")] });
      await send(
        replying,
        {},
        {
          original: {
            ...originalOf(replying),
            replyTo: undefined,
            headers: { "Reply-To": "r@example.com" },
          },
        },
      );
      expect(aws.requests).to.have.length(1);
    });

    it("[SES-16] [SES-17] [SES-18] declares tracking overrides and sendAt unsupported; v1 refuses mergeMetadata", async function () {
      for (const fields of [
        { mergeMetadata: { "to@example.com": { a: "1" } } },
        {
          templateId: "T",
          subject: null,
          text: null,
          mergeMetadata: { "to@example.com": { a: "1" } },
        },
        { mergeHeaders: { "to@example.com": { "X-A": "1" } } },
      ]) {
        let error: unknown = null;
        await send(normalized({ to: [addr("to@example.com")], ...fields })).catch(
          (e) => (error = e),
        );
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
        expect(String(error), String(error)).to.contain("with apiVersion 1");
      }
      expect(aws.requests).to.have.length(0);
      expect(amazonSes.features).to.include({
        trackOpens: false,
        trackClicks: false,
        sendAt: false,
        alternatives: true,
        spoofedTo: true,
        multipleFrom: true,
        envelopeSender: true,
      });
    });

    it("mergeData or mergeGlobalData without templateId are unsupported", async function () {
      for (const fields of [
        { mergeData: { "to@example.com": { a: 1 } } },
        { mergeGlobalData: { a: 1 } },
      ]) {
        let error: unknown = null;
        await send(normalized(fields)).catch((e) => (error = e));
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      }
    });
  });

  describe("Amazon SES templates", function () {
    function bulkAnswer(...members: string[]) {
      return {
        status: 200,
        body:
          `<SendBulkTemplatedEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">` +
          `<SendBulkTemplatedEmailResult><Status>${members.join("")}</Status>` +
          `</SendBulkTemplatedEmailResult><ResponseMetadata><RequestId>r-1</RequestId>` +
          `</ResponseMetadata></SendBulkTemplatedEmailResponse>`,
      };
    }
    const success = (id: string) =>
      `<member><Status>Success</Status><MessageId>${id}</MessageId></member>`;
    const failure = `<member><Status>MessageRejected</Status><Error>Email address is not verified.</Error></member>`;

    function templated(fields: Partial<NormalizedMessage> = {}): NormalizedMessage {
      return normalized({
        subject: null,
        text: null,
        templateId: "MyTemplateName",
        to: [addr("alice@example.com"), addr("bob@example.com", "Bob")],
        ...fields,
      });
    }

    it("[SES-27] [SES-28] sends SendBulkTemplatedEmail with one destination per `to`", async function () {
      aws.respondOnce(bulkAnswer(success("id-alice"), failure));
      const result = await send(
        templated({
          from: addr("shipping@example.com", "Shipping Dept"),
          cc: [addr("cc@example.com")],
          bcc: [addr("bcc@example.com")],
          replyTo: [addr("reply@example.com")],
          envelopeSender: addr("bounce@example.com"),
          mergeData: {
            "alice@example.com": { name: "Alice", order_no: "12345" },
            "bob@example.com": { name: "Bob", order_no: "54321" },
          },
          mergeGlobalData: { ship_date: "May 15" },
        }),
        { configurationSetName: "TrackingConfigSet" },
      );
      const { params } = lastCall();
      expect(params).to.deep.equal({
        Action: "SendBulkTemplatedEmail",
        Version: "2010-12-01",
        Source: '"Shipping Dept" <shipping@example.com>'.replace(/"/g, ""),
        ConfigurationSetName: "TrackingConfigSet",
        "ReplyToAddresses.member.1": "reply@example.com",
        ReturnPath: "bounce@example.com",
        Template: "MyTemplateName",
        DefaultTemplateData: '{"ship_date":"May 15"}',
        "Destinations.member.1.Destination.ToAddresses.member.1": "alice@example.com",
        "Destinations.member.1.Destination.CcAddresses.member.1": "cc@example.com",
        "Destinations.member.1.Destination.BccAddresses.member.1": "bcc@example.com",
        "Destinations.member.1.ReplacementTemplateData": '{"name":"Alice","order_no":"12345"}',
        "Destinations.member.2.Destination.ToAddresses.member.1": "Bob <bob@example.com>",
        "Destinations.member.2.Destination.CcAddresses.member.1": "cc@example.com",
        "Destinations.member.2.Destination.BccAddresses.member.1": "bcc@example.com",
        "Destinations.member.2.ReplacementTemplateData": '{"name":"Bob","order_no":"54321"}',
      });
      expect(result.recipients).to.deep.equal({
        "alice@example.com": { status: "queued", messageId: "id-alice" },
        "bob@example.com": { status: "failed", messageId: null },
      });
    });

    it("[#17-7] keeps display names in every Destinations address list, RFC 2047 for non-ASCII", async function () {
      aws.respondOnce(bulkAnswer(success("id-1"), success("id-2")));
      await send(
        templated({
          to: [addr("jurgen@example.com", "Müller, Jürgen"), addr("smith@example.com", "Smith, J")],
          cc: [addr("cc@bücher.example", "Zoë")],
          bcc: [addr("bcc@example.com", "Blind Copy")],
        }),
      );
      const { params } = lastCall();
      const first = params["Destinations.member.1.Destination.ToAddresses.member.1"];
      expect(first).to.match(/^=\?UTF-8\?B\?\S+\?= <jurgen@example\.com>$/);
      expect(decodeMimeWords(first.split(" <")[0])).to.equal("Müller, Jürgen");
      expect(params["Destinations.member.2.Destination.ToAddresses.member.1"]).to.equal(
        '"Smith, J" <smith@example.com>',
      );
      const cc = params["Destinations.member.1.Destination.CcAddresses.member.1"];
      expect(decodeMimeWords(cc.split(" <")[0])).to.equal("Zoë");
      expect(cc.endsWith(" <cc@xn--bcher-kva.example>")).to.equal(true);
      expect(params["Destinations.member.2.Destination.BccAddresses.member.1"]).to.equal(
        "Blind Copy <bcc@example.com>",
      );
    });

    it("[SES-28] sends empty template data when there is no merge data (SES requires DefaultTemplateData)", async function () {
      aws.respondOnce(bulkAnswer(success("a"), success("b")));
      await send(templated({ from: addr("Jürgen@example.com", "Jürgen Müller") }));
      const { params } = lastCall();
      expect(params.DefaultTemplateData).to.equal("{}");
      expect(params["Destinations.member.1.ReplacementTemplateData"]).to.equal("{}");
      expect(params.Source).to.match(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <Jürgen@example.com>$/);
    });

    const unsupportedCases: [string, Partial<NormalizedMessage>, string][] = [
      [
        "[SES-29] attachments",
        {
          attachments: [
            {
              filename: "a.txt",
              content: Buffer.from("a"),
              contentType: "text/plain",
              cid: null,
              inline: false,
              headers: {},
            },
          ],
        },
        "attachments with template",
      ],
      ["[SES-30] extra headers", { headers: { "X-Custom": "1" } }, "extra headers with template"],
      ["[SES-31] a subject", { subject: "Override" }, "overriding template subject"],
      ["[SES-31] a text body", { text: "Override" }, "overriding template body content"],
      ["[SES-31] an html body", { html: "<p>Override</p>" }, "overriding template body content"],
      ["[SES-32] metadata", { metadata: { a: "b" } }, "metadata with template"],
      ["[SES-33] tags without messageTagName", { tags: ["t"] }, "tags with template"],
    ];
    for (const [title, fields, feature] of unsupportedCases) {
      it(`${title} with templateId throw AnymailUnsupportedFeature`, async function () {
        let error: unknown = null;
        await send(templated(fields)).catch((e) => (error = e));
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
        expect(String(error)).to.contain(feature);
        expect(aws.requests).to.have.length(0);
      });
    }

    it("[SES-33] with messageTagName, the one tag becomes DefaultTags", async function () {
      aws.respondOnce(bulkAnswer(success("a"), success("b")));
      await send(templated({ tags: ["Receipt"] }), { messageTagName: "Type" });
      const { params } = lastCall();
      expect(params["DefaultTags.member.1.Name"]).to.equal("Type");
      expect(params["DefaultTags.member.1.Value"]).to.equal("Receipt");
    });

    it("[SES-34] merges espExtra (e.g. Tags per destination defaults) into the call", async function () {
      aws.respondOnce(bulkAnswer(success("a"), success("b")));
      await send(
        templated({
          espExtra: { DefaultTags: [{ Name: "UserID", Value: "42" }], TemplateArn: "arn:x" },
        }),
      );
      const { params } = lastCall();
      expect(params["DefaultTags.member.1.Name"]).to.equal("UserID");
      expect(params.TemplateArn).to.equal("arn:x");
    });

    it("a status count that does not match the destinations is an AnymailAPIError", async function () {
      aws.respondOnce(bulkAnswer(success("a")));
      let error: unknown = null;
      await send(templated()).catch((e) => (error = e));
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(String(error)).to.contain("1 statuses for 2 destinations");
    });
  });

  describe("Amazon SES API errors", function () {
    it("[SES-12] a throttled send is an AnymailAPIError with the AWS code and message", async function () {
      aws.respondOnce(sesError("Throttling", "Maximum sending rate exceeded."));
      let error: unknown = null;
      await send(normalized()).catch((e) => (error = e));
      expect(error).to.be.instanceOf(AnymailAPIError);
      const apiError = error as AnymailAPIError;
      expect(apiError.message).to.equal(
        "Amazon SES SendRawEmail failed: Throttling: Maximum sending rate exceeded.",
      );
      expect(apiError.statusCode).to.equal(400);
      expect(apiError.espName).to.equal("Amazon SES");
      expect(apiError.response).to.deep.include({ code: "Throttling" });
      expect(apiError.message).not.to.contain("loopback-secret-key");
    });

    it("[SES-12] a rejected message is an AnymailAPIError", async function () {
      aws.respondOnce(sesError("MessageRejected", "Email address is not verified."));
      let error: unknown = null;
      await send(normalized()).catch((e) => (error = e));
      expect(String(error)).to.contain("MessageRejected: Email address is not verified.");
    });

    it("[SES-04] a server that never answers fails after the clientParams request timeout", async function () {
      this.timeout(5000);
      aws.hangOnce();
      const started = Date.now();
      let error: unknown = null;
      await send(normalized()).catch((e) => (error = e));
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect(Date.now() - started).to.be.lessThan(4000);
    });
  });

  describe("Amazon SES configuration", function () {
    it("[SES-04] clientParams set region and credentials of the SES client", async function () {
      await send(normalized(), {
        clientParams: { ...loopbackClientParams(aws.url), region: "eu-west-2" },
      });
      const authorization = String(lastCall().headers.authorization);
      expect(authorization).to.match(
        /^AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK\/\d{8}\/eu-west-2\/ses\/aws4_request/,
      );
    });

    it("[SES-05] sessionParams select a named profile of the shared credentials file", async function () {
      const dir = mkdtempSync(join(tmpdir(), "anymail-ses-"));
      const file = join(dir, "credentials");
      writeFileSync(
        file,
        "[anymail-testing]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
      );
      const saved = process.env.AWS_SHARED_CREDENTIALS_FILE;
      process.env.AWS_SHARED_CREDENTIALS_FILE = file;
      try {
        const { credentials: _omit, ...params } = loopbackClientParams(aws.url);
        await send(normalized(), {
          clientParams: params,
          sessionParams: { profile: "anymail-testing" },
        });
      } finally {
        if (saved === undefined) delete process.env.AWS_SHARED_CREDENTIALS_FILE;
        else process.env.AWS_SHARED_CREDENTIALS_FILE = saved;
      }
      expect(String(lastCall().headers.authorization)).to.contain("Credential=AKIDPROFILE/");
    });

    it("[SES-03] without credentials in the options, the SDK's default chain (env) supplies them", async function () {
      const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
      process.env.AWS_ACCESS_KEY_ID = "AKIDFROMENV";
      process.env.AWS_SECRET_ACCESS_KEY = "env-secret";
      try {
        const { credentials: _omit, ...params } = loopbackClientParams(aws.url);
        await send(normalized(), { clientParams: params });
      } finally {
        for (const [name, value] of [
          ["AWS_ACCESS_KEY_ID", saved.id],
          ["AWS_SECRET_ACCESS_KEY", saved.key],
        ] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
      expect(String(lastCall().headers.authorization)).to.contain("Credential=AKIDFROMENV/");
    });

    it("[SES-02] a missing AWS SDK is AnymailImproperlyInstalled saying what to install", async function () {
      let error: unknown = null;
      await importPeer("@aws-sdk/client-not-installed", "sending").catch((e) => (error = e));
      expect(error).to.be.instanceOf(AnymailImproperlyInstalled);
      expect(String(error)).to.contain("npm install @aws-sdk/client-not-installed");
    });

    it("[SES-02] an injected SDK module is used instead of importing one", async function () {
      const sdk = await import("@aws-sdk/client-ses");
      let constructed = 0;
      class CountingClient extends sdk.SESClient {
        constructor(...args: ConstructorParameters<typeof sdk.SESClient>) {
          super(...args);
          constructed += 1;
        }
      }
      const ctx = sendContext(settings({ sdk: { ses: { ...sdk, SESClient: CountingClient } } }), {
        original: originalOf(normalized()),
      });
      await amazonSes.send!(normalized(), ctx);
      await amazonSes.send!(normalized(), ctx);
      expect(constructed, "one client per sender").to.equal(1);
      expect(aws.requests).to.have.length(2);
    });
  });

  describe("Amazon SES through createSender", function () {
    function sender(options: Record<string, unknown> = {}) {
      return createSender("amazon_ses", {
        apiVersion: 1,
        clientParams: loopbackClientParams(aws.url),
        env: {},
        ...options,
      });
    }

    it('[SES-01] createSender("amazon_ses") sends and reports the SES MessageId', async function () {
      const message = {
        from: "Sender <from@example.com>",
        to: ["to@example.com"],
        bcc: "bcc@example.com",
        subject: "via createSender",
        text: "hi",
      };
      const status = await sender().send(message);
      expect([...(status.status ?? [])]).to.deep.equal(["queued"]);
      expect(status.recipients["bcc@example.com"].status).to.equal("queued");
      expect(status.messageId).to.be.a("string").that.has.length.greaterThan(10);
      expect(lastCall().params["Destinations.member.2"]).to.equal("bcc@example.com");
    });

    it("[SES-26] espExtra in send defaults applies to every message", async function () {
      const ses = sender({
        amazonSesSendDefaults: { espExtra: { ConfigurationSetName: "FromDefaults" } },
      });
      await ses.send({ from: "from@example.com", to: "to@example.com", subject: "s", text: "t" });
      expect(lastCall().params.ConfigurationSetName).to.equal("FromDefaults");
    });

    it("[SES-06] [SES-07] configurationSetName and messageTagName come from the env", async function () {
      const ses = sender({
        env: {
          ANYMAIL_AMAZON_SES_CONFIGURATION_SET_NAME: "EnvSet",
          ANYMAIL_AMAZON_SES_MESSAGE_TAG_NAME: "Type",
        },
      });
      await ses.send({
        from: "from@example.com",
        to: "to@example.com",
        subject: "s",
        text: "t",
        tags: ["Env"],
      });
      expect(lastCall().params).to.include({
        ConfigurationSetName: "EnvSet",
        "Tags.member.1.Name": "Type",
        "Tags.member.1.Value": "Env",
      });
    });

    it("[SES-19] a bcc from sendDefaults is unsupported", async function () {
      const ses = sender({ sendDefaults: { bcc: "audit@example.com" } });
      let error: unknown = null;
      await ses
        .send({ from: "from@example.com", to: "to@example.com", subject: "s", text: "t" })
        .catch((e) => (error = e));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(aws.requests).to.have.length(0);
    });

    const unsupported: [string, AnymailMessage][] = [
      ["[SES-16] mergeMetadata", { mergeMetadata: { "to@example.com": { a: "1" } } }],
      ["[SES-17] trackOpens", { trackOpens: true }],
      ["[SES-17] trackClicks", { trackClicks: false }],
      ["[SES-18] sendAt", { sendAt: new Date() }],
    ];
    for (const [title, fields] of unsupported) {
      it(`${title} throws AnymailUnsupportedFeature`, async function () {
        let error: unknown = null;
        await sender()
          .send({
            from: "from@example.com",
            to: "to@example.com",
            subject: "s",
            text: "t",
            ...fields,
          })
          .catch((e) => (error = e));
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
        expect(aws.requests).to.have.length(0);
      });
    }

    it('[SES-02] [CORE-81] [HOOK-06] without the AWS SDK: anymail and the router load, createSender("amazon_ses") says what to install', function () {
      this.timeout(20000);
      const run = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--import",
          "./spec/esps/amazon-ses/no-sdk/register.mjs",
          "spec/esps/amazon-ses/no-sdk/probe.ts",
        ],
        // no coverage from the child: its differently compiled sources would skew the report
        { encoding: "utf8", env: { ...process.env, NODE_V8_COVERAGE: "" } },
      );
      const line = run.stdout.trim().split("\n").pop() ?? "";
      expect(JSON.parse(line), run.stderr).to.deep.equal({
        router: "ok",
        createSender:
          "AnymailImproperlyInstalled: Amazon SES sending needs the optional package @aws-sdk/client-sesv2: " +
          "run `npm install @aws-sdk/client-sesv2` (or pass the module in the `sdk` option).",
        otherEsp: "ok",
        cause: "Error: Cannot find package '@aws-sdk/client-sesv2' (blocked by the test)",
      });
    });

    it("[SES-02] createSender checks the SES SDK is installed (and accepts an injected one)", function () {
      expect(() => assertPeerInstalled("@aws-sdk/client-not-installed", "sending")).to.throw(
        AnymailImproperlyInstalled,
        "npm install @aws-sdk/client-not-installed",
      );
      expect(() => sender()).not.to.throw();
    });
  });
});
