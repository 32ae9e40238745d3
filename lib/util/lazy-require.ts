/**
 * @module
 * CommonJS dependencies loaded on first use rather than at import: `import("anymail")` stays
 * fast (bench/run.ts `coldImport`), and a process pays only for what it calls (a sender never
 * loads multer, a webhook never loads iconv-lite's tables). `require` is synchronous, so the
 * call sites stay synchronous.
 */
import { createRequire } from "node:module";

const requireCjs = createRequire(import.meta.url);

/** A getter that `require`s `specifier` on its first call and returns the same module after. */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireCjs(specifier) as T);
}
