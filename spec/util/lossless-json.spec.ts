import { expect } from "chai";
import { parseJsonLossless } from "../../lib/util/lossless-json.js";

describe("parseJsonLossless", () => {
  it("keeps integers beyond 2^53 exact, as strings", () => {
    expect(
      parseJsonLossless('{"id": 1152921519812251571, "neg": -9007199254740993}'),
    ).to.deep.equal({
      id: "1152921519812251571",
      neg: "-9007199254740993",
    });
  });

  it("leaves safe integers, decimals, exponents and strings as JSON.parse does", () => {
    const text =
      '[9007199254740991, -9007199254740991, 1.5, 1e400, 12345678901234567890.5, "99999999999999999999", "a\\"1234567890123456789", true, null]';
    expect(parseJsonLossless(text)).to.deep.equal(JSON.parse(text));
  });

  it("is not fooled by escaped quotes and backslashes inside strings", () => {
    const text = '{"s": "a\\\\", "t": "\\" 1152921519812251571 \\"", "id": 1152921519812251571}';
    expect(parseJsonLossless(text)).to.deep.equal({
      s: "a\\",
      t: '" 1152921519812251571 "',
      id: "1152921519812251571",
    });
  });

  it("keeps the last value of a repeated key, as JSON.parse does", () => {
    const text = '{"a": 1, "a": 2, "b": {"c": 1152921519812251571, "c": 3}}';
    expect(parseJsonLossless(text)).to.deep.equal(JSON.parse(text));
  });

  it('keeps a "__proto__" key as an own property and never sets a prototype', () => {
    const parsed = parseJsonLossless(
      '{"__proto__": {"polluted": 1152921519812251571}, "n": {"__proto__": null}}',
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).to.equal(Object.prototype);
    expect(Object.keys(parsed)).to.deep.equal(["__proto__", "n"]);
    expect(Object.getOwnPropertyDescriptor(parsed, "__proto__")?.value).to.deep.equal({
      polluted: "1152921519812251571",
    });
    expect(Object.getPrototypeOf(parsed.n)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it("throws SyntaxError on bad JSON", () => {
    expect(() => parseJsonLossless("{nope")).to.throw(SyntaxError);
    expect(() => parseJsonLossless('{"a": 99999999999999999999')).to.throw(SyntaxError);
  });
});
