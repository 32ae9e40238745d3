import { expect } from "chai";
import {
  AnymailAPIError,
  createSender,
  type HttpTransport,
  type TransportRequest,
} from "../../lib/index.js";

/** Postmark's documented answer to an accepted message. */
function postmarkOk(to: string, messageId: string) {
  return {
    To: to,
    SubmittedAt: "2026-12-02T10:00:00.0000000-05:00",
    MessageID: messageId,
    ErrorCode: 0,
    Message: "OK",
  };
}

describe("In-process transport and sendMany concurrency (#19)", () => {
  it("runs the whole send path and hands the wire request to the transport", async () => {
    const seen: TransportRequest[] = [];
    const transport: HttpTransport = async (request) => {
      seen.push(request);
      return { status: 200, body: JSON.stringify(postmarkOk("t@example.com", "pm-1")) };
    };
    const sender = createSender("postmark", { serverToken: "token", transport });
    const status = await sender.send({
      from: "f@example.com",
      to: "t@example.com",
      subject: "Hi",
      text: "x",
      metadata: { order: 1 },
    });
    expect(status.messageId).to.equal("pm-1");
    expect(seen).to.have.length(1);
    expect(seen[0].method).to.equal("POST");
    expect(seen[0].url).to.equal("https://api.postmarkapp.com/email");
    expect(seen[0].headers["User-Agent"]).to.match(/^anymail\/\S+ \(postmark\)$/);
    expect(JSON.parse(String(seen[0].body))).to.deep.include({
      From: "f@example.com",
      Metadata: { order: 1 },
    });
  });

  it("turns a transport's error answer into AnymailAPIError as the network path does", async () => {
    const sender = createSender("sendgrid", {
      apiKey: "SG.key",
      transport: async () => ({ status: 400, body: '{"errors":[{"message":"bad from"}]}' }),
    });
    let error: unknown;
    await sender
      .send({ from: "f@example.com", to: "t@example.com", text: "x" })
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailAPIError);
    expect((error as AnymailAPIError).statusCode).to.equal(400);
    expect((error as Error).message).to.include("bad from");
  });

  it("an empty 2xx answer (SendGrid's 202) is read without JSON errors", async () => {
    const sender = createSender("sendgrid", {
      apiKey: "SG.key",
      transport: async () => ({ status: 202, body: "" }),
    });
    const status = await sender.send({ from: "f@example.com", to: "t@example.com", text: "x" });
    expect(status.status).to.deep.equal(new Set(["queued"]));
    expect(status.espResponse).to.deep.include({ status: 202, body: "" });
  });

  it("sendMany keeps at most `concurrency` sends in flight, results in input order, failures isolated", async () => {
    let inFlight = 0;
    let peak = 0;
    const transport: HttpTransport = async (request) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      const body = JSON.parse(String(request.body)) as { To: string };
      if (body.To === "bad@example.com") {
        return { status: 422, body: '{"ErrorCode":300,"Message":"Invalid email request"}' };
      }
      return { status: 200, body: JSON.stringify(postmarkOk(body.To, body.To)) };
    };
    const sender = createSender("postmark", { serverToken: "token", transport });
    const to = Array.from({ length: 20 }, (_, i) =>
      i === 7 ? "bad@example.com" : `r${i}@example.com`,
    );
    const results = await sender.sendMany(
      to.map((address) => ({ from: "f@example.com", to: address, text: "x" })),
      { concurrency: 4 },
    );
    expect(peak).to.equal(4);
    expect(
      results.map((r) => (r.status === "fulfilled" ? r.value.messageId : "failed")),
    ).to.deep.equal(to.map((address) => (address === "bad@example.com" ? "failed" : address)));
    expect(results[7]).to.have.property("reason").that.is.instanceOf(AnymailAPIError);
  });

  it("sendMany refuses a concurrency below 1", async () => {
    const sender = createSender("test");
    let error: unknown;
    await sender.sendMany([], { concurrency: 0 }).catch((e: unknown) => (error = e));
    expect((error as Error).message).to.include("concurrency");
  });
});
