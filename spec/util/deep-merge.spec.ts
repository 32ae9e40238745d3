import { expect } from "chai";
import { deepMerge, shallowMerge } from "../../lib/util/deep-merge.js";

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

describe("shallowMerge", () => {
  it("builds what { ...base, ...over } builds: same keys, order and values; inputs untouched", () => {
    const base = { a: 1, b: { x: 1 }, c: 3 };
    const over = { b: { y: 2 }, d: 4 };
    const merged = shallowMerge(base, over);
    const spread = { ...base, ...over };
    expect(merged).to.deep.equal(spread);
    expect(JSON.stringify(merged)).to.equal(JSON.stringify(spread));
    expect(Object.keys(merged)).to.deep.equal(["a", "b", "c", "d"]);
    expect(merged.b).to.equal(over.b); // shallow: the override's own object
    expect(base).to.deep.equal({ a: 1, b: { x: 1 }, c: 3 });
    expect(merged).to.not.equal(base);
  });

  it("takes null or undefined on either side as nothing, and copies one object alone", () => {
    expect(shallowMerge(null, { a: 1 })).to.deep.equal({ a: 1 });
    expect(shallowMerge(undefined, { a: 1 })).to.deep.equal({ a: 1 });
    const copy = shallowMerge({ a: 1 });
    expect(copy).to.deep.equal({ a: 1 });
    (copy as Record<string, unknown>).b = 2;
    expect(copy).to.deep.equal({ a: 1, b: 2 });
  });

  it("copies own enumerable properties only, like a spread", () => {
    const base = Object.create({ inherited: 1 }) as Record<string, unknown>;
    base.own = 2;
    Object.defineProperty(base, "hidden", { value: 3, enumerable: false });
    expect(shallowMerge(base, {})).to.deep.equal({ own: 2 });
  });

  it("keeps a __proto__ key as data on either side, as a spread does", () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<
      string,
      unknown
    >;
    for (const merged of [shallowMerge(hostile, { b: 2 }), shallowMerge({ b: 2 }, hostile)]) {
      expect(Object.getPrototypeOf(merged)).to.equal(Object.prototype);
      expect((merged as Record<string, unknown>).polluted).to.equal(undefined);
      expect(Object.keys(merged).sort()).to.deep.equal(["__proto__", "a", "b"]);
      expect(JSON.parse(JSON.stringify(merged))).to.deep.equal({ ...hostile, b: 2 });
    }
  });
});
