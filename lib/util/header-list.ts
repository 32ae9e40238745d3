/**
 * @module
 * Lookups in a header list (`[name, value]` pairs in message order), by name, case-insensitively.
 */

export type HeaderList = ReadonlyArray<readonly [string, string]>;

/** Every value of a header, in order. */
export function headerValues(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([key]) => key.toLowerCase() === lower).map(([, value]) => value);
}

/** The first value of a header, or null. */
export function firstHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1] ?? null;
}
