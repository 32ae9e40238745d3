/**
 * @module
 * Finds Debian's chromium for the browser tests, installing it (apt-get) when missing,
 * as the project's own test set-up. Resolves to null when it cannot be had here.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";

const run = promisify(execFile);
export const CHROMIUM = "/usr/bin/chromium";

let installing: Promise<string | null> | undefined;

export function ensureChromium(): Promise<string | null> {
  installing ??= (async () => {
    if (existsSync(CHROMIUM)) return CHROMIUM;
    if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return null;
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    try {
      await run("apt-get", ["update"], { env, timeout: 300_000 });
      await run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
        env,
        timeout: 600_000,
      });
    } catch (error) {
      console.warn(`could not install chromium: ${(error as Error).message}`);
    }
    return existsSync(CHROMIUM) ? CHROMIUM : null;
  })();
  return installing;
}

/** The launch flags for headless chromium as root, with the network chatter off. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];
