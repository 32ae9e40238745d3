import { expect } from "chai";
import { deepMerge } from "../../lib/util/deep-merge.js";

describe("deepMerge", () => {
  it("merges plain objects recursively; the override wins; arrays are replaced", () => {
    const base = { a: { x: 1, y: [1, 2] }, b: 1 };
    const merged = deepMerge(base, { a: { y: [3], z: 2 }, c: 3 });
    expect(merged).to.deep.equal({ a: { x: 1, y: [3], z: 2 }, b: 1, c: 3 });
    expect(base).to.deep.equal({ a: { x: 1, y: [1, 2] }, b: 1 });
  });

  it("keeps a __proto__ key as data, never as a prototype", () => {
    const merged = deepMerge(
      {},
      JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>,
    );
    expect(Object.getPrototypeOf(merged)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.keys(merged)).to.deep.equal(["__proto__"]);
  });
});
