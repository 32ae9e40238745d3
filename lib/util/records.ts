/**
 * @module
 * Guards for parsed payloads: a JSON object check, and table lookups that only ever
 * match a table's own keys (so "constructor" or "__proto__" from a payload map to nothing).
 */

/** True for a non-null object that is not an array (a parsed JSON object). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The row of `table` for `key`, when `key` is one of its own keys; else undefined.
 *
 * @example
 * lookup({ delivered: "delivered" }, "constructor") // undefined
 */
export function lookup<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === "string" && Object.hasOwn(table, key) ? table[key] : undefined;
}
