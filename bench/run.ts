/**
 * @module
 * `npm run bench`: every benchmark, each figure a ratio against a baseline measured in the
 * same run, on loopback. Results are printed and written to bench/RESULTS.md.
 */
import { benchInbound } from "./inbound.js";
import { benchLoad } from "./load.js";
import { benchQueue } from "./queue.js";
import { benchBuildRequests, benchSendPath } from "./send.js";
import { benchWebhooks } from "./webhooks.js";
import { writeResults } from "./lib.js";

const only = process.argv[2];
const sections: Record<string, () => Promise<void>> = {
  send: benchSendPath,
  build: benchBuildRequests,
  inbound: benchInbound,
  webhooks: benchWebhooks,
  load: benchLoad,
  queue: benchQueue,
};

for (const [name, run] of Object.entries(sections)) {
  if (only && only !== name) continue;
  console.log(`\n== ${name}`);
  await run();
}
writeResults(new URL("RESULTS.md", import.meta.url).pathname);
console.log("\nwritten to bench/RESULTS.md");
