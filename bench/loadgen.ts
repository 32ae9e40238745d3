/**
 * @module
 * The webhook section's load generator: autocannon in one worker thread kept for the whole
 * section. autocannon's own `workers` option starts a thread, and loads autocannon into it,
 * for every run: about half a second each, 23 s of a `--quick` run.
 */
import { Worker } from "node:worker_threads";

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

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, (reply: Reply) => void>();

function started(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./loadgen-worker.mjs", import.meta.url));
  worker.on("message", (reply: Reply) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
    // idle, it does not keep a finished section's process alive
    if (pending.size === 0) worker?.unref();
  });
  worker.on("error", (error) => {
    for (const settle of pending.values()) settle({ id: -1, error: error.message });
    pending.clear();
    worker = undefined;
  });
  return worker;
}

/** One autocannon run from the load generator's thread. */
export function loadgen(options: LoadOptions): Promise<LoadResult> {
  const thread = started();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, (reply) =>
      "result" in reply ? resolve(reply.result) : reject(new Error(`autocannon: ${reply.error}`)),
    );
    thread.ref();
    thread.postMessage({ id, options });
  });
}
