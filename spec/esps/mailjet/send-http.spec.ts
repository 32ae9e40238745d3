// The adapter's send() over real HTTP on loopback, through the shared HttpClient.
import { expect } from "chai";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AnymailAPIError, AnymailUnsupportedFeature } from "../../../lib/errors.js";
import { parseAddressList, parseSingleAddress } from "../../../lib/sender/address.js";
import { HttpClient } from "../../../lib/sender/http.js";
import type { NormalizedMessage } from "../../../lib/sender/message.js";
import type { SendContext } from "../../../lib/esps/types.js";
import { mailjet } from "../../../lib/esps/mailjet/index.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

describe("Mailjet send over HTTP (adapter level)", () => {
  let server: Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  let answer: { status: number; body: string } = { status: 200, body: "{}" };

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        res.writeHead(answer.status, { "Content-Type": "application/json" });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3.1/`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function context(http: HttpClient): SendContext {
    return {
      espName: "Mailjet",
      settings: { apiKey: "mj-api-key", secretKey: "mj-secret-key", apiUrl: baseUrl },
      http,
      original: {},
      outbox: [],
      ignoreUnsupportedFeatures: false,
      unsupported(feature) {
        throw new AnymailUnsupportedFeature(feature);
      },
      serializeJson: (value) => JSON.stringify(value),
      memo: (_key, create) => create(),
    };
  }

  const message: NormalizedMessage = {
    from: parseSingleAddress("from@example.com"),
    fromAll: [parseSingleAddress("from@example.com")],
    to: parseAddressList(["to@example.com"], "to"),
    cc: [],
    bcc: [],
    replyTo: [],
    subject: "Hi",
    text: "Body",
    html: null,
    alternatives: [],
    attachments: [],
    headers: {},
    envelopeSender: null,
    metadata: null,
    mergeMetadata: null,
    tags: [],
    trackOpens: null,
    trackClicks: null,
    sendAt: null,
    espExtra: null,
    templateId: null,
    mergeData: null,
    mergeGlobalData: null,
    mergeHeaders: null,
    isBatch: false,
  };

  it("[MJ-01] [MJ-12] posts the JSON payload with basic auth and keeps the big MessageID exact", async () => {
    const http = new HttpClient({ espName: "Mailjet", timeout: 5, secrets: [] });
    answer = {
      status: 200,
      body:
        '{"Messages":[{"Status":"success","To":[{"Email":"to@example.com","MessageUUID":"u",' +
        '"MessageID":1152921519812251571,"MessageHref":"https://api.mailjet.com/v3/message/1152921519812251571"}]}]}',
    };
    const result = await mailjet.send(message, context(http));
    await http.close();
    const request = seen.at(-1) as Seen;
    expect(request.method).to.equal("POST");
    expect(request.url).to.equal("/v3.1/send");
    expect(request.headers.authorization).to.equal(
      `Basic ${Buffer.from("mj-api-key:mj-secret-key").toString("base64")}`,
    );
    expect(request.headers["content-type"]).to.equal("application/json");
    expect(JSON.parse(request.body)).to.deep.equal({
      Globals: { From: { Email: "from@example.com" }, Subject: "Hi", TextPart: "Body" },
      Messages: [{ To: [{ Email: "to@example.com" }] }],
    });
    expect(result.recipients).to.deep.equal({
      "to@example.com": { status: "sent", messageId: "1152921519812251571" },
    });
  });

  it("[MJ-11] a 4xx ErrorCode answer (e.g. an unapproved Sender) is an AnymailAPIError", async () => {
    const http = new HttpClient({ espName: "Mailjet", timeout: 5, secrets: [] });
    answer = {
      status: 400,
      body: '{"ErrorIdentifier":"x","ErrorCode":"mj-0004","StatusCode":400,"ErrorMessage":"Sender is not allowed"}',
    };
    let error: unknown;
    try {
      await mailjet.send(
        { ...message, envelopeSender: parseSingleAddress("bounce@example.com") },
        context(http),
      );
    } catch (e) {
      error = e;
    }
    await http.close();
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as AnymailAPIError).message).to.equal(
      "Mailjet API response 400: Sender is not allowed",
    );
    expect(JSON.parse((seen.at(-1) as Seen).body).Globals.Sender).to.deep.equal({
      Email: "bounce@example.com",
    });
  });

  it("a 5xx answer is an AnymailAPIError from the HTTP client", async () => {
    const http = new HttpClient({ espName: "Mailjet", timeout: 5, secrets: ["mj-secret-key"] });
    answer = { status: 503, body: "unavailable" };
    let error: unknown;
    try {
      await mailjet.send(message, context(http));
    } catch (e) {
      error = e;
    }
    await http.close();
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as AnymailAPIError).statusCode).to.equal(503);
  });
});
