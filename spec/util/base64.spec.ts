import { expect } from "chai";
import { decodeBase64Strict, isBase64 } from "../../lib/util/base64.js";

describe("Strict base64", () => {
  it("decodes plain, padded and line-folded base64", () => {
    expect(decodeBase64Strict("aGk=")?.toString()).to.equal("hi");
    expect(decodeBase64Strict("aGVsbG8gd29y\r\nbGQ=\r\n")?.toString()).to.equal("hello world");
    expect(decodeBase64Strict("")?.length).to.equal(0);
  });

  it("refuses what is not base64 instead of decoding garbage", () => {
    for (const bad of ["!!!!", "a$Gk", "aGk=x", "aGk===", "héllo", "aG\u00e9k"]) {
      expect(decodeBase64Strict(bad), bad).to.equal(null);
      expect(isBase64(bad), bad).to.equal(false);
    }
  });

  it("agrees with the slow check on folded input", () => {
    expect(isBase64("aGVs\nbG8=\n")).to.equal(true);
    expect(isBase64("aGVs\nbG8=\nx")).to.equal(false);
  });
});

describe("Strict base64, fast path", () => {
  it("a skipped character in padded input is caught without the slow scan", () => {
    for (const bad of ["aG!=", "a!Gk", "ab!=cdef", "!!!!!!!!"])
      expect(decodeBase64Strict(bad), bad).to.equal(null);
  });
});
