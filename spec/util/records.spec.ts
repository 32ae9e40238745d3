import { expect } from "chai";
import { isRecord, lookup } from "../../lib/util/records.js";

describe("records", () => {
  it("isRecord accepts parsed JSON objects only", () => {
    expect(isRecord(JSON.parse('{"a": 1}'))).to.equal(true);
    expect(isRecord(JSON.parse("[1]"))).to.equal(false);
    expect(isRecord(null)).to.equal(false);
    expect(isRecord("{}")).to.equal(false);
  });

  it("lookup matches a table's own keys only", () => {
    const table = { delivered: "delivered", bounce: "bounced" } as const;
    expect(lookup(table, "bounce")).to.equal("bounced");
    expect(lookup(table, "constructor")).to.equal(undefined);
    expect(lookup(table, "__proto__")).to.equal(undefined);
    expect(lookup(table, "toString")).to.equal(undefined);
    expect(lookup(table, 42)).to.equal(undefined);
    expect(lookup(table, null)).to.equal(undefined);
  });
});
