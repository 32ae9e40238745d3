import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);

describe("The built package", function () {
  this.timeout(120_000);

  before(async () => {
    await run("npx", ["tsc", "-p", "tsconfig.build.json"]);
  });

  it("emits JS and .d.ts in dist/", () => {
    expect(existsSync("dist/index.js")).to.equal(true);
    expect(existsSync("dist/index.d.ts")).to.equal(true);
  });

  it("imports by package name (ESM) and sends through the test ESP", async () => {
    const script =
      "import { createSender } from 'anymail';" +
      "const s = createSender('test');" +
      "const st = await s.send({ from: 'a@example.com', to: 'b@example.com', subject: 'x' });" +
      "console.log([...st.status].join(), s.outbox.length);";
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
    expect(stdout.trim()).to.equal("sent 1");
  });

  it("loads with require() on Node 20's require-of-ESM", async () => {
    const script =
      "const a = require('anymail'); console.log(typeof a.createSender, typeof a.AnymailError);";
    const { stdout } = await run(process.execPath, ["-e", script]);
    expect(stdout.trim()).to.equal("function function");
  });
});
