// Amazon SES v2 (#20), the default API: the real @aws-sdk/client-sesv2 client pointed at a
// recording loopback that forwards to aws-ses-v2-local (an emulator speaking SES v2's REST
// JSON protocol: POST /v2/email/outbound-emails and /outbound-bulk-emails), or answers canned.
import { expect } from "chai";
import { createRequire } from "node:module";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateEmailTemplateCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { simpleParser } from "mailparser";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailUnsupportedFeature,
} from "../../../lib/errors.js";
import { createSender } from "../../../lib/index.js";
import { USER_AGENT } from "../../../lib/esps/amazon-ses/aws.js";
import { decodeMimeWords } from "../../../lib/util/mime-words.js";
import { loopbackClientParams, startAwsLoopback, type AwsLoopback } from "./aws-loopback.js";

const { default: startSesEmulator } = createRequire(import.meta.url)("aws-ses-v2-local") as {
  default: (config?: { host?: string; port?: number }) => Promise<Server>;
};

describe("Amazon SES v2 sending (#20)", function () {
  let emulator: Server;
  let emulatorUrl: string;
  let aws: AwsLoopback;

  before(async function () {
    emulator = await startSesEmulator({ host: "127.0.0.1", port: 0 });
    emulatorUrl = `http://127.0.0.1:${(emulator.address() as AddressInfo).port}`;
    // the template is created through the SDK too (the emulator wants signed requests)
    const client = new SESv2Client(loopbackClientParams(emulatorUrl));
    await client.send(
      new CreateEmailTemplateCommand({
        TemplateName: "OrderShipped",
        TemplateContent: { Subject: "Order {{order}}", Text: "Hi {{name}}, shipped {{date}}" },
      }),
    );
    client.destroy();
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

  function sender(options: Record<string, unknown> = {}) {
    return createSender("amazon_ses", {
      clientParams: loopbackClientParams(aws.url),
      env: {},
      ...options,
    });
  }

  function lastJson(): Record<string, unknown> {
    const request = aws.requests.at(-1);
    if (!request) throw new Error("no AWS request");
    return JSON.parse(request.body.toString("utf8")) as Record<string, unknown>;
  }

  const jsonAnswer = (body: unknown, status = 200) => ({
    status,
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

  it("[#20] [SES-01] sends SendEmail with the raw MIME message; bcc only in the Destination", async function () {
    const status = await sender().send({
      from: "Sender <from@example.com>",
      to: ["Jürgen <to@example.com>"],
      cc: "cc@example.com",
      bcc: "bcc@example.com",
      subject: "Grüße",
      text: "Hallo",
      metadata: { order: "1234" },
      tags: ["receipt"],
    });
    const request = aws.requests.at(-1);
    expect(request?.method).to.equal("POST");
    expect(request?.path).to.equal("/v2/email/outbound-emails");
    expect(String(request?.headers["user-agent"]).endsWith(` ${USER_AGENT}`)).to.equal(true);
    const body = lastJson() as {
      Destination: Record<string, string[]>;
      Content: { Raw: { Data: string } };
    };
    expect(body.Destination).to.deep.equal({
      ToAddresses: ["to@example.com"],
      CcAddresses: ["cc@example.com"],
      BccAddresses: ["bcc@example.com"],
    });
    const mime = await simpleParser(Buffer.from(body.Content.Raw.Data, "base64"));
    expect(mime.subject).to.equal("Grüße");
    expect(mime.headers.get("bcc")).to.equal(undefined);
    expect(mime.headers.get("x-metadata")).to.equal('{"order":"1234"}');
    expect(mime.headers.get("x-tag")).to.equal("receipt");
    expect(mime.to && !Array.isArray(mime.to) ? mime.to.value[0].name : null).to.equal("Jürgen");
    expect(status.messageId).to.match(/^ses-/);
    expect(Object.keys(status.recipients)).to.deep.equal([
      "to@example.com",
      "cc@example.com",
      "bcc@example.com",
    ]);
  });

  it("[#20] envelopeSender, configurationSetName, messageTagName and ListManagementOptions (espExtra)", async function () {
    await sender({ configurationSetName: "Tracking", messageTagName: "Type" }).send({
      from: "from@example.com",
      to: "to@example.com",
      subject: "s",
      text: "t",
      envelopeSender: "bounces@example.com",
      tags: ["receipt"],
      espExtra: { ListManagementOptions: { ContactListName: "News", TopicName: "Orders" } },
    });
    expect(lastJson()).to.deep.include({
      FeedbackForwardingEmailAddress: "bounces@example.com",
      ConfigurationSetName: "Tracking",
      EmailTags: [{ Name: "Type", Value: "receipt" }],
      ListManagementOptions: { ContactListName: "News", TopicName: "Orders" },
    });
  });

  it("[#20] [SES-27] a template is SendBulkEmail, one entry per to, rendered by the emulator", async function () {
    const status = await sender().send({
      from: "shipping@example.com",
      to: ["alice@example.com", "bob@example.com"],
      templateId: "OrderShipped",
      mergeData: {
        "alice@example.com": { name: "Alice", order: "1" },
        "bob@example.com": { name: "Bob", order: "2" },
      },
      mergeGlobalData: { date: "May 15" },
    });
    expect(aws.requests.at(-1)?.path).to.equal("/v2/email/outbound-bulk-emails");
    const body = lastJson();
    expect(body.DefaultContent).to.deep.equal({
      Template: { TemplateName: "OrderShipped", TemplateData: '{"date":"May 15"}' },
    });
    expect(body.BulkEmailEntries).to.deep.equal([
      {
        Destination: { ToAddresses: ["alice@example.com"] },
        ReplacementEmailContent: {
          ReplacementTemplate: { ReplacementTemplateData: '{"name":"Alice","order":"1"}' },
        },
      },
      {
        Destination: { ToAddresses: ["bob@example.com"] },
        ReplacementEmailContent: {
          ReplacementTemplate: { ReplacementTemplateData: '{"name":"Bob","order":"2"}' },
        },
      },
    ]);
    expect(status.recipients["alice@example.com"].status).to.equal("queued");
    expect(status.recipients["bob@example.com"].status).to.equal("queued");
    expect(status.recipients["alice@example.com"].messageId).to.match(/^ses-/);
    const store = (await (await fetch(`${emulatorUrl}/store`)).json()) as {
      emails: { subject: string; text?: string }[];
    };
    expect(store.emails.map((email) => email.subject)).to.include.members(["Order 1", "Order 2"]);
  });

  it("[#20] [#17-7] bulk entries keep display names (RFC 2047), and carry headers, mergeHeaders, metadata, mergeMetadata and tags", async function () {
    aws.respondOnce(
      jsonAnswer({
        BulkEmailEntryResults: [
          { Status: "SUCCESS", MessageId: "id-1" },
          { Status: "MESSAGE_REJECTED", Error: "Email address is not verified." },
        ],
      }),
    );
    const status = await sender({ messageTagName: "Type" }).send({
      from: '"Shop, Inc" <shop@example.com>',
      to: ['"Müller, Jürgen" <j@example.com>', "Bob <bob@example.com>"],
      cc: "Zoë <cc@example.com>",
      bcc: "Blind <bcc@example.com>",
      templateId: "OrderShipped",
      headers: { "X-Campaign": "spring" },
      mergeHeaders: { "bob@example.com": { "X-Campaign": "bob-only" } },
      metadata: { shop: "1" },
      mergeMetadata: { "j@example.com": { user: "j" } },
      tags: ["receipt"],
    });
    const body = lastJson() as {
      FromEmailAddress: string;
      DefaultEmailTags: unknown;
      BulkEmailEntries: {
        Destination: Record<string, string[]>;
        ReplacementHeaders: { Name: string; Value: string }[];
      }[];
    };
    expect(body.FromEmailAddress).to.equal('"Shop, Inc" <shop@example.com>');
    expect(body.DefaultEmailTags).to.deep.equal([{ Name: "Type", Value: "receipt" }]);
    const [first, second] = body.BulkEmailEntries;
    const [name, addrSpec] = first.Destination.ToAddresses[0].split(" <");
    expect(decodeMimeWords(name)).to.equal("Müller, Jürgen");
    expect(addrSpec).to.equal("j@example.com>");
    expect(decodeMimeWords(first.Destination.CcAddresses[0])).to.equal("Zoë <cc@example.com>");
    expect(first.Destination.BccAddresses).to.deep.equal(["bcc@example.com"]);
    expect(second.Destination.ToAddresses).to.deep.equal(["Bob <bob@example.com>"]);
    expect(first.ReplacementHeaders).to.deep.equal([
      { Name: "X-Campaign", Value: "spring" },
      { Name: "X-Metadata", Value: '{"shop":"1","user":"j"}' },
      { Name: "X-Tag", Value: "receipt" },
    ]);
    expect(second.ReplacementHeaders).to.deep.equal([
      { Name: "X-Campaign", Value: "bob-only" },
      { Name: "X-Metadata", Value: '{"shop":"1"}' },
      { Name: "X-Tag", Value: "receipt" },
    ]);
    expect(status.recipients).to.deep.equal({
      "j@example.com": { status: "queued", messageId: "id-1" },
      "bob@example.com": { status: "failed", messageId: null },
    });
  });

  it("[#20] every bulk entry refused alike is an AnymailAPIError with SES's error", async function () {
    aws.respondOnce(
      jsonAnswer({
        BulkEmailEntryResults: [{ Status: "ACCOUNT_SUSPENDED", Error: "Account suspended" }],
      }),
    );
    let error: unknown = null;
    await sender()
      .send({ from: "f@example.com", to: "a@example.com", templateId: "OrderShipped" })
      .catch((e) => (error = e));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(String(error)).to.contain("ACCOUNT_SUSPENDED: Account suspended");
  });

  it("[#20] SES's own error (an unknown template) is an AnymailAPIError with its code", async function () {
    // as SES v2 answers (REST JSON: the error type in x-amzn-ErrorType)
    aws.respondOnce({
      status: 404,
      body: JSON.stringify({ message: "Template NoSuchTemplate does not exist." }),
      headers: { "content-type": "application/json", "x-amzn-errortype": "NotFoundException" },
    });
    let error: unknown = null;
    await sender()
      .send({ from: "f@example.com", to: "a@example.com", templateId: "NoSuchTemplate" })
      .catch((e) => (error = e));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(String(error)).to.contain(
      "Amazon SES SendBulkEmail failed: NotFoundException: Template NoSuchTemplate does not exist.",
    );
  });

  it("[#20] templates still refuse a subject, body or attachments; mergeHeaders without a template too", async function () {
    for (const fields of [
      { templateId: "OrderShipped", subject: "s" },
      { templateId: "OrderShipped", text: "t" },
      { mergeHeaders: { "a@example.com": { "X-A": "1" } }, subject: "s", text: "t" },
    ]) {
      let error: unknown = null;
      await sender()
        .send({ from: "f@example.com", to: "a@example.com", ...fields })
        .catch((e) => (error = e));
      expect(error, JSON.stringify(fields)).to.be.instanceOf(AnymailUnsupportedFeature);
    }
    expect(aws.requests).to.have.length(0);
  });

  it("[#20] apiVersion: 1 (or ANYMAIL_AMAZON_SES_API_VERSION=1) sends through SES v1; anything but 1 or 2 is a configuration error", async function () {
    await sender({ env: { ANYMAIL_AMAZON_SES_API_VERSION: "1" } }).send({
      from: "f@example.com",
      to: "a@example.com",
      subject: "s",
      text: "t",
    });
    expect(aws.requests.at(-1)?.params.Action).to.equal("SendRawEmail");
    expect(() => sender({ apiVersion: 3 })).to.throw(AnymailConfigurationError, /1 .* or 2/);
  });
});
