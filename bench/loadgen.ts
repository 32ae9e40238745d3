/**
 * @module
 * The webhook section's load generator: autocannon in one child process kept for the whole
 * section. In a process of its own (not a worker thread, as before 2026-12-04) it leaves the
 * server's process to the server: `process.cpuUsage()` there is then the CPU time the server
 * spent, garbage collection included, and none of autocannon's. autocannon's own `workers`
 * option starts a thread, and loads autocannon into it, for every run: about half a second
 * each, 23 s of a `--quick` run.
 */
import { fork, type ChildProcess } from "node:child_process";

export interface LoadOptions {
  url: string;
  method: "POST";
  connections: number;
  /** Seconds. */
  duration: number;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  /** 2xx answers. */
  ok: number;
  non2xx: number;
  /** Requests answered. */
  total: number;
  /** Requests per second (the mean of the per-second counts). */
  rate: number;
}

type Reply = { id: number; result: LoadResult } | { id: number; error: string };

let worker: ChildProcess | undefined;
let nextId = 0;
const pending = new Map<number, (reply: Reply) => void>();

function started(): ChildProcess {
  if (worker) return worker;
  // plain Node (no tsx loader): the worker is JavaScript
  worker = fork(new URL("./loadgen-worker.mjs", import.meta.url), { execArgv: [] });
  worker.on("message", (message) => {
    const reply = message as Reply;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
    // idle, it does not keep a finished section's process alive
    if (pending.size === 0) {
      worker?.unref();
      worker?.channel?.unref();
    }
  });
  worker.on("error", (error) => failAll(error.message));
  worker.on("exit", (code) => failAll(`exited with ${code}`));
  return worker;
}

/** The load generator is gone: every run waiting on it fails, and the next run starts another. */
function failAll(error: string): void {
  for (const settle of pending.values()) settle({ id: -1, error });
  pending.clear();
  worker = undefined;
}

/** One autocannon run from the load generator's process. */
export function loadgen(options: LoadOptions): Promise<LoadResult> {
  const generator = started();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, (reply) =>
      "result" in reply ? resolve(reply.result) : reject(new Error(`autocannon: ${reply.error}`)),
    );
    generator.ref();
    generator.channel?.ref();
    generator.send({ id, options });
  });
}
