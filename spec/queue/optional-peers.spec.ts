import { expect } from "chai";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs `code` (an ES module body) in a fresh node with tsx, bullmq and ioredis unresolvable. */
async function withoutPeers(code: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./spec/queue/fixtures/block-peers.mjs",
      "--input-type=module",
      "-e",
      code,
    ],
    // no coverage from this node: it loads every module and runs almost none of them
    { timeout: 30_000, env: { ...process.env, NODE_V8_COVERAGE: "" } },
  );
  return stdout.trim();
}

describe("Queue: bullmq and ioredis are optional peers", function () {
  this.timeout(60_000);

  it("the core loads and works without them, and never requires them", async () => {
    const out = await withoutPeers(`
      import { createRequire } from "node:module";
      const anymail = await import("./lib/index.ts");
      const sender = anymail.createSender("console", { debugStream: { write() {} } });
      const loaded = Object.keys(createRequire(import.meta.url).cache)
        .filter((path) => /node_modules\\/(bullmq|ioredis)\\//.test(path));
      let blocked = false;
      try { await import("bullmq"); } catch { blocked = true; }
      console.log(JSON.stringify({ send: typeof sender.send, loaded, blocked }));
    `);
    expect(JSON.parse(out)).to.deep.equal({ send: "function", loaded: [], blocked: true });
  });

  it("anymail/queue loads without them; a queue then says what to install", async () => {
    const out = await withoutPeers(`
      const queue = await import("./lib/queue/index.ts");
      let error;
      try {
        await queue.processEvents({ host: "127.0.0.1", port: 1 }, {});
      } catch (e) {
        error = e;
      }
      console.log(JSON.stringify({ retry: typeof queue.sendWithRetry, name: error?.name, message: error?.message }));
    `);
    const result = JSON.parse(out) as { retry: string; name: string; message: string };
    expect(result.retry).to.equal("function");
    expect(result.name).to.equal("AnymailImproperlyInstalled");
    expect(result.message).to.match(/npm install bullmq ioredis/);
  });
});
