/**
 * @module
 * `npm run bench`: every benchmark, each figure a ratio against a baseline measured in the
 * same rounds, on loopback. `npm run bench -- <section…>` runs some; `--quick` runs the
 * issue-#19 sections with fewer, shorter rounds (under two minutes). Results are printed and
 * written to bench/RESULTS.md.
 *
 * Each section runs in a process of its own, and the webhook section one per case: what one
 * leaves behind (a heap grown by a thousand-event webhook run, inline caches that have seen
 * thirteen ESPs) is no part of what the next one measures. The inbound MIME ratio was 1.04
 * alone and 1.17–1.21 after the webhook section in the same process.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { QUICK, adopt, sectionOutput, writeResults, type SectionOutput } from "./lib.js";
import { webhookParts } from "./webhook-parts.js";

// loaded only in the section's own process (the SDKs, autocannon and mailparser take seconds)
const sections: Record<string, (part?: string) => Promise<void>> = {
  import: async () => (await import("./cold-import.js")).benchColdImport(),
  build: async () => (await import("./build.js")).benchBuildRequests(),
  e2e: async () => (await import("./end-to-end.js")).benchEndToEnd(),
  webhooks: async (part) => (await import("./webhooks.js")).benchWebhooks(part),
  inbound: async () => (await import("./inbound.js")).benchInbound(),
  send: async () => (await import("./send.js")).benchSendPath(),
  load: async () => (await import("./load.js")).benchLoad(),
  queue: async () => (await import("./queue.js")).benchQueue(),
};
/**
 * Sections measured a part per process in a full run: a webhook case measured after another
 * in the same process read lower than first in it (bench/webhook-parts.ts). `--quick` keeps
 * them in one process, as a process per part would take it past two minutes.
 */
const parts: Record<string, () => readonly string[]> = QUICK
  ? {}
  : { webhooks: () => webhookParts() };

/** What `--quick` runs: the targets of issue #19. */
const QUICK_SECTIONS = ["import", "build", "e2e", "webhooks", "inbound"];

const named = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const unknown = named.filter((name) => !(name in sections));
if (unknown.length)
  throw new Error(`unknown section ${unknown.join(", ")}: ${Object.keys(sections).join(", ")}`);
const chosen = named.length ? named : QUICK ? QUICK_SECTIONS : Object.keys(sections);

/** Set in a section's own process: where to leave its rows for the parent. */
const CHILD_OUTPUT = process.env.BENCH_SECTION_OUTPUT;
/** Set in a section's own process when it runs one part of the section. */
const CHILD_PART = process.env.BENCH_SECTION_PART;

/** Runs one section, or one part of it, in a fresh process (same Node flags: tsx's loader, --expose-gc). */
function runIsolated(name: string, dir: string, part?: string): SectionOutput {
  const output = join(dir, `${name}${part ? `-${part.replace(/\W/g, "_")}` : ""}.json`);
  const flags = process.argv.slice(2).filter((arg) => arg.startsWith("--"));
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), name, ...flags],
    {
      stdio: "inherit",
      env: { ...process.env, BENCH_SECTION_OUTPUT: output, BENCH_SECTION_PART: part ?? "" },
    },
  );
  if (child.status !== 0) {
    const which = part ? `${name} (${part})` : name;
    throw new Error(`bench section ${which} failed (exit ${child.status})`);
  }
  return JSON.parse(readFileSync(output, "utf8")) as SectionOutput;
}

if (CHILD_OUTPUT) {
  for (const name of chosen) await sections[name](CHILD_PART || undefined);
  writeFileSync(CHILD_OUTPUT, JSON.stringify(sectionOutput()));
} else {
  const start = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "anymail-bench-"));
  try {
    for (const name of chosen) {
      console.log(`\n== ${name}`);
      const began = performance.now();
      for (const part of parts[name]?.() ?? [undefined]) adopt(runIsolated(name, dir, part));
      console.log(`(${name}: ${((performance.now() - began) / 1000).toFixed(0)} s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - start) / 1000;
  writeResults(new URL("RESULTS.md", import.meta.url).pathname, seconds);
  console.log(`\n${seconds.toFixed(0)} s; written to bench/RESULTS.md`);
}
