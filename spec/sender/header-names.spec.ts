import { expect } from "chai";
import { AnymailError, createSender, type AnymailMessage } from "../../lib/index.js";
import { useCaptureServer } from "../helpers/capture-server.js";

const forged = ["X-Note: x\r\nFrom", "Subject: forged", "X Space", "X-Colon:", "", "X-Ünicode"];

describe("Header names are RFC 5322 field names (#18 item 5)", () => {
  const server = useCaptureServer(202, "");
  const senders = () => [
    createSender("sendgrid", { apiKey: "SG.key", apiUrl: `${server().url}/v3/` }),
    createSender("postmark", { serverToken: "pm-token", apiUrl: `${server().url}/` }),
    createSender("mailgun", {
      apiKey: "mg-key",
      senderDomain: "example.com",
      apiUrl: `${server().url}/v3`,
    }),
  ];

  for (const name of forged) {
    it(`refuses ${JSON.stringify(name)} before anything is sent, for every ESP`, async () => {
      for (const sender of senders()) {
        const message: AnymailMessage = {
          from: "from@example.com",
          to: "to@example.com",
          subject: "Hi",
          text: "x",
          headers: { [name]: "value" },
        };
        let error: unknown;
        await sender.send(message).catch((e: unknown) => (error = e));
        expect(error, sender.espName).to.be.instanceOf(AnymailError);
        expect((error as Error).message).to.match(/Invalid header name/);
      }
      expect(server().requests).to.have.length(0);
    });
  }

  it("refuses the same in mergeHeaders and attachment headers", async () => {
    const [sendgrid] = senders();
    const base = { from: "f@example.com", to: ["a@example.com"], text: "x" };
    for (const message of [
      { ...base, mergeHeaders: { "a@example.com": { "Bad Name": "v" } } },
      { ...base, attachments: [{ filename: "a.txt", content: "a", headers: { "A:B": "v" } }] },
    ] as AnymailMessage[]) {
      let error: unknown;
      await sendgrid.send(message).catch((e: unknown) => (error = e));
      expect((error as Error).message).to.match(/Invalid header name/);
    }
    expect(server().requests).to.have.length(0);
  });

  it("accepts ordinary names, and values keep being sent", async () => {
    const [sendgrid] = senders();
    await sendgrid.send({
      from: "f@example.com",
      to: "t@example.com",
      text: "x",
      headers: { "X-Custom-Header_1.2": "ok" },
    });
    expect(server().last().json).to.have.nested.property("headers.X-Custom-Header_1\\.2", "ok");
  });
});
