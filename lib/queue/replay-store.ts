/**
 * @module
 * RedisReplayStore: webhook replay protection shared by every receiving process, through
 * one Redis (atomic SET NX EX, so two processes can never both accept one key).
 */
import type { ReplayStore } from "../util/replay-store.js";

/** The two commands the store needs; an ioredis client has them. */
export interface RedisCommands {
  set(key: string, value: string, ex: "EX", seconds: number, nx: "NX"): Promise<"OK" | null>;
  exists(key: string): Promise<number>;
}

/**
 * A ReplayStore in Redis, for a handler's `replayStore` setting.
 *
 * @example
 * import Redis from "ioredis";
 * const replayStore = new RedisReplayStore(new Redis(process.env.REDIS_URL));
 */
export class RedisReplayStore implements ReplayStore {
  constructor(
    private readonly redis: RedisCommands,
    /** Put before every key, to keep them apart from other data. */
    private readonly prefix = "anymail:replay:",
  ) {}

  async has(key: string): Promise<boolean> {
    return (await this.redis.exists(this.prefix + key)) > 0;
  }

  async add(key: string, ttlSeconds: number): Promise<boolean> {
    const seconds = Math.max(1, Math.ceil(ttlSeconds));
    return (await this.redis.set(this.prefix + key, "1", "EX", seconds, "NX")) === "OK";
  }
}
