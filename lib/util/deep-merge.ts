/**
 * @module
 * Deep merge of plain JSON objects, for ESP `espExtra` payload overrides.
 */

type Obj = Record<string, unknown>;

function isPlainObject(value: unknown): value is Obj {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A new object: `base` with `over` merged in recursively; `over` wins conflicts, and
 * anything that is not a plain object on both sides (arrays included) is replaced whole.
 * Neither argument is modified.
 *
 * @example
 * deepMerge({ a: { x: 1 } }, { a: { y: 2 } }) // { a: { x: 1, y: 2 } }
 */
export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    // defineProperty: a "__proto__" key stays an own data property
    Object.defineProperty(out, key, {
      value: isPlainObject(prior) && isPlainObject(value) ? deepMerge(prior, value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
