/**
 * @module
 * `npm run bench`: every benchmark, each figure a ratio against a baseline measured in the
 * same rounds, on loopback. `npm run bench -- <section…>` runs some; `--quick` runs the
 * issue-#19 sections with fewer, shorter rounds (under two minutes). Results are printed and
 * written to bench/RESULTS.md.
 */
import { benchColdImport } from "./cold-import.js";
import { benchBuildRequests } from "./build.js";
import { benchEndToEnd } from "./end-to-end.js";
import { benchInbound } from "./inbound.js";
import { benchLoad } from "./load.js";
import { benchQueue } from "./queue.js";
import { benchSendPath } from "./send.js";
import { benchWebhooks } from "./webhooks.js";
import { QUICK, writeResults } from "./lib.js";

const sections: Record<string, () => Promise<void>> = {
  import: benchColdImport,
  build: benchBuildRequests,
  e2e: benchEndToEnd,
  webhooks: benchWebhooks,
  inbound: benchInbound,
  send: benchSendPath,
  load: benchLoad,
  queue: benchQueue,
};
/** What `--quick` runs: the targets of issue #19. */
const QUICK_SECTIONS = ["import", "build", "e2e", "webhooks", "inbound"];

const named = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const unknown = named.filter((name) => !(name in sections));
if (unknown.length)
  throw new Error(`unknown section ${unknown.join(", ")}: ${Object.keys(sections).join(", ")}`);
const chosen = named.length ? named : QUICK ? QUICK_SECTIONS : Object.keys(sections);

const start = performance.now();
for (const name of chosen) {
  console.log(`\n== ${name}`);
  await sections[name]();
}
const seconds = (performance.now() - start) / 1000;
writeResults(new URL("RESULTS.md", import.meta.url).pathname, seconds);
console.log(`\n${seconds.toFixed(0)} s; written to bench/RESULTS.md`);
