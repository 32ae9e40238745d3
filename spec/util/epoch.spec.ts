import { expect } from "chai";
import { epochToDate } from "../../lib/util/epoch.js";

describe("epochToDate", () => {
  it("reads epoch seconds from a number or a numeric string", () => {
    expect(epochToDate(1700000000)?.toISOString()).to.equal("2023-11-14T22:13:20.000Z");
    expect(epochToDate("1700000000.5")?.toISOString()).to.equal("2023-11-14T22:13:20.500Z");
  });

  it("gives null for a blank, non-numeric, non-finite or out-of-range value", () => {
    for (const value of ["", "  ", "soon", NaN, Infinity, 1e20, null, undefined, {}]) {
      expect(epochToDate(value), String(value)).to.equal(null);
    }
  });
});
