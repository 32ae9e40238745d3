import { expect } from "chai";
import { AnymailUnsupportedFeature } from "../../lib/errors.js";
import { splitBatch } from "../../lib/queue/batch.js";

const recipients = (n: number) =>
  Array.from({ length: n }, (_, i) => `User ${i} <u${i}@example.com>`);
const mergeData = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`u${i}@example.com`, { i }]));

describe("Queue: splitBatch", () => {
  it("splits a batch send into parts of at most `size` recipients, each with its own merge data", () => {
    const message = {
      from: "from@example.com",
      to: recipients(5),
      templateId: "welcome",
      mergeData: mergeData(5),
      mergeMetadata: { "U3@example.com": { order: 3 } },
      mergeGlobalData: { site: "x" },
    };
    const parts = splitBatch(message, 2);
    expect(parts.map((p) => p.to)).to.deep.equal([
      ["User 0 <u0@example.com>", "User 1 <u1@example.com>"],
      ["User 2 <u2@example.com>", "User 3 <u3@example.com>"],
      ["User 4 <u4@example.com>"],
    ]);
    expect(parts.map((p) => Object.keys(p.mergeData ?? {}))).to.deep.equal([
      ["u0@example.com", "u1@example.com"],
      ["u2@example.com", "u3@example.com"],
      ["u4@example.com"],
    ]);
    expect(parts[1].mergeMetadata).to.deep.equal({ "U3@example.com": { order: 3 } });
    expect(parts[0].mergeMetadata).to.deep.equal({});
    expect(
      parts.every((p) => p.templateId === "welcome" && p.mergeGlobalData?.site === "x"),
    ).to.equal(true);
  });

  it("leaves a message that fits, or is not a batch send, alone", () => {
    const fits = { to: recipients(2), mergeData: mergeData(2) };
    expect(splitBatch(fits, 2)[0]).to.equal(fits);
    const plain = { to: recipients(10), subject: "one message to ten" };
    expect(splitBatch(plain, 2)).to.deep.equal([plain]);
  });

  it("refuses to split a batch with cc or bcc, and a size that is not a positive integer", () => {
    expect(() =>
      splitBatch({ to: recipients(3), cc: "c@example.com", mergeData: mergeData(3) }, 2),
    ).to.throw(AnymailUnsupportedFeature, /cc or bcc/);
    expect(() => splitBatch({ to: recipients(3) }, 0)).to.throw(TypeError);
  });
});
