import { expect } from "chai";
import { decodeValue, encodeValue } from "../../lib/queue/json.js";
import { AnymailSerializationError } from "../../lib/errors.js";

/** Through JSON text, as BullMQ stores job data. */
const roundTrip = (value: unknown) => decodeValue(JSON.parse(JSON.stringify(encodeValue(value))));

describe("Queue job data (JSON-safe encoding)", () => {
  it("keeps Dates, bytes, BigInt, Sets, Maps and non-finite numbers", () => {
    const value = {
      at: new Date("2026-01-02T03:04:05.678Z"),
      bad: new Date(Number.NaN),
      bytes: Buffer.from([0, 1, 254, 255]),
      big: 12345678901234567890n,
      set: new Set(["a", "b"]),
      map: new Map<string, unknown>([["k", new Date(0)]]),
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      list: [1, undefined, "x"],
      nested: { id: "1152921519812251571", deep: [{ when: new Date(1) }] },
    };
    const back = roundTrip(value) as typeof value;
    expect(back.at).to.be.instanceOf(Date).and.deep.equal(value.at);
    expect(Number.isNaN(back.bad.getTime())).to.equal(true);
    expect(Buffer.isBuffer(back.bytes) && back.bytes.equals(value.bytes)).to.equal(true);
    expect(back.big).to.equal(12345678901234567890n);
    expect([...back.set]).to.deep.equal(["a", "b"]);
    expect(back.map.get("k")).to.deep.equal(new Date(0));
    expect(Number.isNaN(back.nan)).to.equal(true);
    expect(back.inf).to.equal(Number.NEGATIVE_INFINITY);
    expect(back.list).to.deep.equal([1, undefined, "x"]);
    expect(back.nested).to.deep.equal(value.nested);
  });

  it("never mistakes data that looks like a tag for one", () => {
    const value = { $t: "date", v: 0, __proto__x: 1 };
    expect(roundTrip(value)).to.deep.equal(value);
    expect(roundTrip([{ $t: "bytes", v: "AA==" }])).to.deep.equal([{ $t: "bytes", v: "AA==" }]);
  });

  it("keeps a __proto__ key as data", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as object;
    const back = roundTrip(value) as Record<string, unknown>;
    expect(Object.hasOwn(back, "__proto__")).to.equal(true);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it("refuses cycles with a typed error", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeValue(cyclic, "event")).to.throw(AnymailSerializationError, /event\.self/);
  });
});
