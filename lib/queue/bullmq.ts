/**
 * @module
 * BullMQ, loaded only when a queue is first used: it and ioredis are optional peer
 * dependencies, so `anymail` (and the parts of `anymail/queue` that need no Redis) work
 * without them.
 */
import type { ConnectionOptions } from "bullmq";
import { AnymailImproperlyInstalled } from "../errors.js";
import { lazyImport } from "../util/lazy-require.js";

export type BullMQ = typeof import("bullmq");

/**
 * Where the queue lives: ioredis options (`{ host, port }`) or an ioredis instance (shared;
 * BullMQ duplicates it for blocking reads).
 */
export type QueueConnection = ConnectionOptions;

const importBullMQ = lazyImport(() => import("bullmq"));

/** The bullmq module, or AnymailImproperlyInstalled saying what to install. */
export async function loadBullMQ(): Promise<BullMQ> {
  try {
    return await importBullMQ();
  } catch (error) {
    throw new AnymailImproperlyInstalled(
      "anymail/queue needs the optional peer dependencies bullmq and ioredis: " +
        "npm install bullmq ioredis",
      { cause: error },
    );
  }
}
