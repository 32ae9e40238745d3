import { expect } from "chai";
import { AnymailError, createSender, type AnymailMessage } from "../../lib/index.js";
import { useCaptureServer } from "../helpers/capture-server.js";

describe("Unknown message fields (strict, #21)", () => {
  const server = useCaptureServer(202, "");
  const sendgrid = (options: Record<string, unknown> = {}) =>
    createSender("sendgrid", { apiKey: "SG.key", apiUrl: `${server().url}/v3/`, ...options });

  it("refuses a misspelled field by name before anything is sent", async () => {
    // a JavaScript caller, or an object built elsewhere: the compiler cannot see the typo
    const message = {
      from: "f@example.com",
      to: "t@example.com",
      text: "x",
      attachements: [{ filename: "a.txt", content: "a" }],
    } as unknown as AnymailMessage;
    let error: unknown;
    await sendgrid()
      .send(message)
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailError);
    expect((error as Error).message)
      .to.include('"attachements"')
      .and.include("attachments")
      .and.include("strict: false");
    expect(server().requests).to.have.length(0);
  });

  it("refuses unknown send defaults when the sender is created", () => {
    expect(() => sendgrid({ sendDefaults: { tag: ["x"] } })).to.throw(AnymailError, /"tag"/);
  });

  it("strict: false sends without the unknown field", async () => {
    const message = { from: "f@example.com", to: "t@example.com", text: "x", colour: "red" };
    await sendgrid({ strict: false }).send(message as AnymailMessage);
    expect(server().requests).to.have.length(1);
    expect(JSON.stringify(server().last().json)).to.not.include("red");
  });
});
