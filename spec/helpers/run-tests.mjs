// Runs the mocha suite under c8 and makes "N passed, N failed" the last line printed,
// after c8's coverage summary, so CI can count the tests; why tests were skipped comes
// just before it.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const counts = "coverage/test-counts.txt";
const skips = "coverage/test-skips.txt";
rmSync(counts, { force: true });
rmSync(skips, { force: true });
const run = spawnSync("npx", ["c8", "mocha", ...process.argv.slice(2)], { stdio: "inherit" });
let line;
try {
  line = readFileSync(counts, "utf8").trim();
} catch {
  line = "0 passed, 1 failed";
}
try {
  const reasons = readFileSync(skips, "utf8").trimEnd();
  if (reasons) console.log(reasons);
} catch {
  // no skipped tests
}
console.log(line);
process.exit(run.status ?? 1);
