/**
 * @module
 * Where webhook replay protection remembers what it has already accepted. The default lives
 * in this process; several receiving processes share one by passing an implementation
 * backed by a shared store (e.g. Redis) as a handler's `replayStore` setting.
 */

/** Remembers keys for a while. Implementations must make `add` atomic across processes. */
export interface ReplayStore {
  /** True when `key` was added and has not expired. */
  has(key: string): Promise<boolean>;
  /**
   * Records `key` for `ttlSeconds`. Resolves true when it was new, false when it was already
   * there (a replay): the check and the write are one step, so two processes cannot both
   * accept the same key.
   */
  add(key: string, ttlSeconds: number): Promise<boolean>;
}

/** A bounded in-process store: the oldest keys are dropped past `maxKeys`. */
export class MemoryReplayStore implements ReplayStore {
  readonly #expires = new Map<string, number>();

  constructor(private readonly maxKeys = 100_000) {}

  async has(key: string): Promise<boolean> {
    const expires = this.#expires.get(key);
    return expires !== undefined && expires > Date.now();
  }

  async add(key: string, ttlSeconds: number): Promise<boolean> {
    const now = Date.now();
    if (await this.has(key)) return false;
    this.#expires.delete(key);
    this.#expires.set(key, now + ttlSeconds * 1000);
    // Map keeps insertion order, so the first entries are the oldest
    for (const [old, expires] of this.#expires) {
      if (this.#expires.size <= this.maxKeys && expires > now) break;
      this.#expires.delete(old);
    }
    return true;
  }
}
