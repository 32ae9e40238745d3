/**
 * @module
 * The library as it ships: the benchmarks measure the compiled `dist/` (what `npm install`
 * users run), not the TypeScript sources through tsx's loader, whose transforms (a name
 * helper per closure, source maps) cost up to half the send path's time. `npm run bench`
 * builds first.
 */
import { existsSync } from "node:fs";

/** Imports `dist/<module>`, typed as its source in lib/. */
export async function shipped<T>(module: string): Promise<T> {
  const url = new URL(`../dist/${module}`, import.meta.url);
  if (!existsSync(url)) throw new Error(`bench: ${url.pathname} is missing: run \`npm run build\``);
  return (await import(url.href)) as T;
}
