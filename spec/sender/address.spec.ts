import { expect } from "chai";
import {
  AnymailInvalidAddress,
  createSender,
  EmailAddress,
  parseAddressList,
} from "../../lib/index.js";

describe("Addresses", () => {
  it("[CORE-07] accepts display-name and bare addresses and keeps the display name", () => {
    const [named, bare] = parseAddressList([
      "New User <user1@example.com>",
      "account.manager@example.com",
    ]);
    expect(named.addrSpec).to.equal("user1@example.com");
    expect(named.displayName).to.equal("New User");
    expect(named.toString()).to.equal("New User <user1@example.com>");
    expect(bare.addrSpec).to.equal("account.manager@example.com");
    expect(bare.displayName).to.equal("");
  });

  it("[CORE-08] splits one string holding several comma-separated addresses", () => {
    const list = parseAddressList("a@example.com, Bee <b@example.com>,c@example.com");
    expect(list.map((a) => a.addrSpec)).to.deep.equal([
      "a@example.com",
      "b@example.com",
      "c@example.com",
    ]);
  });

  it("[CORE-09] sends a quoted display name with a comma, refuses the unquoted one", async () => {
    const [quoted] = parseAddressList('"Widgets, Inc." <widgets@example.com>');
    expect(quoted.displayName).to.equal("Widgets, Inc.");
    expect(quoted.toString()).to.equal('"Widgets, Inc." <widgets@example.com>');
    expect(() => parseAddressList("Widgets, Inc. <widgets@example.com>")).to.throw(
      AnymailInvalidAddress,
      /Widgets/,
    );
    const sender = createSender("test");
    const message = {
      from: "from@example.com",
      to: "Widgets, Inc. <widgets@example.com>",
      subject: "s",
    };
    let error: unknown;
    await sender.send(message).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailInvalidAddress);
    expect(sender.outbox).to.have.length(0);
  });

  for (const [field, value] of [
    ["from", "not an address"],
    ["to", "user@"],
    ["cc", "@example.com"],
    ["bcc", "Name <user@@example.com>"],
    ["to", "a@example..com"],
    ["to", "Name <a@example.com> trailing"],
  ] as const) {
    it(`[CORE-10] refuses malformed ${field} ${JSON.stringify(value)} before sending`, async () => {
      const sender = createSender("test");
      const message = { from: "from@example.com", to: "to@example.com", [field]: value };
      let error: unknown;
      await sender.send(message).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(AnymailInvalidAddress);
      expect((error as Error).message).to.include(field);
      expect(sender.outbox).to.have.length(0);
    });
  }

  it("keeps non-ASCII display names and IDN domains, and objects with name/address", () => {
    const [a, b] = parseAddressList([
      "José Müller <jose@bücher.example>",
      { name: "O'Brien (PR)", address: "ob@example.com" },
    ]);
    expect(a.displayName).to.equal("José Müller");
    expect(a.domain).to.equal("bücher.example");
    expect(a.username).to.equal("jose");
    expect(b.toString()).to.equal('"O\'Brien (PR)" <ob@example.com>');
  });

  it("parses quoted names with escapes, comments, and EmailAddress instances", () => {
    const [a, b] = parseAddressList([
      '"Say \\"hi\\"" <hi@example.com>',
      "old@example.com (Old Style)",
    ]);
    expect(a.displayName).to.equal('Say "hi"');
    expect(a.toString()).to.equal('"Say \\"hi\\"" <hi@example.com>');
    expect(b.displayName).to.equal("Old Style");
    const instance = new EmailAddress("x@example.com", "X");
    expect(parseAddressList([instance])[0]).to.equal(instance);
    expect(JSON.stringify(instance)).to.equal('"X <x@example.com>"');
  });

  it("refuses unquoted specials in a display name and non-address values", () => {
    expect(() => parseAddressList("a@b <x@example.com>")).to.throw(AnymailInvalidAddress);
    expect(() => parseAddressList([42 as unknown as string])).to.throw(AnymailInvalidAddress);
    expect(parseAddressList(null)).to.deep.equal([]);
  });

  // parseAddressList reads a plain `Name <addr>` or `addr` with one match (issue #19); a
  // leading comma sends the same text through the full parse, which must agree
  it("reads a one-address string as the full parse does, faults included", () => {
    const outcome = (input: string) => {
      try {
        return parseAddressList(input, "to").map((a) => [a.addrSpec, a.displayName]);
      } catch (error) {
        expect(error).to.be.instanceOf(AnymailInvalidAddress);
        return (error as Error).message;
      }
    };
    const curated = [
      "user@example.com",
      "  Bench Sender   <from@example.com>  ",
      "<x@example.com>",
      "Mr. Smith <a.b+c@sub.example.com>",
      "Zoë ✓ <zoe@exämple.com>",
      "x@.example.com",
      "x@example.com.",
      "x@example..com",
      "Name <x@example..com>",
      "a..b@example.com",
      "Name <x@example.com> trailing",
      "Name <x@example.com",
      "Name x@example.com>",
      "a@b <x@example.com>",
      "Name: <x@example.com>",
      "[Name] <x@example.com>",
      "Name < x@example.com >",
      "Name\t<x@example.com>",
      "no-at-sign",
      "two@at@example.com",
      "Name <>",
      "\u00a0x@example.com\u00a0",
    ];
    let seed = 19;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'ab.@ <>"\\;:[]()\t.-é';
    const generated = Array.from({ length: 3000 }, () => {
      const length = 1 + Math.floor(random() * 14);
      let text = "";
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      return random() < 0.5 ? text : `${text}<x${text.replace(/[<>]/g, "")}@e.com>`;
    });
    for (const input of [...curated, ...generated]) {
      if (input.includes(",") || input.trim() === "") continue;
      expect(outcome(input), JSON.stringify(input)).to.deep.equal(outcome(`,${input}`));
    }
  });
});
