/**
 * @module
 * Dependencies loaded on first use rather than at import: `import("anymail")` stays fast
 * (bench/run.ts `coldImport`), and a process pays only for what it calls (a sender never
 * loads multer, a webhook never loads iconv-lite's tables). CommonJS ones through `require`,
 * which is synchronous, so the call sites stay synchronous; ES modules through `import()`,
 * made once.
 */
import { createRequire } from "node:module";

const requireCjs = createRequire(import.meta.url);

/** A getter that `require`s `specifier` on its first call and returns the same module after. */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireCjs(specifier) as T);
}

/**
 * A getter that runs `load` (an `import()`) on its first call and returns the module itself
 * after: Node resolves the specifier again on every `import()` of a loaded module, through
 * any loader hooks (under tsx, a round trip to its worker thread, ~0.3 ms of a webhook
 * request). A failed import is tried again by the next call.
 */
export function lazyImport<T extends object>(load: () => Promise<T>): () => T | Promise<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return () =>
    loaded ??
    (loading ??= load().then(
      (module) => (loaded = module),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
}
