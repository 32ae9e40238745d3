/**
 * @module
 * Skipping with a reason: the count reporter lists each reason in the run's summary, so a
 * skipped test always says why (no credentials, no shared vectors, no browser…).
 */

/** Where the reporter looks for the reason: on the test, else on a suite above it. */
export interface SkipReason {
  skipReason?: string;
}

/**
 * Skips the running test, or, called in a `before` hook, every test of that suite, and
 * records why.
 */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const runnable = ctx.test;
  const target: object | undefined =
    runnable && (runnable as { type?: string }).type === "hook" ? runnable.parent : runnable;
  if (target) Object.assign(target, { skipReason: reason } satisfies SkipReason);
  return ctx.skip();
}

/** `it` when `condition` holds; otherwise each test is skipped, saying `reason`. */
export function itIf(condition: unknown, reason: string) {
  return (title: string, fn: Mocha.Func | Mocha.AsyncFunc): Mocha.Test =>
    condition
      ? it(title, fn)
      : it(title, function () {
          skipBecause(this, reason);
        });
}

/** `describe` when `condition` holds; otherwise its tests are skipped, saying `reason`. */
export function describeIf(condition: unknown, reason: string) {
  return (title: string, fn: (this: Mocha.Suite) => void): Mocha.Suite =>
    describe(title, function () {
      if (!condition) {
        before(function () {
          skipBecause(this, reason);
        });
      }
      fn.call(this);
    });
}
