import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

describe("Queue: the anymail/queue subpath of the built package", function () {
  this.timeout(120_000);

  before(async () => {
    // spec/build.spec.ts usually built dist/ already
    if (!existsSync("dist/queue/index.js")) await run("npx", ["tsc", "-p", "tsconfig.build.json"]);
  });

  it("is exported with its types", () => {
    expect(existsSync("dist/queue/index.js")).to.equal(true);
    expect(existsSync("dist/queue/index.d.ts")).to.equal(true);
  });

  it("imports by package name, sharing the core's classes", async () => {
    const script =
      "const q = await import('anymail/queue'); const a = await import('anymail');" +
      "const sink = q.queueEvents({ host: '127.0.0.1', port: 1 });" +
      "console.log(typeof q.processEvents, sink instanceof a.AnymailEmitter);";
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      env: { ...process.env, NODE_V8_COVERAGE: "" },
    });
    expect(stdout.trim()).to.equal("function true");
  });
});
