/**
 * @module
 * Deep merge of plain JSON-like objects: send defaults' `espExtra`, and the ESPs that merge
 * `espExtra` into their API payloads.
 */

type Obj = Record<string, unknown>;

/** True for a plain object (not an array, Buffer, Date or class instance). */
export function isPlainObject(value: unknown): value is Obj {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Sets an own data property, so a "__proto__" key can never reach the prototype. */
export function setOwn(target: Obj, key: string, value: unknown): void {
  // on a plain object only "__proto__" is an accessor (Object.prototype's); any other key
  // assigns an own property, without defineProperty's cost
  if (key !== "__proto__") target[key] = value;
  else
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

/**
 * A new object: `base` with `over` merged in recursively; `over` wins conflicts, and
 * anything that is not a plain object on both sides (arrays included) is replaced whole.
 * Neither argument is modified.
 *
 * @example
 * deepMerge({ a: { x: 1 } }, { a: { y: 2 } }) // { a: { x: 1, y: 2 } }
 */
export function deepMerge<T extends Obj>(base: T, over: Obj): T {
  const out: Obj = {};
  for (const [key, value] of Object.entries(base)) setOwn(out, key, value);
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    setOwn(
      out,
      key,
      isPlainObject(prior) && isPlainObject(value) ? deepMerge(prior, value) : value,
    );
  }
  return out as T;
}
