// Runs the mocha suite under c8 and makes "N passed, N failed" the last line printed,
// after c8's coverage summary, so CI can count the tests.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const counts = "coverage/test-counts.txt";
rmSync(counts, { force: true });
const run = spawnSync("npx", ["c8", "mocha", ...process.argv.slice(2)], { stdio: "inherit" });
let line;
try {
  line = readFileSync(counts, "utf8").trim();
} catch {
  line = "0 passed, 1 failed";
}
console.log(line);
process.exit(run.status ?? 1);
