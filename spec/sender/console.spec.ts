import { expect } from "chai";
import { AnymailConfigurationError, createSender, knownEspNames } from "../../lib/index.js";

describe("Console ESP and the registry", () => {
  it("[CORE-92] prints headers, bodies and the attachment list to the given stream", async () => {
    let out = "";
    const sender = createSender("console", {
      stream: { write: (chunk: string) => (out += chunk) },
    });
    const status = await sender.send({
      from: "Sender <from@example.com>",
      to: "to@example.com",
      cc: "cc@example.com",
      subject: "Console subject",
      text: "plain body",
      html: "<p>html body</p>",
      headers: { "X-Custom": "1" },
      tags: ["t1"],
      metadata: { a: 1 },
      attachments: [
        { filename: "a.txt", content: "abc" },
        { filename: "i.png", content: "x", cid: "c1" },
      ],
    });
    expect(out).to.include("From: Sender <from@example.com>");
    expect(out).to.include("To: to@example.com").and.include("Cc: cc@example.com");
    expect(out).to.include("Subject: Console subject").and.include("X-Custom: 1");
    expect(out).to.include("Tags: t1").and.include('Metadata: {"a":1}');
    expect(out).to.include("plain body").and.include("<p>html body</p>");
    expect(out)
      .to.include("a.txt (text/plain, 3 bytes)")
      .and.include("i.png (image/png, 1 bytes, inline, cid c1)");
    expect(status.status).to.deep.equal(new Set(["sent"]));
  });

  it("[CORE-01] createSender('nonesuch') lists the known ESPs", () => {
    // @ts-expect-error a misspelled literal name is a compile error (and a run-time one)
    expect(() => createSender("nonesuch")).to.throw(
      AnymailConfigurationError,
      /Unknown ESP "nonesuch". Known ESPs: .*console.*test/,
    );
    expect(knownEspNames()).to.include.members(["test", "console"]);
  });

  it("refuses unknown options, naming them: a type error for known ESPs, a runtime error always", () => {
    // @ts-expect-error -- "apikey" is not an option of the test ESP: caught at compile time
    expect(() => createSender("test", { apikey: "x" })).to.throw(
      AnymailConfigurationError,
      /unknown option\(s\) apikey/,
    );
    const dynamicName: string = "test";
    expect(() => createSender(dynamicName, { apikey: "x" })).to.throw(/unknown option\(s\) apikey/);
  });
});
