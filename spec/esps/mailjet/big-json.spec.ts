// Mailjet's one-pass JSON reader (issue #19): exact big integers through the native parser,
// lossless-json only when the fast path cannot decide. Compared with parseJsonLossless.
import { expect } from "chai";
import { parseBigJson } from "../../../lib/esps/mailjet/big-json.js";
import { parseJsonLossless } from "../../../lib/util/lossless-json.js";

describe("Mailjet parseBigJson", () => {
  it("keeps MessageIDs above 2^53 exact, as strings of their digits", () => {
    const text =
      '[{"event":"sent","MessageID":1152921519812251571,"mj_message_id":"x"},' +
      '{"MessageID":-9007199254740993,"n":[9007199254740993, 70650219165027410,9007199254740991]}]';
    expect(parseBigJson(text)).to.deep.equal([
      { event: "sent", MessageID: "1152921519812251571", mj_message_id: "x" },
      {
        MessageID: "-9007199254740993",
        n: ["9007199254740993", "70650219165027410", 9007199254740991],
      },
    ]);
  });

  it("leaves safe integers, decimals and exponents to JSON.parse", () => {
    const text = '{"a":9007199254740991,"b":12345678901234567.5,"c":1234567890123456789e2}';
    expect(parseBigJson(text)).to.deep.equal(JSON.parse(text));
  });

  it("is not fooled by big-number text inside strings (falls back to the exact parser)", () => {
    const texts = [
      '{"comment":"id:1152921519812251571","MessageID":1152921519812251572}',
      '{"comment":"[1152921519812251571]"}',
      '{"a":"x\\":1152921519812251571","b":1}',
    ];
    for (const text of texts)
      expect(parseBigJson(text), text).to.deep.equal(parseJsonLossless(text));
  });

  it("throws SyntaxError on bad JSON, also where the fast path would have quoted a number", () => {
    expect(() => parseBigJson("event=sent")).to.throw(SyntaxError);
    expect(() => parseBigJson('{"a":01152921519812251571}')).to.throw(SyntaxError);
    expect(() => parseBigJson('{"a":1152921519812251571')).to.throw(SyntaxError);
  });

  it('keeps a "__proto__" key as an own property and the last of a repeated key', () => {
    const parsed = parseBigJson('{"__proto__":{"x":1},"k":1,"k":1152921519812251571}') as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(parsed)).to.equal(Object.prototype);
    expect(Object.hasOwn(parsed, "__proto__")).to.equal(true);
    expect(parsed.k).to.equal("1152921519812251571");
  });

  it("reads raw bytes as it reads their text: UTF-8 kept, the 2^53 boundary exact", () => {
    const text =
      '{"name":"Zoë ✓ 1152921519812251571","a":9007199254740991,"b":9007199254740992,' +
      '"c":[ \t\n-9007199254740992],"d":"\u00e9","e":1152921519812251571}';
    const expected = {
      name: "Zoë ✓ 1152921519812251571",
      a: 9007199254740991,
      b: "9007199254740992",
      c: ["-9007199254740992"],
      d: "é",
      e: "1152921519812251571",
    };
    expect(parseBigJson(text)).to.deep.equal(expected);
    expect(parseBigJson(Buffer.from(text))).to.deep.equal(expected);
    // quoting only its own number leaves a string with big digits intact
    const inString = Buffer.from('{"x":"é:1152921519812251571","y":1152921519812251572}');
    expect(parseBigJson(inString)).to.deep.equal({
      x: "é:1152921519812251571",
      y: "1152921519812251572",
    });
    expect(() => parseBigJson(Buffer.from('{"a":1152921519812251571,}'))).to.throw(SyntaxError);
    // malformed UTF-8 reads as U+FFFD, as the body's text would
    const malformed = Buffer.concat([
      Buffer.from('{"s":"'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    expect(parseBigJson(malformed)).to.deep.equal({ s: "\ufffd" });
  });

  it("agrees with parseJsonLossless on generated event batches", () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const events = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => {
        const big = `${1 + Math.floor(random() * 9)}${String(random()).slice(2, 20).padEnd(18, "7")}`;
        const small = Math.floor(random() * 1e15);
        const text = random() < 0.3 ? `note:${big}` : `plain ${i}`;
        return `{"MessageID":${big},"time":${small},"comment":${JSON.stringify(text)},"f":${random()}}`;
      });
      const text = `[${events.join(",")}]`;
      expect(parseBigJson(text), text).to.deep.equal(parseJsonLossless(text));
      expect(parseBigJson(Buffer.from(text)), text).to.deep.equal(parseJsonLossless(text));
    }
  });

  it("reuses its rewrite buffer without any of an earlier body showing through", () => {
    // a long body fills the buffer the rewrite keeps; shorter ones after it must read only
    // their own bytes, and a body past the kept buffer's cap still reads whole
    const event = (id: string, note: string) => `{"MessageID":${id},"note":"${note}"}`;
    const long = Buffer.from(
      `[${Array.from({ length: 2000 }, () => event("98765432109876543210", "x".repeat(40))).join(",")}]`,
    );
    const short = Buffer.from(`[${event("12345678901234567890", "é")}]`);
    const huge = Buffer.from(
      `[${Array.from({ length: 30000 }, (_, i) => event(`1${String(i).padStart(19, "0")}`, "y".repeat(30))).join(",")}]`,
    );
    expect(huge.length).to.be.above(1024 * 1024);
    for (const bytes of [long, short, huge, short, long, short]) {
      expect(parseBigJson(bytes)).to.deep.equal(parseJsonLossless(bytes.toString("utf8")));
    }
    expect(parseBigJson(short)).to.deep.equal([{ MessageID: "12345678901234567890", note: "é" }]);
  });
});
