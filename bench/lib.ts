/**
 * @module
 * Small helpers for the benchmarks: timing, paired rounds against a baseline, memory
 * sampling, and the results table.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

/** `npm run bench -- --quick`: fewer and shorter rounds (the whole run under two minutes). */
export const QUICK = process.argv.includes("--quick");

export interface Row {
  section: string;
  name: string;
  /** The measured figure (median over rounds; higher is better unless `unit` says ms or MiB). */
  value: number;
  unit: string;
  /** The baseline's figure measured in the same rounds (median). */
  baseline?: number;
  /** This figure divided by the baseline (median of the per-round ratios). */
  ratio?: number;
  /** Lowest and highest per-round ratio. */
  spread?: [number, number];
  target?: string;
  /** Whether the median ratio meets the target. */
  holds?: boolean;
  note?: string;
}

export const rows: Row[] = [];
const loads: number[] = [loadavg()[0]];

/** What one section's process measured: its rows and the load averages seen meanwhile. */
export interface SectionOutput {
  rows: Row[];
  loads: number[];
}

export function sectionOutput(): SectionOutput {
  return { rows, loads };
}

/** Adds what a section measured in its own process to this run's table. */
export function adopt(output: SectionOutput): void {
  rows.push(...output.rows);
  loads.push(...output.loads);
}

export function record(row: Row): void {
  rows.push(row);
  loads.push(loadavg()[0]);
  const base = row.baseline === undefined ? "" : ` vs ${fmt(row.baseline)}`;
  const ratio = row.ratio === undefined ? "" : `  ratio ${row.ratio.toFixed(2)}`;
  const spread = row.spread ? ` [${row.spread[0].toFixed(2)}–${row.spread[1].toFixed(2)}]` : "";
  const target = row.target ? `  (target ${row.target}${holdsText(row.holds)})` : "";
  console.log(
    `${row.section} | ${row.name}: ${fmt(row.value)}${base} ${row.unit}${ratio}${spread}${target}`,
  );
}

function holdsText(holds: boolean | undefined): string {
  return holds === undefined ? "" : holds ? ": holds" : ": MISSED";
}

function fmt(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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

/** A figure per round, higher is better (calls/s, req/s…). */
export type Measure = () => Promise<number>;

export interface Paired {
  baseline: number;
  ours: number;
  ratio: number;
  spread: [number, number];
}

/**
 * Measures the baseline and ours in alternating rounds (so load from elsewhere hits both
 * alike) and returns the medians, the median per-round ratio ours/baseline, and its range.
 * `lowerIsBetter` (times) inverts nothing: the ratio is still ours/baseline.
 */
export async function paired(baseline: Measure, ours: Measure, rounds: number): Promise<Paired> {
  return (await pairedWith([baseline], ours, rounds))[0];
}

/**
 * `paired` against several baselines in the same rounds: each round measures every baseline
 * and ours once, in an order that rotates from round to round (so none always runs first or
 * on the warmest heap). One Paired per baseline, in order.
 */
export async function pairedWith(
  baselines: readonly Measure[],
  ours: Measure,
  rounds: number,
): Promise<Paired[]> {
  const all = [...baselines, ours];
  const figures: number[][] = all.map(() => []);
  await inRotatingRounds(
    all.map((measure, which) => async () => void figures[which].push(await measure())),
    rounds,
  );
  const mine = figures[baselines.length];
  return baselines.map((_, i) => pairedFigures(figures[i], mine));
}

/**
 * Runs every step once a round, for `rounds` rounds, starting each round one step further
 * on (so no step always runs first, or on the warmest heap).
 */
export async function inRotatingRounds(
  steps: readonly (() => Promise<void>)[],
  rounds: number,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < steps.length; step++) await steps[(round + step) % steps.length]();
  }
}

/** A baseline's and ours' figures of the same rounds, as a Paired (higher is better). */
export function pairedFigures(baseline: readonly number[], mine: readonly number[]): Paired {
  const ratios = mine.map((value, round) => value / baseline[round]);
  return { baseline: median(baseline), ours: median(mine), ...ratioSummary(ratios) };
}

/** Per-round ratios as the table shows them: their median, and the lowest and highest. */
export function ratioSummary(ratios: readonly number[]): Pick<Paired, "ratio" | "spread"> {
  return { ratio: median(ratios), spread: [Math.min(...ratios), Math.max(...ratios)] };
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

export function writeResults(file: string, seconds: number): void {
  const cell = (value: number | undefined) => (value === undefined ? "" : fmt(value));
  const spread = (r: Row) =>
    r.spread ? `${r.spread[0].toFixed(2)}–${r.spread[1].toFixed(2)}` : "";
  const targets = rows.filter((r) => r.holds !== undefined);
  const missed = targets.filter((r) => !r.holds);
  const lines = [
    "# Benchmark results",
    "",
    `Run ${new Date().toISOString()} (${QUICK ? "`--quick`" : "full"}, ${seconds.toFixed(0)} s) on Node ${process.version}, ` +
      `${cpus().length} cores (${cpus()[0]?.model ?? "?"}); 1-minute load average during the run ` +
      `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`,
    "Each ratio is ours / the baseline measured in the same rounds (alternating), the median " +
      "over rounds, with the lowest and highest round's ratio; see bench/README.md.",
    "",
    `Targets met: ${targets.length - missed.length} of ${targets.length}.`,
    "",
    ...[...new Set(targets.map((r) => r.section))].map((section) => {
      const all = targets.filter((r) => r.section === section);
      const met = all.filter((r) => r.holds);
      return `- ${section}: ${met.length} of ${all.length} met`;
    }),
    "",
    "| section | measurement | ours | baseline | unit | ratio | ratio range | target | holds |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.section} | ${r.name} | ${cell(r.value)} | ${cell(r.baseline)} | ${r.unit} | ${r.ratio === undefined ? "" : r.ratio.toFixed(2)} | ${spread(r)} | ${r.target ?? ""} | ${r.holds === undefined ? "" : r.holds ? "yes" : "**no**"} |`,
    ),
    "",
  ];
  // the hand-written reading of the figures (## Notes to the end) survives a re-run
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
  const notes = previous.indexOf("\n## Notes");
  if (notes >= 0) lines.push(previous.slice(notes + 1).trimEnd(), "");
  writeFileSync(file, lines.join("\n"));
}
