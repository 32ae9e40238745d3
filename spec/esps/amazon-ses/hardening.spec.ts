// Attacks on the SES webhooks, mounted over real HTTP (supertest → Express → anymailRouter)
// and refused: #18 item 3 (forged SNS notifications from an attacker's own AWS account,
// S3 reads on a stranger's word) and item 8 (loosely checked SigningCertURL, cache
// flooding); plus #17 item 9 (unsigned messages without TopicArn/Timestamp).
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import type { AnymailRouterOptions } from "../../../lib/middleware/router.js";
import { basicAuthHeader, webhookApp, type WebhookApp } from "../../helpers/webhooks.js";
import { loopbackClientParams, startAwsLoopback, type AwsLoopback } from "./aws-loopback.js";
import {
  INBOUND_MIME,
  INBOUND_TOPIC,
  TRACKING_TOPIC,
  notifications,
  receivedNotification,
  snsNotification,
} from "./fixtures.js";
import { postSns } from "./sns-post.js";
import { createSnsSigner } from "./sns-signing.js";

// The attacker's own AWS account signs genuinely: SNS signatures prove only "some account"
const ATTACKER_TOPIC = "arn:aws:sns:eu-west-1:999999999999:attacker-topic";
const SECRET = "sns-user:sns-secret-password";
const signer = createSnsSigner();

const unprotectedWarnings = (hook: WebhookApp) =>
  hook.logs.warn.filter((line) => /neither a webhookSecret nor snsTopicArns/.test(line));

describe("Amazon SES webhook hardening", function () {
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
        ...extra,
      },
    };
  }

  const s3Notification = (topicArn: string) =>
    signer.sign(
      snsNotification(
        receivedNotification({
          type: "S3",
          topicArn,
          bucketName: "victim-bucket",
          objectKey: "private/payroll.eml",
        }),
        { topicArn },
      ),
      2,
    );

  describe("#18 item 3: forged SES events and S3 reads without a secret or allow-list", function () {
    it("[#18-3] a validly signed S3-action notification from any topic is refused (400), and S3 is never read", async function () {
      const hook = webhookApp(options());
      const res = await postSns(hook, "/amazon_ses/inbound/", s3Notification(ATTACKER_TOPIC));
      expect(res.status).to.equal(400);
      expect(res.text).to.match(/refused an S3-action notification/);
      expect(res.text).to.match(/snsTopicArns/);
      expect(aws.requests).to.have.length(0);
      expect(hook.events).to.have.length(0);
    });

    it("[#18-3] with snsTopicArns, the attacker's topic is refused and yours is read from S3", async function () {
      const hook = webhookApp(options({ snsTopicArns: [INBOUND_TOPIC] }));
      const attack = await postSns(hook, "/amazon_ses/inbound/", s3Notification(ATTACKER_TOPIC));
      expect(attack.status).to.equal(400);
      expect(attack.text).to.contain("not in snsTopicArns");
      expect(aws.requests).to.have.length(0);
      aws.respondOnce({ status: 200, body: Buffer.from(INBOUND_MIME, "utf8") });
      const res = await postSns(hook, "/amazon_ses/inbound/", s3Notification(INBOUND_TOPIC));
      expect(res.status, res.text).to.equal(200);
      expect(aws.requests.map((r) => r.path.split("?")[0])).to.deep.equal([
        "/victim-bucket/private/payroll.eml",
      ]);
      expect(hook.inbound).to.have.length(1);
      // an allow-list with checked signatures proves the sender: no warnings at all
      expect(
        hook.logs.warn.filter((line) => /insecure|neither a webhookSecret/.test(line)),
      ).to.deep.equal([]);
    });

    it("[#18-3] with a webhookSecret carried as basic auth, the S3 action proceeds", async function () {
      aws.respondOnce({ status: 200, body: Buffer.from(INBOUND_MIME, "utf8") });
      const hook = webhookApp({ webhookSecret: SECRET, ...options() });
      const res = await postSns(hook, "/amazon_ses/inbound/", s3Notification(INBOUND_TOPIC)).set(
        "Authorization",
        basicAuthHeader(SECRET),
      );
      expect(res.status, res.text).to.equal(200);
      expect(aws.requests).to.have.length(1);
      expect(unprotectedWarnings(hook)).to.deep.equal([]);
    });

    it("[#18-3] every other unprotected SES notification is accepted with a warning each time", async function () {
      const hook = webhookApp(options());
      for (let i = 0; i < 2; i += 1) {
        const body = signer.sign(
          snsNotification(notifications.delivery(), {
            topicArn: ATTACKER_TOPIC,
            messageId: `forged-${i}`,
          }),
        );
        expect((await postSns(hook, "/amazon_ses/tracking/", body)).status).to.equal(200);
      }
      const inbound = signer.sign(
        snsNotification(
          receivedNotification({ type: "SNS", encoding: "UTF8" }, { content: INBOUND_MIME }),
          { topicArn: ATTACKER_TOPIC },
        ),
      );
      expect((await postSns(hook, "/amazon_ses/inbound/", inbound)).status).to.equal(200);
      const warnings = unprotectedWarnings(hook);
      expect(warnings).to.have.length(3);
      expect(warnings[0]).to.contain(ATTACKER_TOPIC);
      // and the router's once-per-ESP warning: the SNS signature does not prove the sender
      expect(hook.logs.warn.filter((line) => /insecure/.test(line))).to.have.length(1);
    });
  });

  describe("#18 item 8: the signing-certificate URL", function () {
    function counting(pem: string) {
      const urls: string[] = [];
      return {
        urls,
        fetchSnsCertificate: async (url: string) => {
          urls.push(url);
          return pem;
        },
      };
    }

    it("[#18-8] refuses every SigningCertURL that is not exactly https://sns.<region>.amazonaws.com[.cn]/<name>.pem, fetching nothing", async function () {
      const fetcher = counting(signer.certPem);
      const hook = webhookApp({
        amazon_ses: { fetchSnsCertificate: fetcher.fetchSnsCertificate },
      });
      const good = signer.certUrl;
      const name = good.split("/").pop() ?? "";
      const hostile = [
        `${good}?x=1`,
        `${good}#frag`,
        good.replace("https://", "https://user:pass@"),
        good.replace("amazonaws.com", "amazonaws.com:443"),
        good.replace("us-east-1", "evil"),
        good.replace("us-east-1", "attacker-controlled"),
        good.replace("us-east-1", "us-east-1.evil"),
        good.replace("amazonaws.com", "amazonaws.com.cn"), // a non-China region under .cn
        `https://sns.cn-north-1.amazonaws.com/${name}`, // a China region under .com
        good.replace("https://sns.", "https://SNS."),
        good.replace("https://sns.", "https://sns-fips."),
        `https://sns.us-east-1.amazonaws.com/../${name}`,
        `https://sns.us-east-1.amazonaws.com/a/${name}`,
        `https://sns.us-east-1.amazonaws.com//${name}`,
        `https://sns.us-east-1.amazonaws.com/%2e%2e/${name}`,
        `https://sns.us-east-1.amazonaws.com/${name} `,
        "https://sns.us-east-1.amazonaws.com/.pem",
        good.replace("https:", "http:"),
      ];
      for (const url of hostile) {
        const body = {
          ...signer.sign(snsNotification(notifications.delivery())),
          SigningCertURL: url,
        };
        const res = await postSns(hook, "/amazon_ses/tracking/", body);
        expect(res.status, url).to.equal(400);
        expect(res.text, url).to.contain("is not an https URL of Amazon SNS");
      }
      expect(fetcher.urls).to.deep.equal([]);
      expect(hook.events).to.have.length(0);
    });

    it("[#18-8] accepts real region names, China under amazonaws.com.cn and GovCloud", async function () {
      const fetcher = counting(signer.certPem);
      const hook = webhookApp({ amazon_ses: { fetchSnsCertificate: fetcher.fetchSnsCertificate } });
      const name = `SimpleNotificationService-${randomBytes(8).toString("hex")}.pem`;
      for (const host of [
        "sns.eu-west-3.amazonaws.com",
        "sns.ap-southeast-5.amazonaws.com",
        "sns.us-gov-west-1.amazonaws.com",
        "sns.cn-northwest-1.amazonaws.com.cn",
      ]) {
        const body = {
          ...signer.sign(snsNotification(notifications.delivery())),
          SigningCertURL: `https://${host}/${name}`,
        };
        expect((await postSns(hook, "/amazon_ses/tracking/", body)).status, host).to.equal(200);
      }
      expect(fetcher.urls).to.have.length(4);
    });

    it("[#18-8] 60 posts naming one certificate fetch it once; the cache is a bounded LRU", async function () {
      const fetcher = counting(signer.certPem);
      const hook = webhookApp({ amazon_ses: { fetchSnsCertificate: fetcher.fetchSnsCertificate } });
      const url = (tag: string) =>
        `https://sns.us-east-1.amazonaws.com/SimpleNotificationService-${tag}.pem`;
      const run = randomBytes(6).toString("hex");
      const post = (certUrl: string, i: number) =>
        postSns(hook, "/amazon_ses/tracking/", {
          ...signer.sign(snsNotification(notifications.delivery(), { messageId: `m-${run}-${i}` })),
          SigningCertURL: certUrl,
        });
      const hot = url(`${run}-hot`);
      for (let i = 0; i < 60; i += 1) expect((await post(hot, i)).status).to.equal(200);
      expect(fetcher.urls).to.deep.equal([hot]);

      // 49 more certificates: with the hot one that is 50, the cache's limit
      for (let i = 0; i < 49; i += 1) await post(url(`${run}-${i}`), 100 + i);
      await post(hot, 200); // a hit makes it the most recently used
      await post(url(`${run}-extra`), 201); // evicts the least recently used (…-0), not hot
      await post(hot, 202);
      expect(fetcher.urls.filter((u) => u === hot)).to.have.length(1);
      await post(url(`${run}-0`), 203);
      expect(fetcher.urls.filter((u) => u === url(`${run}-0`))).to.have.length(2);
    });
  });

  describe("#17 item 9: unsigned messages without TopicArn or Timestamp", function () {
    it("[#17-9] with verifySnsSignatures off, TopicArn and Timestamp are optional", async function () {
      const hook = webhookApp(options({ verifySnsSignatures: false }));
      const { TopicArn: _t, Timestamp: _ts, ...bare } = snsNotification(notifications.delivery());
      const res = await postSns(hook, "/amazon_ses/tracking/", bare);
      expect(res.status, res.text).to.equal(200);
      expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["delivered", "delivered"]);
      expect(hook.tracking[0].timestamp).to.equal(null);
    });

    it("[#17-9] a signed message still needs every signed field, and an allow-list still needs TopicArn", async function () {
      const hook = webhookApp(options());
      const { Timestamp: _ts, ...noTimestamp } = signer.sign(
        snsNotification(notifications.delivery()),
      );
      const res = await postSns(hook, "/amazon_ses/tracking/", noTimestamp);
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('no "Timestamp"');
      const listed = webhookApp(
        options({ verifySnsSignatures: false, snsTopicArns: [TRACKING_TOPIC] }),
      );
      const { TopicArn: _t, ...noTopic } = snsNotification(notifications.delivery());
      const res2 = await postSns(listed, "/amazon_ses/tracking/", noTopic);
      expect(res2.status).to.equal(400);
      expect(res2.text).to.contain("not in snsTopicArns");
    });
  });
});
