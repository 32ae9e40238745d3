import { expect } from "chai";
import { AnymailInvalidAddress, createSender } from "../../lib/index.js";
import { idnaEncode } from "../../lib/util/idna.js";
import { useCaptureServer } from "../helpers/capture-server.js";

describe("International domains are sent as IDNA 2008 A-labels (#17 item 14)", () => {
  const server = useCaptureServer(202, "");

  it("encodes as Python's idna.encode(domain, uts46=True) does", () => {
    // expectations checked against django-anymail 15.1's encoder (the idna package)
    expect(idnaEncode("Bücher.example")).to.equal("xn--bcher-kva.example");
    expect(idnaEncode("faß.de")).to.equal("xn--fa-hia.de"); // non-transitional: ß kept
    expect(idnaEncode("例え.テスト")).to.equal("xn--r8jz45g.xn--zckzah");
    expect(idnaEncode("l·l.cat")).to.equal("xn--ll-0ea.cat");
    expect(idnaEncode("example.com")).to.equal("example.com");
    for (const refused of ["👍.example", "☃.net", "a·b.de"]) {
      expect(idnaEncode(refused), refused).to.equal(null);
    }
  });

  it("sends every address field with A-label domains, and reports statuses under the given addresses", async () => {
    const sender = createSender("sendgrid", { apiKey: "SG.key", apiUrl: `${server().url}/v3/` });
    const status = await sender.send({
      from: "Shop <shop@bücher.example>",
      to: ["Jürgen <jurgen@münchen.example>"],
      cc: ["cc@例え.テスト"],
      replyTo: ["help@bücher.example"],
      subject: "Hi",
      text: "x",
    });
    const body = server().last().json as {
      from: { email: string; name: string };
      personalizations: { to: { email: string; name?: string }[]; cc: { email: string }[] }[];
      reply_to: { email: string };
    };
    expect(body.from).to.deep.equal({ email: "shop@xn--bcher-kva.example", name: "Shop" });
    expect(body.personalizations[0].to[0]).to.deep.include({
      email: "jurgen@xn--mnchen-3ya.example",
      name: "Jürgen",
    });
    expect(body.personalizations[0].cc[0].email).to.equal("cc@xn--r8jz45g.xn--zckzah");
    expect(body.reply_to.email).to.equal("help@xn--bcher-kva.example");
    expect(Object.keys(status.recipients)).to.have.members([
      "jurgen@münchen.example",
      "cc@例え.テスト",
    ]);
  });

  it("keeps per-recipient merge data with its recipient", async () => {
    const sender = createSender("sendgrid", { apiKey: "SG.key", apiUrl: `${server().url}/v3/` });
    await sender.send({
      from: "shop@example.com",
      to: ["a@bücher.example", "b@example.com"],
      templateId: "d-123",
      mergeData: { "a@bücher.example": { name: "A" }, "b@example.com": { name: "B" } },
    });
    const body = server().last().json as {
      personalizations: { to: { email: string }[]; dynamic_template_data?: object }[];
    };
    expect(
      body.personalizations.map((p) => [p.to[0].email, p.dynamic_template_data]),
    ).to.deep.equal([
      ["a@xn--bcher-kva.example", { name: "A" }],
      ["b@example.com", { name: "B" }],
    ]);
  });

  it("sends A-labels in Mailgun's form fields too", async () => {
    server().respond(200, { id: "<m@mg.example>", message: "Queued" });
    const sender = createSender("mailgun", {
      apiKey: "key",
      senderDomain: "mg.example",
      apiUrl: `${server().url}/v3`,
    });
    await sender.send({ from: "f@example.com", to: "Zoë <zoe@bücher.example>", text: "x" });
    expect(server().last().form?.to).to.deep.equal(["Zoë <zoe@xn--bcher-kva.example>"]);
  });

  it("refuses a domain IDNA 2008 refuses (emoji) before anything is sent", async () => {
    const sender = createSender("sendgrid", { apiKey: "SG.key", apiUrl: `${server().url}/v3/` });
    let error: unknown;
    await sender
      .send({ from: "f@example.com", to: "fan@👍.example", text: "x" })
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailInvalidAddress);
    expect((error as Error).message)
      .to.include("to")
      .and.include("IDNA 2008");
    expect(server().requests).to.have.length(0);
  });
});
