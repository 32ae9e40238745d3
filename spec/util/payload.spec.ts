import { expect } from "chai";
import { stringsOf } from "../../lib/util/payload.js";

describe("stringsOf", () => {
  it("keeps a list's strings in order, in a new array", () => {
    const tags = ["one", "two", "three"];
    const strings = stringsOf(tags);
    expect(strings).to.deep.equal(["one", "two", "three"]);
    strings.push("four");
    expect(tags, "the payload's own list is not the result").to.have.length(3);
  });

  it("drops every item that is not a string, and the length with them", () => {
    const strings = stringsOf([1, "a", null, { tag: "b" }, ["c"], "d", true, undefined]);
    expect(strings).to.deep.equal(["a", "d"]);
    expect(strings).to.have.length(2);
    expect(Object.keys(strings)).to.deep.equal(["0", "1"]);
  });

  it("gives [] for anything but a list", () => {
    for (const value of [undefined, null, "tag", 42, { 0: "a", length: 1 }]) {
      expect(stringsOf(value), String(value)).to.deep.equal([]);
    }
    expect(stringsOf([])).to.deep.equal([]);
  });
});
