/**
 * @module
 * Epoch-second timestamps, as ESP webhooks send them (a JSON number or a numeric string).
 */

/**
 * Epoch seconds (a number or numeric string) → Date; a blank, non-numeric or
 * out-of-range value → null.
 *
 * @example
 * epochToDate("1700000000.5") // 2023-11-14T22:13:20.500Z
 */
export function epochToDate(value: unknown): Date | null {
  if (typeof value === "string" && value.trim() === "") return null;
  const seconds = typeof value === "string" ? Number(value) : value;
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date;
}
