// Dependencies loaded on first use (issue #19): an import() made once, its module handed out
// directly afterwards, a failed import tried again.
import { expect } from "chai";
import { lazyImport, lazyRequire } from "../../lib/util/lazy-require.js";

describe("lazyImport", () => {
  it("imports on the first call only, then returns the module itself", async () => {
    let imports = 0;
    const load = lazyImport(() => {
      imports++;
      return import("node:path");
    });
    expect(imports).to.equal(0);
    const [first, second] = [load(), load()]; // two callers before it has loaded
    expect(first).to.be.an.instanceOf(Promise);
    const module = await first;
    expect(await second).to.equal(module);
    expect(module.join("a", "b")).to.equal("a/b");
    const later = load();
    expect(later).to.not.be.an.instanceOf(Promise);
    expect(later).to.equal(module);
    expect(imports).to.equal(1);
  });

  it("tries a failed import again on the next call", async () => {
    let imports = 0;
    const missing: string = "anymail-no-such-package"; // typed string: not resolved at compile time
    const load = lazyImport(() => {
      imports++;
      return imports === 1
        ? (import(missing) as Promise<typeof import("node:os")>)
        : import("node:os");
    });
    let failure: unknown;
    await Promise.resolve(load()).catch((error: unknown) => (failure = error));
    expect(failure).to.be.an.instanceOf(Error);
    const module = await load();
    expect(module.EOL).to.be.a("string");
    expect(imports).to.equal(2);
  });
});

describe("lazyRequire", () => {
  it("requires on the first call and returns the same module after", () => {
    const load = lazyRequire<{ parse(text: string): unknown }>("lossless-json");
    const module = load();
    expect(load()).to.equal(module);
    expect(module.parse("[1]")).to.be.an("array");
  });
});
