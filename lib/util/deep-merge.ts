/**
 * @module
 * Deep merge of JSON-like objects, for `espExtra` that ESPs merge into their API payloads.
 */
import type { JsonObject } from "../sender/message.js";

/** True for a plain object (not an array, Buffer, Date or class instance). */
export function isPlainObject(value: unknown): value is JsonObject {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a new object: `extra` merged into `base`, recursing into objects present on both
 * sides; everything else (arrays, scalars) from `extra` replaces. Neither input is changed.
 *
 * @example deepMerge({ a: { b: 1, c: 2 } }, { a: { c: 3 } }) // { a: { b: 1, c: 3 } }
 */
export function deepMerge(base: JsonObject, extra: JsonObject): JsonObject {
  const result: JsonObject = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = result[key];
    result[key] =
      isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return result;
}
