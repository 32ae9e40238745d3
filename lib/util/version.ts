/**
 * @module
 * anymail's own version, read once from package.json (for User-Agent headers).
 */
import { createRequire } from "node:module";

let version: string | undefined;

/** The package's version ("0.1.0"), or "0" when package.json cannot be read. */
export function packageVersion(): string {
  if (version === undefined) {
    try {
      // lib/util → package root (and dist/util once built)
      const manifest: unknown = createRequire(import.meta.url)("../../package.json");
      const value = (manifest as { version?: unknown }).version;
      version = typeof value === "string" ? value : "0";
    } catch {
      version = "0";
    }
  }
  return version;
}
