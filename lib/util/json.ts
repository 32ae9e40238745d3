/**
 * @module
 * JSON safety: metadata and merge data must survive JSON, so what JSON cannot represent
 * (functions, symbols, BigInt, cycles, non-finite numbers) fails before anything is sent.
 */
import { AnymailSerializationError } from "../errors.js";
import { setOwn } from "./deep-merge.js";

function fail(path: string, why: string): never {
  throw new AnymailSerializationError(`Cannot serialize ${path}: ${why}`);
}

function convert(value: unknown, path: string, seen: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : fail(path, `${value} is not a finite number`);
    case "bigint":
      return fail(path, "BigInt is not JSON (format it as a string)");
    case "function":
      return fail(path, "a function is not JSON");
    case "symbol":
      return fail(path, "a Symbol is not JSON");
    case "undefined":
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) {
    return Number.isNaN(object.getTime()) ? fail(path, "invalid Date") : object.toISOString();
  }
  if (seen.has(object)) fail(path, "circular reference");
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return object.map((item, i) => convert(item, `${path}[${i}]`, seen) ?? null);
    }
    const withToJSON = object as { toJSON?: () => unknown };
    if (typeof withToJSON.toJSON === "function") {
      return convert(withToJSON.toJSON(), path, seen);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(object)) {
      const converted = convert(item, `${path}.${key}`, seen);
      if (converted !== undefined) setOwn(out, key, converted);
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

const MAX_PLAIN_DEPTH = 64;

/**
 * True when `value` is already plain JSON: strings, finite numbers, booleans, null, arrays
 * and plain objects only, no cycles (depth-bounded). Walks without copying or building key
 * paths, so the common case costs one pass; anything else (a Date, a toJSON method, an
 * undefined member, a class instance) goes the slow, converting way.
 */
function isPlainJson(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > MAX_PLAIN_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!isPlainJson(value[i], depth + 1)) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    if (!isPlainJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * A JSON-safe form of `value` (Dates become ISO strings); throws naming the bad key. Plain
 * JSON comes back as it is (not copied); only other values are converted into a copy.
 */
export function toJsonValue<T = unknown>(value: unknown, what: string): T {
  if (isPlainJson(value)) return value as T;
  return convert(value, what, new Set()) as T;
}

/** JSON.stringify that throws AnymailSerializationError naming the offending key. */
export function serializeJson(value: unknown, what: string, espName?: string): string {
  try {
    return JSON.stringify(isPlainJson(value) ? value : toJsonValue(value, what));
  } catch (error) {
    if (espName && error instanceof AnymailSerializationError) Object.assign(error, { espName });
    throw error;
  }
}
