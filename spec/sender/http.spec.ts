import { expect } from "chai";
import nodeFetch from "node-fetch";
import { AnymailAPIError, AnymailConfigurationError, type FetchLike } from "../../lib/index.js";
import { joinUrl } from "../../lib/sender/http.js";
import { isHtml } from "../../lib/sender/message.js";
import { HttpClient } from "../../lib/sender/http.js";
import { Sender } from "../../lib/sender/sender.js";
import { startCaptureServer, type CaptureServer } from "../helpers/capture-server.js";
import { fakeHttpAdapter } from "../helpers/fake-esps.js";

const message = { from: "from@example.com", to: "to@example.com", subject: "Hi" };

describe("HTTP client (FakeHTTP ESP on loopback)", () => {
  let server: CaptureServer;
  beforeEach(async () => {
    server = await startCaptureServer();
    server.respond(200, { id: "msg-1" });
  });
  afterEach(async () => server.close());

  const sender = (options: Record<string, unknown> = {}) =>
    new Sender(fakeHttpAdapter, { apiKey: "sekrit-key-123", apiUrl: server.url, ...options });

  it("posts the request and maps the response", async () => {
    const status = await sender().send(message);
    const request = server.last();
    expect(request.method).to.equal("POST");
    expect(request.path).to.equal("/send");
    expect(request.headers.authorization).to.equal("Bearer sekrit-key-123");
    expect(request.json).to.deep.equal({ to: ["to@example.com"], subject: "Hi" });
    expect(status.messageId).to.equal("msg-1");
    expect(status.espResponse).to.deep.include({ status: 200, body: { id: "msg-1" } });
  });

  it("[CORE-57] [CORE-59] an error answer throws AnymailAPIError with status, response and the ESP's text", async () => {
    server.respond(401, { message: "Invalid API key" });
    const msg = { ...message };
    let error: unknown;
    await sender()
      .send(msg)
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailAPIError);
    const apiError = error as AnymailAPIError;
    expect(apiError.statusCode).to.equal(401);
    expect(apiError.espName).to.equal("FakeHTTP");
    expect(apiError.message).to.include("Invalid API key").and.not.include("sekrit");
    expect(apiError.response).to.deep.include({ status: 401 });
  });

  it("reads an answer once as text: bytes, text and JSON agree (UTF-8, empty, not JSON)", async () => {
    const client = new HttpClient({ espName: "FakeHTTP", timeout: 5, secrets: [] });
    try {
      const post = () => client.request({ url: `${server.url}/send`, body: "{}" });
      server.respondOnce(200, '  {"name": "Zoë 🎉", "id": 12}', {
        "content-type": "application/json",
      });
      const json = await post();
      expect(json.text).to.equal('  {"name": "Zoë 🎉", "id": 12}');
      expect(json.body.equals(Buffer.from(json.text, "utf8"))).to.equal(true);
      expect(json.json).to.deep.equal({ name: "Zoë 🎉", id: 12 });
      expect(json.toEspResponse().body).to.deep.equal({ name: "Zoë 🎉", id: 12 });

      server.respondOnce(202, "");
      const empty = await post();
      expect([empty.text, empty.body.length, empty.json]).to.deep.equal(["", 0, undefined]);
      expect(empty.toEspResponse().body).to.equal("");

      server.respondOnce(200, "queued: ok", { "content-type": "text/plain" });
      const text = await post();
      expect(text.json).to.equal(undefined);
      expect(text.toEspResponse().body).to.equal("queued: ok");
    } finally {
      await client.close();
    }
  });

  it("[CORE-52] after an API error the message's status is empty", async () => {
    server.respond(500, "oops");
    const msg: Parameters<Sender["send"]>[0] = { ...message };
    await sender()
      .send(msg)
      .catch(() => undefined);
    expect(msg.anymailStatus!.messageId).to.equal(null);
    expect(msg.anymailStatus!.status).to.equal(null);
    expect(msg.anymailStatus!.recipients).to.deep.equal({});
  });

  it("[CORE-59] the ESP's error text is shown but an echoed secret is redacted", async () => {
    server.respond(403, "forbidden for key sekrit-key-123");
    let error: unknown;
    await sender()
      .send(message)
      .catch((e: unknown) => (error = e));
    expect((error as Error).message).to.include("forbidden for key [redacted]");
    expect(JSON.stringify((error as AnymailAPIError).response)).to.not.include("sekrit-key-123");
  });

  it("[CORE-58] a connection failure throws AnymailAPIError with the cause", async () => {
    const url = server.url;
    await server.close();
    let error: unknown;
    await new Sender(fakeHttpAdapter, { apiKey: "k".repeat(8), apiUrl: url })
      .send(message)
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as Error).message).to.match(/could not reach/);
    expect((error as Error).cause).to.not.equal(undefined);
    server = await startCaptureServer(); // for afterEach
  });

  it("[CORE-82] [CORE-83] [CORE-84] a call past the timeout throws AnymailAPIError", async () => {
    server.hangOnce();
    let error: unknown;
    const started = Date.now();
    await sender({ requestsTimeout: 0.2 })
      .send(message)
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect(Date.now() - started).to.be.below(5000);
    server.hangOnce();
    let pairError: unknown;
    await sender({ requestsTimeout: [1, 0.2] })
      .send(message)
      .catch((e: unknown) => (pairError = e));
    expect(pairError).to.be.instanceOf(AnymailAPIError);
  });

  it("[CORE-85] the timeout also bounds an injected fetch", async () => {
    server.hangOnce();
    let error: unknown;
    await sender({ requestsTimeout: 0.2, fetch: nodeFetch as unknown as FetchLike })
      .send(message)
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailAPIError);
  });

  it("[CORE-83] requestsTimeout null disables timeouts", async () => {
    const status = await sender({ requestsTimeout: null }).send(message);
    expect(status.messageId).to.equal("msg-1");
  });

  it("an injected fetch (node-fetch) is used", async () => {
    let calls = 0;
    const counting: FetchLike = (input, init) => {
      calls++;
      return nodeFetch(
        input,
        init as Parameters<typeof nodeFetch>[1],
      ) as unknown as Promise<Response>;
    };
    const status = await sender({ fetch: counting }).send(message);
    expect(calls).to.equal(1);
    expect(status.messageId).to.equal("msg-1");
    expect(server.last().json).to.deep.equal({ to: ["to@example.com"], subject: "Hi" });
  });

  it("[CORE-05] sendMany reuses the sender's keep-alive pool and reports each result", async () => {
    server.respondOnce(200, { id: "a" }).respondOnce(500, "boom").respondOnce(200, { id: "c" });
    const s = sender();
    // one at a time, so the pool is reused rather than widened
    const results = await s.sendMany(
      Array.from({ length: 10 }, () => message),
      { concurrency: 1 },
    );
    expect(results.map((r) => r.status).slice(0, 3)).to.deep.equal([
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).to.have.length(9);
    expect(server.requests).to.have.length(10);
    // undici settles on at most two sockets for sequential requests; a fresh sender per message opens one each
    expect(server.connectionCount).to.be.at.most(2);
    await s.close();
    const before = server.connectionCount;
    for (let i = 0; i < 3; i++) {
      const fresh = sender();
      await fresh.send(message);
      await fresh.close();
    }
    expect(server.connectionCount - before).to.equal(3);
  });

  it("[CORE-86] debugApiRequests prints request and response with credentials redacted", async () => {
    let out = "";
    await sender({
      debugApiRequests: true,
      debugStream: { write: (c: string) => (out += c) },
    }).send({ ...message, metadata: { k: "sekrit-key-123" } });
    expect(out).to.include("POST " + server.url + "/send");
    expect(out).to.include("Authorization: [redacted]");
    expect(out).to.include('"msg-1"');
    expect(out).to.not.include("sekrit-key-123");
  });

  it("[CORE-87] prints nothing when debug is off", async () => {
    let out = "";
    await sender({ debugStream: { write: (c: string) => (out += c) } }).send(message);
    expect(out).to.equal("");
  });

  it("sends urlencoded and multipart bodies through the pooled client, with their content types", async () => {
    const client = new HttpClient({ espName: "FakeHTTP", timeout: 5, secrets: [] });
    await client.request({
      url: `${server.url}/form`,
      body: new URLSearchParams({ a: "1", b: "é" }),
    });
    expect(server.last().headers["content-type"]).to.match(/^application\/x-www-form-urlencoded/);
    expect(server.last().form).to.deep.equal({ a: ["1"], b: ["é"] });
    const form = new FormData();
    form.append("field", "value");
    form.append("file", new Blob([Buffer.from("bytes")], { type: "text/plain" }), "f.txt");
    await client.request({ url: `${server.url}/multipart`, body: form });
    expect(server.last().form).to.deep.equal({ field: ["value"] });
    expect(server.last().files![0]).to.deep.include({ fieldName: "file", filename: "f.txt" });
    expect(server.last().files![0].content.toString()).to.equal("bytes");
    await client.close();
  });

  it("[CORE-80] a missing required ESP setting fails in the constructor", () => {
    expect(() => new Sender(fakeHttpAdapter, { apiUrl: "http://x", env: {} })).to.throw(
      AnymailConfigurationError,
      /apiKey.*ANYMAIL_FAKEHTTP_API_KEY or FAKEHTTP_API_KEY/,
    );
  });
});

describe("joinUrl and isHtml", () => {
  it("joinUrl puts one slash between a base URL and an endpoint", () => {
    expect(joinUrl("https://api.example.com/v3", "mail/send")).to.equal(
      "https://api.example.com/v3/mail/send",
    );
    expect(joinUrl("https://api.example.com/v3/", "mail/send")).to.equal(
      "https://api.example.com/v3/mail/send",
    );
  });

  it("isHtml reads the media type, parameters and case aside", () => {
    expect(isHtml("Text/HTML; charset=utf-8")).to.equal(true);
    expect(isHtml(" text/html ")).to.equal(true);
    expect(isHtml("text/x-amp-html")).to.equal(false);
    expect(isHtml("text/plain; note=text/html")).to.equal(false);
  });
});
