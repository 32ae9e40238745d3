// Mocha reporter: mocha's "spec" output, plus the passed/failed counts written to
// coverage/test-counts.txt so the test runner can print them as the run's last line, and
// why tests were skipped (spec/helpers/skip.ts records the reasons) in coverage/test-skips.txt.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const Mocha = require("mocha");

const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } =
  Mocha.Runner.constants;

/** The reason given to skipBecause, on the test or a suite above it. */
function skipReason(test) {
  for (let node = test; node; node = node.parent) {
    if (node.skipReason) return node.skipReason;
  }
  return "no reason given (it.skip or a test without a body)";
}

/** "reason (N tests)" lines, most frequent first. */
function reasonLines(reasons) {
  return [...reasons.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `  skipped: ${reason} (${n} test${n === 1 ? "" : "s"})`);
}

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    this.reasons = new Map();
    runner.on(EVENT_TEST_PASS, () => passed++);
    runner.on(EVENT_TEST_FAIL, () => failed++);
    runner.on(EVENT_TEST_PENDING, (test) => {
      skipped++;
      const reason = skipReason(test);
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    });
    runner.once(EVENT_RUN_END, () => {
      const line = `${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : "");
      const dir = path.resolve("coverage");
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "test-counts.txt"), line + "\n");
      fs.writeFileSync(path.join(dir, "test-skips.txt"), reasonLines(this.reasons).join("\n"));
    });
  }

  epilogue() {
    super.epilogue();
    const lines = reasonLines(this.reasons);
    if (lines.length > 0) Mocha.reporters.Base.consoleLog(lines.join("\n") + "\n");
  }
}

module.exports = CountReporter;
