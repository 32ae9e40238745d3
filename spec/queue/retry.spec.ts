import { expect } from "chai";
import { AnymailAPIError, AnymailUnsupportedFeature } from "../../lib/errors.js";
import { parseRetryAfter } from "../../lib/sender/http.js";
import { Sender } from "../../lib/sender/sender.js";
import { createFailoverSender } from "../../lib/queue/failover.js";
import { retryDelay, sendWithRetry } from "../../lib/queue/retry.js";
import { fakeHttpAdapter } from "../helpers/fake-esps.js";
import {
  startCaptureServer,
  useCaptureServer,
  type CaptureServer,
} from "../helpers/capture-server.js";
import { rejectionOf as rejection } from "../helpers/rejection.js";

const MESSAGE = { from: "from@example.com", to: ["to@example.com"], subject: "Hi" };

function httpSender(server: CaptureServer, espName = "FakeHTTP"): Sender {
  return new Sender(
    { ...fakeHttpAdapter, displayName: espName },
    { apiKey: "key-1234", apiUrl: server.url, requestsTimeout: 2 },
  );
}

describe("Queue: retriable API errors", () => {
  const server = useCaptureServer(200, { id: "msg-1" });

  it("429 and 5xx answers are retriable, with the Retry-After in seconds", async () => {
    server().respondOnce(429, { error: "slow down" }, { "Retry-After": "7" });
    const error = await rejection(httpSender(server()).send({ ...MESSAGE }));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(error).to.include({ retriable: true, retryAfter: 7, statusCode: 429 });

    server().respondOnce(503, "down");
    expect(await rejection(httpSender(server()).send({ ...MESSAGE }))).to.include({
      retriable: true,
      retryAfter: undefined,
    });
  });

  it("4xx answers are not retriable", async () => {
    server().respondOnce(422, { error: "bad address" });
    const error = await rejection(httpSender(server()).send({ ...MESSAGE }));
    expect(error).to.include({ retriable: false, statusCode: 422 });
  });

  it("an API that cannot be reached is retriable", async () => {
    const gone = await startCaptureServer();
    await gone.close();
    const error = await rejection(httpSender(gone).send({ ...MESSAGE }));
    expect(error).to.be.instanceOf(AnymailAPIError).and.include({ retriable: true });
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).to.equal(120);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).to.equal(30);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now)).to.equal(0);
    expect(parseRetryAfter("soon", now)).to.equal(undefined);
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
  });
});

describe("Queue: retryDelay", () => {
  const retriable = new AnymailAPIError("busy", { statusCode: 503 });

  it("backs off exponentially with jitter, up to maxDelay", () => {
    const policy = { baseDelay: 100, maxDelay: 1000, jitter: 0.5 };
    expect(retryDelay(retriable, 1, policy, () => 1)).to.equal(100);
    expect(retryDelay(retriable, 1, policy, () => 0)).to.equal(50);
    expect(retryDelay(retriable, 3, policy, () => 1)).to.equal(400);
    expect(retryDelay(retriable, 10, policy, () => 1)).to.equal(1000);
  });

  it("never waits less than Retry-After, and gives up on one past maxRetryAfter", () => {
    const limited = new AnymailAPIError("429", { statusCode: 429, retryAfter: 2 });
    expect(retryDelay(limited, 1, { baseDelay: 100 }, () => 1)).to.equal(2000);
    expect(retryDelay(limited, 1, { maxRetryAfter: 1000 })).to.equal(null);
  });

  it("never retries what is not retriable", () => {
    expect(retryDelay(new AnymailAPIError("bad", { statusCode: 400 }), 1)).to.equal(null);
    expect(retryDelay(new AnymailUnsupportedFeature("no tags"), 1)).to.equal(null);
    expect(retryDelay(new TypeError("bug"), 1)).to.equal(null);
  });
});

describe("Queue: sendWithRetry", () => {
  const server = useCaptureServer(200, { id: "msg-1" });

  it("[fault] 429 with Retry-After then 200: one send, after the wait", async () => {
    server().respondOnce(429, { error: "rate limited" }, { "Retry-After": "1" });
    const retries: number[] = [];
    const started = Date.now();
    const status = await sendWithRetry(
      httpSender(server()),
      { ...MESSAGE },
      {
        baseDelay: 10,
        onRetry: (_error, _attempt, delay) => retries.push(delay),
      },
    );
    expect(status.messageId).to.equal("msg-1");
    expect(server().requests).to.have.length(2);
    expect(retries).to.have.length(1);
    expect(retries[0]).to.be.at.least(1000);
    expect(Date.now() - started).to.be.at.least(1000);
  });

  it("stops at the first error that is not retriable", async () => {
    server().respondOnce(503, "down").respondOnce(400, { error: "bad" });
    const error = await rejection(
      sendWithRetry(httpSender(server()), { ...MESSAGE }, { baseDelay: 1, attempts: 5 }),
    );
    expect(error).to.include({ statusCode: 400 });
    expect(server().requests).to.have.length(2);
  });

  it("throws the last error after `attempts` tries", async () => {
    server().respond(502, "bad gateway");
    const error = await rejection(
      sendWithRetry(httpSender(server()), { ...MESSAGE }, { baseDelay: 1, attempts: 3 }),
    );
    expect(error).to.include({ statusCode: 502, retriable: true });
    expect(server().requests).to.have.length(3);
  });
});

describe("Queue: createFailoverSender", () => {
  let primary: CaptureServer;
  let secondary: CaptureServer;
  before(async () => {
    primary = await startCaptureServer();
    secondary = await startCaptureServer();
  });
  beforeEach(() => {
    primary.reset().respond(200, { id: "from-primary" });
    secondary.reset().respond(200, { id: "from-secondary" });
  });
  after(async () => {
    await primary.close();
    await secondary.close();
  });

  const pair = (policy = {}) =>
    createFailoverSender(
      [httpSender(primary, "Primary"), httpSender(secondary, "Secondary")],
      policy,
    );

  it("sends through the first sender when it works", async () => {
    const status = await pair().send({ ...MESSAGE });
    expect(status).to.include({ sentBy: "Primary", messageId: "from-primary" });
    expect(secondary.requests).to.have.length(0);
  });

  it("hands a retriable failure to the next sender, reporting which one sent", async () => {
    primary.respondOnce(503, "down");
    const status = await pair().send({ ...MESSAGE });
    expect(status).to.include({ sentBy: "Secondary", messageId: "from-secondary" });
  });

  it("throws an error that is not retriable at once", async () => {
    primary.respondOnce(400, { error: "bad from" });
    const error = await rejection(pair().send({ ...MESSAGE }));
    expect(error).to.include({ statusCode: 400 });
    expect(secondary.requests).to.have.length(0);
  });

  it("skips a sender that cannot express the message", async () => {
    const noTags = new Sender(
      { ...fakeHttpAdapter, displayName: "NoTags", features: {} },
      { apiKey: "key-1234", apiUrl: primary.url },
    );
    const sender = createFailoverSender([noTags, httpSender(secondary, "Secondary")]);
    const status = await sender.send({ ...MESSAGE, tags: ["welcome"] });
    expect(status.sentBy).to.equal("Secondary");
    expect(primary.requests).to.have.length(0);
  });

  it("opens a failing sender's circuit, then tries it once after the cooldown", async () => {
    let now = 1_000_000;
    const sender = pair({ failureThreshold: 2, cooldown: 10_000, now: () => now });
    primary.respond(503, "down");
    await sender.send({ ...MESSAGE });
    await sender.send({ ...MESSAGE });
    expect(sender.openCircuits()).to.deep.equal(["Primary"]);
    await sender.send({ ...MESSAGE });
    expect(primary.requests).to.have.length(2);

    now += 10_001;
    primary.respond(200, { id: "from-primary" });
    expect((await sender.send({ ...MESSAGE })).sentBy).to.equal("Primary");
    expect(sender.openCircuits()).to.deep.equal([]);
  });

  it("when every circuit is open, fails retriably with the wait", async () => {
    const now = 5_000_000;
    const sender = pair({ failureThreshold: 1, cooldown: 20_000, now: () => now });
    primary.respond(503, "down");
    secondary.respond(500, "down");
    await rejection(sender.send({ ...MESSAGE }));
    const error = await rejection(sender.send({ ...MESSAGE }));
    expect(error)
      .to.be.instanceOf(AnymailAPIError)
      .and.include({ retriable: true, retryAfter: 20 });
  });
});
