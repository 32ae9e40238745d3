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

  it("throws SyntaxError on bad JSON", () => {
    expect(() => parseJsonLossless("{nope")).to.throw(SyntaxError);
    expect(() => parseJsonLossless('{"a": 99999999999999999999')).to.throw(SyntaxError);
  });
});
