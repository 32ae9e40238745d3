/**
 * @module
 * Small helpers for the benchmarks: timing, memory sampling, and the results table.
 */
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";

export interface Row {
  section: string;
  name: string;
  /** The measured figure (higher is better unless `unit` says ms or MiB). */
  value: number;
  unit: string;
  /** This figure divided by the baseline of the same section, when there is one. */
  ratio?: number;
  target?: string;
  note?: string;
}

export const rows: Row[] = [];

export function record(row: Row): void {
  rows.push(row);
  const ratio = row.ratio === undefined ? "" : `  ratio ${row.ratio.toFixed(2)}`;
  const target = row.target ? `  (target ${row.target})` : "";
  console.log(`${row.section} | ${row.name}: ${row.value.toFixed(2)} ${row.unit}${ratio}${target}`);
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up); returns calls per second. */
export async function opsPerSecond(
  fn: () => Promise<unknown> | unknown,
  ms = 1500,
): Promise<number> {
  const warmUntil = performance.now() + Math.min(300, ms / 4);
  while (performance.now() < warmUntil) await fn();
  let count = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    await fn();
    count++;
  }
  return (count * 1000) / (performance.now() - start);
}

/** Time (ms) of one call, and the peak RSS growth (bytes) sampled while it ran. */
export async function timeAndPeak(
  fn: () => Promise<unknown>,
): Promise<{ ms: number; peakBytes: number }> {
  globalThis.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakBytes: peak - baseline };
}

export function writeResults(file: string): void {
  const lines = [
    "# Benchmark results",
    "",
    `Run ${new Date().toISOString()} on Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}).`,
    "Each ratio divides a figure by the baseline measured in the same run; see bench/README.md.",
    "",
    "| section | measurement | value | unit | ratio | target |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.section} | ${r.name} | ${r.value.toFixed(2)} | ${r.unit} | ${r.ratio === undefined ? "" : r.ratio.toFixed(2)} | ${r.target ?? ""} |`,
    ),
    "",
  ];
  writeFileSync(file, lines.join("\n"));
}
