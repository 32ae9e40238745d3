/**
 * @module
 * Job data that survives Redis: values JSON cannot hold as they are (Dates, bytes, BigInt,
 * Sets, Maps, undefined in arrays, non-finite numbers) become tagged objects `{ $t, v }`
 * and come back as the same values. Big ids the parsers kept as digit strings stay strings.
 */
import { AnymailSerializationError } from "../errors.js";
import { setOwn } from "../util/deep-merge.js";

/** A value JSON.stringify keeps exactly. */
export type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

const TAG = "$t";

function tagged(type: string, value: Encoded): Encoded {
  return { [TAG]: type, v: value };
}

/** `path` is the keys down to `value`, joined only to name a cycle. */
function encodeWith(value: unknown, path: string[], seen: Set<object>): Encoded | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : tagged("num", String(value));
    case "bigint":
      return tagged("bigint", value.toString());
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof Date) return tagged("date", object.getTime());
  if (object instanceof Uint8Array) {
    return tagged(
      "bytes",
      Buffer.from(object.buffer, object.byteOffset, object.length).toString("base64"),
    );
  }
  if (seen.has(object)) {
    throw new AnymailSerializationError(`Cannot queue ${path.join("")}: circular reference`);
  }
  seen.add(object);
  const child = (key: string, item: unknown): Encoded | undefined => {
    path.push(key);
    try {
      return encodeWith(item, path, seen);
    } finally {
      path.pop();
    }
  };
  try {
    const items = (list: Iterable<unknown>) =>
      [...list].map((item, i) => child(`[${i}]`, item) ?? tagged("undef", null));
    if (Array.isArray(object)) return items(object);
    if (object instanceof Set) return tagged("set", items(object));
    if (object instanceof Map) return tagged("map", items(object.entries()));
    const out: Record<string, Encoded> = {};
    for (const [key, item] of Object.entries(object)) {
      const encoded = child(`.${key}`, item);
      if (encoded !== undefined) setOwn(out, key, encoded);
    }
    // an object that happens to have a "$t" key is wrapped, so it is never read as a tag
    return Object.hasOwn(out, TAG) ? tagged("obj", out) : out;
  } finally {
    seen.delete(object);
  }
}

/**
 * `value` as JSON-safe data for a job; throws AnymailSerializationError on a cycle.
 *
 * @example
 * decodeValue(JSON.parse(JSON.stringify(encodeValue({ at: new Date(0) })))) // { at: Date(0) }
 */
export function encodeValue(value: unknown, what = "value"): Encoded {
  return encodeWith(value, [what], new Set()) ?? tagged("undef", null);
}

function decodeObject(object: { [key: string]: Encoded }): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) setOwn(out, key, decodeValue(item));
  return out;
}

/** The value `encodeValue` was given (class instances other than the tagged ones come back as plain objects). */
export function decodeValue(encoded: Encoded): unknown {
  if (encoded === null || typeof encoded !== "object") return encoded;
  if (Array.isArray(encoded)) return encoded.map(decodeValue);
  if (!Object.hasOwn(encoded, TAG)) return decodeObject(encoded);
  const value = encoded.v;
  switch (encoded[TAG]) {
    case "num":
      return Number(value);
    case "bigint":
      return BigInt(value as string);
    case "date":
      // an invalid Date's NaN went through JSON as null
      return new Date(value === null ? Number.NaN : (value as number));
    case "bytes":
      return Buffer.from(value as string, "base64");
    case "undef":
      return undefined;
    case "set":
      return new Set((value as Encoded[]).map(decodeValue));
    case "map":
      return new Map((value as Encoded[]).map(decodeValue) as Array<[unknown, unknown]>);
    case "obj":
      return decodeObject(value as { [key: string]: Encoded });
  }
  throw new AnymailSerializationError(`Unknown tag ${String(encoded[TAG])} in queued data`);
}
