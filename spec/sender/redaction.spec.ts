import { expect } from "chai";
import { Writable } from "node:stream";
import { AnymailAPIError, createSender } from "../../lib/index.js";
import { useCaptureServer } from "../helpers/capture-server.js";

const KEY = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
const message = { from: "from@example.com", to: "to@example.com", subject: "Hi", text: "x" };

/** Everything an error can show: message, stack, response body and headers. */
function exposed(error: AnymailAPIError): string {
  return [error.message, error.stack, JSON.stringify(error.response)].join("\n");
}

async function failure(send: () => Promise<unknown>): Promise<AnymailAPIError> {
  try {
    await send();
  } catch (error) {
    expect(error).to.be.instanceOf(AnymailAPIError);
    return error as AnymailAPIError;
  }
  throw new Error("the send did not fail");
}

describe("Redaction of every credential form the sender sends (#18 item 4)", () => {
  const server = useCaptureServer();
  const basicPair = Buffer.from(`api:${KEY}`).toString("base64");

  it("a gateway echoing the basic-auth pair (base64 of api:KEY) is redacted from message, stack, body and headers", async () => {
    server().respond(502, `bad gateway; saw Authorization: Basic ${basicPair}`, {
      "x-echo-authorization": `Basic ${basicPair}`,
    });
    const sender = createSender("mailgun", {
      apiKey: KEY,
      senderDomain: "example.com",
      apiUrl: `${server().url}/v3`,
    });
    const error = await failure(() => sender.send({ ...message }));
    // the request really carried the pair, so the echo is genuine
    expect(server().last().headers.authorization).to.equal(`Basic ${basicPair}`);
    const text = exposed(error);
    expect(text).to.include("[redacted]");
    expect(text).to.not.include(basicPair).and.not.include(KEY);
  });

  it("a bearer token echoed back is redacted, also from the response headers", async () => {
    server().respond(
      401,
      { errors: [{ message: `token ${KEY} is invalid` }] },
      {
        "www-authenticate": `Bearer realm="api", token="${KEY}"`,
      },
    );
    const sender = createSender("sendgrid", { apiKey: KEY, apiUrl: `${server().url}/v3/` });
    const error = await failure(() => sender.send({ ...message }));
    expect(exposed(error)).to.not.include(KEY);
    expect(error.response)
      .to.have.nested.property("headers.www-authenticate")
      .that.includes("[redacted]");
  });

  it("userinfo in an apiUrl never appears in 'could not reach the API' errors", async () => {
    const sender = createSender("sendgrid", {
      apiKey: KEY,
      apiUrl: "http://proxyuser:proxy-pass-9876@127.0.0.1:1/v3/",
    });
    const error = await failure(() => sender.send({ ...message }));
    expect(error.message).to.include("could not reach the API");
    expect(exposed(error)).to.not.include("proxy-pass-9876").and.not.include("proxyuser");
  });

  it("debug output redacts the basic-auth pair and the key", async () => {
    server().respond(200, { id: "<m@example.com>", message: `Queued. (${basicPair})` });
    let printed = "";
    const debugStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        printed += chunk.toString();
        done();
      },
    });
    const sender = createSender("mailgun", {
      apiKey: KEY,
      senderDomain: "example.com",
      apiUrl: `${server().url}/v3`,
      debugApiRequests: true,
      debugStream,
    });
    await sender.send({ ...message });
    expect(printed).to.include("API request");
    expect(printed).to.not.include(basicPair).and.not.include(KEY);
  });
});
