import { expect } from "chai";
import type { AnymailRouterOptions } from "../../../lib/middleware/router.js";
import { basicAuthHeader, webhookApp, type WebhookApp } from "../../helpers/webhooks.js";
import { loopbackClientParams, startAwsLoopback, type AwsLoopback } from "./aws-loopback.js";
import {
  INBOUND_MIME,
  INBOUND_TOPIC,
  notifications,
  receivedNotification,
  snsNotification,
  snsSubscriptionConfirmation,
} from "./fixtures.js";
import { postSns as postSnsTo } from "./sns-post.js";
import { createSnsSigner } from "./sns-signing.js";

const signer = createSnsSigner();
const SECRET = "sns-user:sns-secret-password";
const SES_INBOUND_ID = "o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1";

const postSns = (hook: WebhookApp, body: Record<string, unknown>, path = "/amazon_ses/inbound/") =>
  postSnsTo(hook, path, body);

function inboundBody(ses: unknown) {
  return signer.sign(snsNotification(ses, { topicArn: INBOUND_TOPIC }), 2);
}

const snsAction = (encoding: "BASE64" | "UTF8") => ({
  type: "SNS",
  topicArn: INBOUND_TOPIC,
  encoding,
});

describe("Amazon SES inbound webhook", function () {
  let aws: AwsLoopback;
  beforeEach(async function () {
    aws = await startAwsLoopback();
  });
  afterEach(async function () {
    await aws.close();
  });

  function options(extra: Record<string, unknown> = {}): AnymailRouterOptions {
    return {
      amazon_ses: {
        fetchSnsCertificate: signer.fetchSnsCertificate,
        clientParams: { ...loopbackClientParams(aws.url), forcePathStyle: true },
        // S3-action notifications need a topic allow-list or a webhook secret (#18 item 3)
        snsTopicArns: [INBOUND_TOPIC],
        ...extra,
      },
    };
  }

  async function receive(ses: unknown) {
    const hook = webhookApp(options());
    const res = await postSns(hook, inboundBody(ses));
    expect(res.status, res.text).to.equal(200);
    expect(hook.inbound).to.have.length(1);
    return hook.inbound[0];
  }

  it("[SES-50] [SES-51] [SES-56] SNS action, Base64 content → one inbound event", async function () {
    const ses = receivedNotification(snsAction("BASE64"), {
      content: Buffer.from(INBOUND_MIME, "utf8").toString("base64"),
    });
    const event = await receive(ses);
    expect(event.eventType).to.equal("inbound");
    expect(event.eventId).to.equal(SES_INBOUND_ID);
    expect(event.timestamp?.toISOString()).to.equal("2026-11-20T18:32:04.000Z");
    expect(event.espEvent).to.deep.equal(ses);
    const message = event.message;
    expect(message.subject).to.equal("Test inbound über SES");
    expect(message.text?.trim()).to.equal("Héllo from the inbound test.");
    expect(message.fromEmail?.addrSpec).to.equal("sender@example.org");
    expect(message.envelopeSender).to.equal("envelope-from@example.org");
    expect(message.envelopeRecipient).to.equal("inbound@inbound.example.com");
    expect(message.spamDetected).to.equal(false);
    expect(aws.requests).to.have.length(0);
  });

  it("[SES-51] SNS action, UTF-8 content", async function () {
    const event = await receive(receivedNotification(snsAction("UTF8"), { content: INBOUND_MIME }));
    expect(event.message.text?.trim()).to.equal("Héllo from the inbound test.");
  });

  it("spam and virus verdicts → spamDetected", async function () {
    const cases: [string, string, boolean | null][] = [
      ["FAIL", "PASS", true],
      ["PASS", "FAIL", true],
      ["GRAY", "PASS", null],
      ["PROCESSING_FAILED", "GRAY", null],
    ];
    for (const [spam, virus, expected] of cases) {
      const event = await receive(
        receivedNotification(snsAction("UTF8"), { content: INBOUND_MIME, spam, virus }),
      );
      expect(event.message.spamDetected, `${spam}/${virus}`).to.equal(expected);
    }
  });

  it("[SES-52] [SES-53] [SES-54] S3 action: downloads the object (never deletes it); eventId is the key's message id", async function () {
    aws.respondOnce({
      status: 200,
      body: Buffer.from(INBOUND_MIME, "utf8"),
      headers: { "content-type": "application/octet-stream", etag: '"abc"' },
    });
    const ses = receivedNotification({
      type: "S3",
      topicArn: INBOUND_TOPIC,
      bucketName: "my-inbound-bucket",
      objectKey: `inbound-prefix/${SES_INBOUND_ID}`,
    });
    const event = await receive(ses);
    expect(aws.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).to.deep.equal([
      `GET /my-inbound-bucket/inbound-prefix/${SES_INBOUND_ID}`,
    ]);
    expect(String(aws.requests[0].headers.authorization)).to.match(/\/s3\/aws4_request/);
    expect(event.eventId).to.equal(SES_INBOUND_ID);
    expect(`inbound-prefix/${event.eventId}`).to.equal(ses.receipt.action.objectKey);
    expect(event.message.subject).to.equal("Test inbound über SES");
    expect(event.message.envelopeSender).to.equal("envelope-from@example.org");
  });

  it('[SES-55] an S3 object stored with "Encrypt message" is a clear 400', async function () {
    aws.respondOnce({
      status: 200,
      body: Buffer.from("encrypted bytes"),
      headers: {
        "content-type": "application/octet-stream",
        "x-amz-meta-x-amz-key-v2": "AQIDAHhexample",
        "x-amz-meta-x-amz-cek-alg": "AES/GCM/NoPadding",
      },
    });
    const hook = webhookApp(options());
    const res = await postSns(
      hook,
      inboundBody(receivedNotification({ type: "S3", bucketName: "b", objectKey: "k" })),
    );
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('"Encrypt message"');
    expect(hook.events).to.have.length(0);
  });

  it("an S3 error (missing object) is a 400 with the AWS code", async function () {
    aws.respondOnce({
      status: 404,
      body: "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
      headers: { "content-type": "application/xml" },
    });
    const hook = webhookApp(options());
    const res = await postSns(
      hook,
      inboundBody(receivedNotification({ type: "S3", bucketName: "b", objectKey: "missing" })),
    );
    expect(res.status).to.equal(400);
    expect(res.text).to.contain("NoSuchKey");
  });

  it("[SES-57] a tracking notification at the inbound URL is a 400 naming the mistake", async function () {
    const hook = webhookApp(options());
    const res = await postSns(hook, inboundBody(notifications.delivery()));
    expect(res.status).to.equal(400);
    expect(res.text).to.contain("*sending* event or notification");
    expect(res.text).to.contain(INBOUND_TOPIC);
  });

  it("other receipt actions (Lambda) or missing content are a 400", async function () {
    const hook = webhookApp(options());
    const lambda = await postSns(hook, inboundBody(receivedNotification({ type: "Lambda" })));
    expect(lambda.status).to.equal(400);
    expect(lambda.text).to.contain('not "Lambda"');
    const empty = await postSns(hook, inboundBody(receivedNotification(snsAction("UTF8"))));
    expect(empty.status).to.equal(400);
    const noKey = await postSns(hook, inboundBody(receivedNotification({ type: "S3" })));
    expect(noKey.status).to.equal(400);
    expect(hook.events).to.have.length(0);
  });

  it("acknowledges SES's topic-validated notice and UnsubscribeConfirmation without events", async function () {
    const hook = webhookApp(options());
    const notice = await postSns(
      hook,
      inboundBody("Successfully validated SNS topic for Amazon SES event publishing."),
    );
    expect(notice.status).to.equal(200);
    const unsubscribed = await postSns(
      hook,
      signer.sign(snsSubscriptionConfirmation("UnsubscribeConfirmation", INBOUND_TOPIC)),
    );
    expect(unsubscribed.status).to.equal(200);
    expect(hook.events).to.have.length(0);
  });

  it("[SES-37] confirms a subscription on the inbound URL, in the topic's region", async function () {
    aws.respondOnce({
      status: 200,
      body:
        '<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult>' +
        `<SubscriptionArn>${INBOUND_TOPIC}:1</SubscriptionArn></ConfirmSubscriptionResult>` +
        "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ConfirmSubscriptionResponse>",
    });
    const hook = webhookApp({ webhookSecret: SECRET, ...options() });
    const res = await postSns(
      hook,
      signer.sign(snsSubscriptionConfirmation("SubscriptionConfirmation", INBOUND_TOPIC)),
    ).set("Authorization", basicAuthHeader(SECRET));
    expect(res.status, res.text).to.equal(200);
    expect(aws.requests[0].params.Action).to.equal("ConfirmSubscription");
    expect(String(aws.requests[0].headers.authorization)).to.match(/\/eu-west-1\/sns\//);
  });
});
