// Module hooks for the mocha process. Mocha `require`s the specs, so tsx runs lib/ as
// CommonJS there; an `import()` inside lib/ (an ESP's code, imported on first use) would
// otherwise load a second, ES-module copy of lib/ whose classes fail `instanceof` against
// the first. Loading lib/ files as CommonJS makes such an import() return the one copy.
const LIB = new URL("../../lib/", import.meta.url).href;

export async function load(url, context, next) {
  if (url.startsWith(LIB) && url.endsWith(".ts")) {
    // no source: Node's CommonJS loader (and its require cache) loads the file
    return { format: "commonjs", shortCircuit: true };
  }
  return next(url, context);
}
