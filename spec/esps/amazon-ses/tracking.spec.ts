import { expect } from "chai";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createVerify, X509Certificate } from "node:crypto";
import { join } from "node:path";
import type { AnymailTrackingEvent } from "../../../lib/events/tracking.js";
import { stringToSign, type SnsMessage } from "../../../lib/esps/amazon-ses/sns.js";
import { EVENT_TYPES, REJECT_REASONS } from "../../../lib/esps/amazon-ses/tracking.js";
import type { AnymailRouterOptions } from "../../../lib/middleware/router.js";
import { basicAuthHeader, webhookApp } from "../../helpers/webhooks.js";
import { loopbackClientParams, startAwsLoopback, type AwsLoopback } from "./aws-loopback.js";
import {
  SES_MESSAGE_ID,
  TRACKING_TOPIC,
  events,
  notifications,
  receivedNotification,
  snsNotification,
  snsSubscriptionConfirmation,
} from "./fixtures.js";
import { postSns } from "./sns-post.js";
import { createSnsSigner } from "./sns-signing.js";
import { itIf } from "../../helpers/skip.js";

const signer = createSnsSigner();
const SECRET = "sns-user:sns-secret-password";

function sesOptions(extra: Record<string, unknown> = {}): AnymailRouterOptions {
  return { amazon_ses: { fetchSnsCertificate: signer.fetchSnsCertificate, ...extra } };
}

async function track(sesEvent: unknown, options: AnymailRouterOptions = sesOptions()) {
  const hook = webhookApp(options);
  const res = await postSns(hook, "/amazon_ses/tracking/", signer.sign(snsNotification(sesEvent)));
  expect(res.status, res.text).to.equal(200);
  return hook;
}

function summary(event: AnymailTrackingEvent) {
  return {
    eventType: event.eventType,
    recipient: event.recipient,
    rejectReason: event.rejectReason,
    description: event.description,
    mtaResponse: event.mtaResponse,
  };
}

describe("Amazon SES tracking webhook", function () {
  describe("Amazon SES Notifications", function () {
    it("[SES-35] [SES-40] [SES-39] Delivery → delivered, one event per recipient, espEvent the SES JSON", async function () {
      const hook = await track(notifications.delivery());
      expect(hook.events.map((e) => e.espName)).to.deep.equal(["Amazon SES", "Amazon SES"]);
      expect(hook.tracking.map(summary)).to.deep.equal([
        {
          eventType: "delivered",
          recipient: "to@example.com",
          rejectReason: null,
          description: null,
          mtaResponse: "250 2.6.0 Message received",
        },
        {
          eventType: "delivered",
          recipient: "cc@example.com",
          rejectReason: null,
          description: null,
          mtaResponse: "250 2.6.0 Message received",
        },
      ]);
      const [event] = hook.tracking;
      expect(event.messageId).to.equal(SES_MESSAGE_ID);
      expect(event.eventId).to.equal("c1d3e4f5-0000-5000-8000-000000000001");
      expect(event.timestamp?.toISOString()).to.equal("2026-11-20T18:32:07.321Z");
      expect(event.espEvent).to.deep.equal(notifications.delivery());
    });

    it("[SES-41] Bounce → bounced per bounced recipient, with the DSN diagnostic", async function () {
      const hook = await track(notifications.bounce());
      expect(hook.tracking.map(summary)).to.deep.equal([
        {
          eventType: "bounced",
          recipient: "to@example.com",
          rejectReason: "bounced",
          description: "Permanent: General",
          mtaResponse: "smtp; 550 5.1.1 <to@example.com>: Recipient address rejected",
        },
        {
          eventType: "bounced",
          recipient: "cc@example.com",
          rejectReason: "bounced",
          description: "Permanent: General",
          mtaResponse: null,
        },
      ]);
    });

    it("[SES-42] Complaint → complained (spam), with the feedback type and user agent", async function () {
      const hook = await track(notifications.complaint());
      expect(hook.tracking.map(summary)).to.deep.equal([
        {
          eventType: "complained",
          recipient: "to@example.com",
          rejectReason: "spam",
          description: "abuse",
          mtaResponse: null,
        },
      ]);
      expect(hook.tracking[0].userAgent).to.equal("ExampleCorp Feedback Loop (V0.01)");
    });

    it("[SES-48] reads metadata and tags back from the X-Metadata and X-Tag headers", async function () {
      const hook = await track(notifications.delivery());
      expect(hook.tracking[0].metadata).to.deep.equal({
        orderId: "1234",
        customer: { tier: "gold" },
      });
      expect(hook.tracking[0].tags).to.deep.equal(["receipt", "été"]);
    });

    it("[SES-48] without those headers, metadata is {} and tags are []", async function () {
      const delivery = notifications.delivery();
      delivery.mail.headers = delivery.mail.headers.filter((h) => !h.name.startsWith("X-"));
      const hook = await track(delivery);
      expect(hook.tracking[0].metadata).to.deep.equal({});
      expect(hook.tracking[0].tags).to.deep.equal([]);
    });

    it("[SES-48] a foreign X-Metadata that is not JSON gives no metadata", async function () {
      const delivery = notifications.delivery();
      delivery.mail.headers = [{ name: "X-Metadata", value: "not json" }];
      const hook = await track(delivery);
      expect(hook.tracking[0].metadata).to.deep.equal({});
    });
  });

  describe("Amazon SES Event Publishing", function () {
    const everyRecipient = ["to@example.com", "cc@example.com", "bcc@example.com"];

    it("[SES-43] Send → sent for every destination", async function () {
      const hook = await track(events.send());
      expect(hook.tracking.map((e) => [e.eventType, e.recipient])).to.deep.equal(
        everyRecipient.map((r) => ["sent", r]),
      );
    });

    it("[SES-44] Reject → rejected (blocked) with SES's reason", async function () {
      const hook = await track(events.reject());
      expect(hook.tracking.map(summary)[0]).to.deep.equal({
        eventType: "rejected",
        recipient: "to@example.com",
        rejectReason: "blocked",
        description: "Bad content",
        mtaResponse: null,
      });
      expect(hook.tracking).to.have.length(3);
    });

    it("[SES-45] Open → opened once for every original recipient (to, cc and bcc)", async function () {
      const hook = await track(events.open());
      expect(hook.tracking.map((e) => [e.eventType, e.recipient, e.userAgent])).to.deep.equal(
        everyRecipient.map((r) => [
          "opened",
          r,
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
        ]),
      );
    });

    it("[SES-46] Click → clicked once per original recipient, with clickUrl", async function () {
      const hook = await track(events.click());
      expect(hook.tracking).to.have.length(3);
      for (const event of hook.tracking) {
        expect(event.eventType).to.equal("clicked");
        expect(event.clickUrl).to.equal("https://www.example.com/orders/1234?utm_source=email");
        expect(event.userAgent).to.equal("Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
      }
    });

    it("[SES-47] Rendering Failure → failed with SES's error message", async function () {
      const hook = await track(events.renderingFailure());
      expect(hook.tracking[0].eventType).to.equal("failed");
      expect(hook.tracking[0].description).to.equal(
        "Attribute 'order_no' is not present in the rendering data.",
      );
    });

    it("DeliveryDelay → deferred per delayed recipient", async function () {
      const hook = await track(events.deliveryDelay());
      expect(hook.tracking.map(summary)).to.deep.equal([
        {
          eventType: "deferred",
          recipient: "to@example.com",
          rejectReason: null,
          description: "TransientCommunicationFailure",
          mtaResponse: "smtp; 421 4.4.1 Unable to connect to remote host",
        },
      ]);
    });

    it("Subscription → unsubscribed or subscribed by the new preferences", async function () {
      for (const [all, status, expected] of [
        [true, "OptOut", "unsubscribed"],
        [false, "OptOut", "unsubscribed"],
        [false, "OptIn", "subscribed"],
      ] as const) {
        const hook = await track(events.subscription(all, status));
        expect(hook.tracking.map((e) => [e.eventType, e.recipient, e.description])).to.deep.equal([
          [expected, "to@example.com", "UnsubscribeHeader"],
        ]);
      }
    });

    it("[SES-40] [SES-41] [SES-42] Bounce, Complaint and Delivery events map like the notifications", async function () {
      expect((await track(events.bounce())).tracking.map((e) => e.eventType)).to.deep.equal([
        "bounced",
        "bounced",
      ]);
      expect((await track(events.complaint())).tracking.map((e) => e.eventType)).to.deep.equal([
        "complained",
      ]);
      expect((await track(events.delivery())).tracking.map((e) => e.eventType)).to.deep.equal([
        "delivered",
        "delivered",
      ]);
    });

    it("[SES-49] SES message tags stay reachable at espEvent.mail.tags", async function () {
      const hook = await track(events.delivery());
      const espEvent = hook.tracking[0].espEvent as { mail: { tags: Record<string, string[]> } };
      expect(espEvent.mail.tags.Type).to.deep.equal(["receipt"]);
    });

    it("an unknown eventType → unknown, never an error", async function () {
      const hook = await track({ eventType: "Teleport", mail: events.send().mail });
      expect(hook.tracking.map((e) => e.eventType)).to.deep.equal([
        "unknown",
        "unknown",
        "unknown",
      ]);
      expect(hook.tracking[0].description).to.equal('Unknown SES eventType "Teleport"');
    });

    it("[SES-58] the same delivery through Notifications and Event Publishing has two eventIds", async function () {
      const hook = webhookApp(sesOptions());
      for (const [body, id] of [
        [notifications.delivery(), "11111111-0000-5000-8000-000000000001"],
        [events.delivery(), "22222222-0000-5000-8000-000000000002"],
      ] as const) {
        const res = await postSns(
          hook,
          "/amazon_ses/tracking/",
          signer.sign(snsNotification(body, { messageId: id })),
        );
        expect(res.status).to.equal(200);
      }
      const ids = new Set(
        hook.tracking.filter((e) => e.recipient === "to@example.com").map((e) => e.eventId),
      );
      expect(ids.size).to.equal(2);
    });

    it("walks the event-type and reject-reason tables", function () {
      expect(EVENT_TYPES).to.deep.equal({
        Send: "sent",
        Reject: "rejected",
        Bounce: "bounced",
        Complaint: "complained",
        Delivery: "delivered",
        Open: "opened",
        Click: "clicked",
        "Rendering Failure": "failed",
        DeliveryDelay: "deferred",
      });
      expect(REJECT_REASONS).to.deep.equal({
        Reject: "blocked",
        Bounce: "bounced",
        Complaint: "spam",
      });
    });
  });

  describe("Amazon SES SNS messages", function () {
    it("acknowledges SES's topic-validated notice without an event", async function () {
      const hook = await track("Successfully validated SNS topic for Amazon SES event publishing.");
      expect(hook.events).to.have.length(0);
    });

    it("acknowledges an UnsubscribeConfirmation without an event", async function () {
      const hook = webhookApp(sesOptions());
      const res = await postSns(
        hook,
        "/amazon_ses/tracking/",
        signer.sign(snsSubscriptionConfirmation("UnsubscribeConfirmation")),
      );
      expect(res.status).to.equal(200);
      expect(hook.events).to.have.length(0);
    });

    it("[SES-57] an inbound (Received) notification at the tracking URL is a 400 naming the mistake", async function () {
      const hook = webhookApp(sesOptions());
      const body = signer.sign(
        snsNotification(receivedNotification({ type: "SNS", encoding: "UTF8" }, { content: "x" })),
      );
      const res = await postSns(hook, "/amazon_ses/tracking/", body);
      expect(res.status).to.equal(400);
      expect(res.text).to.contain("*inbound* receipt rule");
      expect(res.text).to.contain(TRACKING_TOPIC);
      expect(hook.events).to.have.length(0);
    });

    it("an x-amz-sns-message-type header that disagrees with the body is a 400", async function () {
      const hook = webhookApp(sesOptions());
      const body = signer.sign(snsNotification(notifications.delivery()));
      const res = await postSns(hook, "/amazon_ses/tracking/", body).set(
        "x-amz-sns-message-type",
        "SubscriptionConfirmation",
      );
      expect(res.status).to.equal(400);
      expect(res.text).to.contain("x-amz-sns-message-type");
    });

    it("a missing or different x-amz-sns-message-id header is a 400", async function () {
      const hook = webhookApp(sesOptions());
      const body = signer.sign(snsNotification(notifications.delivery()));
      const res = await postSns(hook, "/amazon_ses/tracking/", body).set(
        "x-amz-sns-message-id",
        "other",
      );
      expect(res.status).to.equal(400);
      expect(res.text).to.contain("x-amz-sns-message-id");
    });

    it("a body that is not JSON, or an SNS Message that is not SES JSON, is a 400", async function () {
      const hook = webhookApp(sesOptions({ verifySnsSignatures: false }));
      const res = await hook
        .post("/amazon_ses/tracking/")
        .set("Content-Type", "text/plain")
        .set("x-amz-sns-message-type", "Notification")
        .send("{not json");
      expect(res.status).to.equal(400);
      const res2 = await postSns(
        hook,
        "/amazon_ses/tracking/",
        snsNotification("plain text message"),
      );
      expect(res2.status).to.equal(400);
      expect(res2.text).to.contain("not SES JSON");
      const res3 = await postSns(hook, "/amazon_ses/tracking/", {
        ...snsNotification(notifications.delivery()),
        Type: "Bogus",
      });
      expect(res3.status).to.equal(400);
      expect(hook.events).to.have.length(0);
    });
  });

  describe("Amazon SES SNS signatures", function () {
    it("[SES-36] accepts SignatureVersion 1 (SHA1) and 2 (SHA256) messages", async function () {
      for (const version of [1, 2] as const) {
        const hook = webhookApp(sesOptions());
        const res = await postSns(
          hook,
          "/amazon_ses/tracking/",
          signer.sign(snsNotification(notifications.complaint()), version),
        );
        expect(res.status, `v${version}: ${res.text}`).to.equal(200);
        expect(hook.tracking).to.have.length(1);
      }
    });

    it("[SES-36] signs Subject when present", async function () {
      const hook = webhookApp(sesOptions());
      const res = await postSns(
        hook,
        "/amazon_ses/tracking/",
        signer.sign(
          {
            ...snsNotification(notifications.complaint()),
            Subject: "Amazon SES Email Event Notification",
          },
          2,
        ),
      );
      expect(res.status, res.text).to.equal(200);
    });

    it("[SES-36] refuses tampered messages and signatures with 400", async function () {
      const signed = signer.sign(snsNotification(notifications.delivery()), 2);
      const tampered = [
        {
          ...signed,
          Message: String(signed.Message).replace("to@example.com", "evil@example.com"),
        },
        { ...signed, Timestamp: "2026-11-20T18:32:08.321Z" },
        { ...signed, Signature: Buffer.from("forged").toString("base64") },
        { ...signed, SignatureVersion: "1" },
        { ...signed, TopicArn: "arn:aws:sns:us-east-1:999999999999:Other" },
      ];
      for (const body of tampered) {
        const hook = webhookApp(sesOptions());
        const res = await postSns(hook, "/amazon_ses/tracking/", body);
        expect(res.status).to.equal(400);
        expect(res.text).to.contain("signature is invalid");
        expect(hook.events).to.have.length(0);
      }
    });

    it("[SES-36] refuses unsigned messages, unknown versions and certificates not from SNS over https", async function () {
      const signed = signer.sign(snsNotification(notifications.delivery()));
      const { Signature: _s, SignatureVersion: _v, SigningCertURL: _u, ...unsigned } = signed;
      const cases: [Record<string, unknown>, string][] = [
        [unsigned, "SignatureVersion"],
        [{ ...signed, SignatureVersion: "3" }, "SignatureVersion"],
        [
          { ...signed, SigningCertURL: String(signed.SigningCertURL).replace("https:", "http:") },
          "not an https URL of Amazon SNS",
        ],
        [
          {
            ...signed,
            SigningCertURL: "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem",
          },
          "not an https URL",
        ],
        [
          {
            ...signed,
            SigningCertURL: "https://evil.example/sns.us-east-1.amazonaws.com/cert.pem",
          },
          "not an https URL",
        ],
        [
          { ...signed, SigningCertURL: "https://sns.us-east-1.amazonaws.com:8443/cert.pem" },
          "not an https URL",
        ],
        [
          { ...signed, SigningCertURL: "https://sns.us-east-1.amazonaws.com/cert.txt" },
          "not an https URL",
        ],
        [{ ...signed, SigningCertURL: "not a url" }, "not an https URL"],
      ];
      for (const [body, text] of cases) {
        const hook = webhookApp(sesOptions());
        const res = await postSns(hook, "/amazon_ses/tracking/", body);
        expect(res.status).to.equal(400);
        expect(res.text).to.contain(text);
      }
    });

    it("[SES-36] fetches each signing certificate once (cached by URL)", async function () {
      const own = createSnsSigner();
      const hook = webhookApp({ amazon_ses: { fetchSnsCertificate: own.fetchSnsCertificate } });
      for (let i = 0; i < 3; i += 1) {
        const res = await postSns(
          hook,
          "/amazon_ses/tracking/",
          own.sign(snsNotification(notifications.delivery(), { messageId: `m-${i}` })),
        );
        expect(res.status).to.equal(200);
      }
      expect(own.fetches).to.equal(1);
    });

    it("[SES-36] refuses a certificate that is expired or cannot be fetched", async function () {
      const expired = createSnsSigner({
        notBefore: new Date("2020-01-01"),
        notAfter: new Date("2021-01-01"),
      });
      const hook = webhookApp({ amazon_ses: { fetchSnsCertificate: expired.fetchSnsCertificate } });
      const res = await postSns(
        hook,
        "/amazon_ses/tracking/",
        expired.sign(snsNotification(notifications.delivery())),
      );
      expect(res.status).to.equal(400);
      expect(res.text).to.contain("not valid now");

      const broken = createSnsSigner();
      const failing = webhookApp({
        amazon_ses: { fetchSnsCertificate: () => Promise.reject(new Error("offline")) },
      });
      const res2 = await postSns(
        failing,
        "/amazon_ses/tracking/",
        broken.sign(snsNotification(notifications.delivery())),
      );
      expect(res2.status).to.equal(400);
      expect(res2.text).to.contain("could not load the SNS signing certificate");
    });

    it("[SES-36] fetches the certificate with the router's fetch by default", async function () {
      const own = createSnsSigner();
      const urls: string[] = [];
      const agents: string[] = [];
      const fetchStub: typeof fetch = async (input, init) => {
        urls.push(String(input));
        agents.push(new Headers(init?.headers).get("user-agent") ?? "");
        return new Response(own.certPem, { status: 200 });
      };
      const hook = webhookApp({ fetch: fetchStub });
      const res = await postSns(
        hook,
        "/amazon_ses/tracking/",
        own.sign(snsNotification(notifications.delivery())),
      );
      expect(res.status, res.text).to.equal(200);
      expect(urls).to.deep.equal([own.certUrl]);
      expect(agents[0]).to.match(/^anymail\/\S+ \(amazon_ses\)$/); // #17 item 11
    });

    it("[SES-36] verifySnsSignatures: false (or its env var) accepts unsigned messages", async function () {
      const hook = webhookApp(sesOptions({ verifySnsSignatures: false }));
      const res = await postSns(
        hook,
        "/amazon_ses/tracking/",
        snsNotification(notifications.delivery()),
      );
      expect(res.status).to.equal(200);
      const fromEnv = webhookApp({ env: { ANYMAIL_AMAZON_SES_VERIFY_SNS_SIGNATURES: "false" } });
      const res2 = await postSns(
        fromEnv,
        "/amazon_ses/tracking/",
        snsNotification(notifications.delivery()),
      );
      expect(res2.status).to.equal(200);
      expect(fromEnv.logs.warn.join("\n")).to.match(/insecure/);
    });

    it("[SES-36] snsTopicArns refuses messages from other topics", async function () {
      const hook = webhookApp(
        sesOptions({ snsTopicArns: ["arn:aws:sns:us-east-1:123456789012:Other"] }),
      );
      const res = await postSns(
        hook,
        "/amazon_ses/tracking/",
        signer.sign(snsNotification(notifications.delivery())),
      );
      expect(res.status).to.equal(400);
      expect(res.text).to.contain("not in snsTopicArns");
      const allowed = webhookApp(sesOptions({ snsTopicArns: [TRACKING_TOPIC] }));
      expect(
        (
          await postSns(
            allowed,
            "/amazon_ses/tracking/",
            signer.sign(snsNotification(notifications.delivery())),
          )
        ).status,
      ).to.equal(200);
    });

    // the shared vectors sit beside the repository (../shared from main's worktree)
    const vectorsDir = [join("..", "shared"), join("..", "..", "shared")]
      .map((dir) => join(dir, "vectors", "amazon_sns"))
      .find((dir) => existsSync(dir));
    itIf(vectorsDir, "the shared vectors folder (../shared/vectors) is not beside this checkout")(
      "[SES-36] the string to sign matches real AWS-signed messages",
      function () {
        if (!vectorsDir) return;
        const files = readdirSync(vectorsDir).filter(
          (f) => f.endsWith(".json") && !f.endsWith(".raw.json"),
        );
        let verified = 0;
        for (const file of files) {
          const vector = JSON.parse(readFileSync(join(vectorsDir, file), "utf8")) as Record<
            string,
            unknown
          >;
          const message = vector.message as SnsMessage;
          const certFile =
            String(vector.signing_cert_file ?? "")
              .split("/")
              .pop() ?? "";
          if (!existsSync(join(vectorsDir, certFile))) continue;
          const certificate = new X509Certificate(readFileSync(join(vectorsDir, certFile)));
          const algorithm = message.SignatureVersion === "2" ? "RSA-SHA256" : "RSA-SHA1";
          const ok = createVerify(algorithm)
            .update(stringToSign(message))
            .verify(certificate.publicKey, String(message.Signature), "base64");
          expect(ok, file).to.equal(true);
          verified += 1;
        }
        expect(verified).to.be.greaterThan(0);
      },
    );
  });

  describe("Amazon SES SNS subscriptions", function () {
    let sns: AwsLoopback;
    beforeEach(async function () {
      sns = await startAwsLoopback();
    });
    afterEach(async function () {
      await sns.close();
    });

    const confirmed = {
      status: 200,
      body:
        '<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult>' +
        `<SubscriptionArn>${TRACKING_TOPIC}:2f3e4d5c-6b7a-4890-a1b2-c3d4e5f60718</SubscriptionArn>` +
        "</ConfirmSubscriptionResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></ConfirmSubscriptionResponse>",
    };

    function confirmingHook(extra: Record<string, unknown> = {}, secret: string | null = SECRET) {
      return webhookApp({
        ...(secret ? { webhookSecret: secret } : {}),
        ...sesOptions({ clientParams: loopbackClientParams(sns.url), ...extra }),
      });
    }

    it("[SES-37] [SES-09] confirms a subscription that carried the webhook secret, in the topic's region", async function () {
      sns.respondOnce(confirmed);
      const hook = confirmingHook();
      const topic = "arn:aws:sns:eu-west-1:123456789012:SES_Tracking_Events";
      const body = signer.sign(snsSubscriptionConfirmation("SubscriptionConfirmation", topic));
      const res = await postSns(hook, "/amazon_ses/tracking/", body).set(
        "Authorization",
        basicAuthHeader(SECRET),
      );
      expect(res.status, res.text).to.equal(200);
      expect(sns.requests).to.have.length(1);
      expect(sns.requests[0].params).to.deep.equal({
        Action: "ConfirmSubscription",
        Version: "2010-03-31",
        TopicArn: topic,
        Token: body.Token,
        AuthenticateOnUnsubscribe: "true",
      });
      expect(String(sns.requests[0].headers.authorization)).to.match(
        /\/eu-west-1\/sns\/aws4_request/,
      );
      expect(hook.events).to.have.length(0);
    });

    it("[SES-37] without credentials, SNS first gets the 401 challenge", async function () {
      const hook = confirmingHook();
      const res = await postSns(
        hook,
        "/amazon_ses/tracking/",
        signer.sign(snsSubscriptionConfirmation()),
      );
      expect(res.status).to.equal(401);
      expect(res.headers["www-authenticate"]).to.match(/^Basic /);
      expect(sns.requests).to.have.length(0);
    });

    it("[SES-38] with no webhook secret configured, nothing is confirmed: 400 with the token", async function () {
      const hook = confirmingHook({}, null);
      const body = signer.sign(snsSubscriptionConfirmation());
      const res = await postSns(hook, "/amazon_ses/tracking/", body);
      expect(res.status).to.equal(400);
      expect(res.text).to.contain(String(body.Token));
      expect(res.text).to.contain("did not carry the webhook secret");
      expect(sns.requests).to.have.length(0);
    });

    it("[SES-38] [SES-09] with autoConfirmSnsSubscriptions off, nothing is confirmed: 400 with the token", async function () {
      const hook = confirmingHook({ autoConfirmSnsSubscriptions: false });
      const body = signer.sign(snsSubscriptionConfirmation());
      const res = await postSns(hook, "/amazon_ses/tracking/", body).set(
        "Authorization",
        basicAuthHeader(SECRET),
      );
      expect(res.status).to.equal(400);
      expect(res.text).to.contain(String(body.Token));
      expect(res.text).to.contain("autoConfirmSnsSubscriptions is off");
      expect(sns.requests).to.have.length(0);
    });

    it("an SNS error while confirming is a 400 carrying the AWS error code", async function () {
      sns.respondOnce({
        status: 403,
        body:
          '<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>' +
          "<Code>AuthorizationError</Code><Message>User is not authorized</Message></Error>" +
          "<RequestId>r-3</RequestId></ErrorResponse>",
      });
      const hook = confirmingHook();
      const res = await postSns(
        hook,
        "/amazon_ses/tracking/",
        signer.sign(snsSubscriptionConfirmation()),
      ).set("Authorization", basicAuthHeader(SECRET));
      expect(res.status).to.equal(400);
      expect(res.text).to.contain("AuthorizationError");
    });
  });
});
