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

/** A JSON-safe copy of `value` (Dates become ISO strings); throws naming the bad key. */
export function toJsonValue<T = unknown>(value: unknown, what: string): T {
  return convert(value, what, new Set()) as T;
}

/** JSON.stringify that throws AnymailSerializationError naming the offending key. */
export function serializeJson(value: unknown, what: string, espName?: string): string {
  try {
    return JSON.stringify(toJsonValue(value, what));
  } catch (error) {
    if (espName && error instanceof AnymailSerializationError) Object.assign(error, { espName });
    throw error;
  }
}
