/**
 * @module
 * Cold `import("anymail")`: a fresh Node process imports the built package (dist/, so
 * `npm run build` first) and reports how long the import took; the median over several
 * processes. For scale, the same for Express (a dependency most webhook apps load anyway).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { QUICK, median, record } from "./lib.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = QUICK ? 5 : 11;

function importMs(specifier: string): number {
  const script =
    "const t = performance.now(); import(process.argv[1]).then(() => " +
    "process.stdout.write(String(performance.now() - t)))";
  return Number(execFileSync(process.execPath, ["-e", script, specifier], { cwd: ROOT }));
}

export async function benchColdImport(): Promise<void> {
  const entry = new URL("../dist/index.js", import.meta.url);
  if (!existsSync(entry)) {
    console.log("(skipping cold import: run `npm run build` first)");
    return;
  }
  const ours: number[] = [];
  const express: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(importMs(entry.href));
    express.push(importMs("express"));
  }
  const section = "cold import (fresh process, median)";
  const ms = median(ours);
  record({
    section,
    name: `import("anymail") from dist/ (range ${Math.min(...ours).toFixed(0)}–${Math.max(...ours).toFixed(0)} ms over ${RUNS})`,
    value: ms,
    baseline: median(express),
    unit: "ms",
    ratio: ms / median(express),
    target: "< 150 ms",
    holds: ms < 150,
    note: "baseline: import('express') in the same processes",
  });
}
