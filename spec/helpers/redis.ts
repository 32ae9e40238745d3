/**
 * @module
 * A real redis-server for the queue tests: Debian's package, installed (apt-get) when missing
 * as the project's own test set-up, started on a free loopback port in a temp dir and
 * stopped after. Resolves to null when it cannot be had here (not root, no apt).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const REDIS_SERVER = "/usr/bin/redis-server";

let installing: Promise<string | null> | undefined;

/** The path of redis-server, installing Debian's package first when it is missing. */
export function ensureRedis(): Promise<string | null> {
  installing ??= (async () => {
    if (existsSync(REDIS_SERVER)) return REDIS_SERVER;
    if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return null;
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () =>
      run("apt-get", ["install", "-y", "--no-install-recommends", "redis-server"], {
        env,
        timeout: 600_000,
      });
    try {
      await install();
    } catch {
      // a fresh machine has no package lists yet
      try {
        await run("apt-get", ["update"], { env, timeout: 300_000 });
        await install();
      } catch (error) {
        console.warn(`could not install redis-server: ${(error as Error).message}`);
      }
    }
    return existsSync(REDIS_SERVER) ? REDIS_SERVER : null;
  })();
  return installing;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RedisOptions {
  /**
   * Keep data across `stop()` and `start()` (append-only file, fsync on every write). Off by default:
   * no disk writes at all.
   */
  persistent?: boolean;
}

/** One running redis-server. */
export class RedisServer {
  readonly host = "127.0.0.1";
  private child?: ChildProcess;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisOptions,
  ) {}

  /** ioredis / BullMQ connection options for this server. */
  get connection(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  static async start(binary: string, options: RedisOptions = {}): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), "anymail-redis-"));
    for (let attempt = 0; ; attempt++) {
      const server = new RedisServer(binary, await freePort(), dir, options);
      try {
        await server.start();
        return server;
      } catch (error) {
        // another process took the port between freePort() and redis binding it
        if (attempt >= 3) {
          rmSync(dir, { recursive: true, force: true });
          throw error;
        }
      }
    }
  }

  /** Starts (again, after `stop`) on the same port and dir. */
  start(): Promise<void> {
    const persistence = this.options.persistent
      ? ["--appendonly", "yes", "--appendfsync", "always", "--save", ""]
      : ["--appendonly", "no", "--save", ""];
    const child = spawn(
      this.binary,
      [
        "--port",
        String(this.port),
        "--bind",
        this.host,
        "--dir",
        this.dir,
        "--daemonize",
        "no",
        "--protected-mode",
        "no",
        "--logfile",
        "",
        ...persistence,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let output = "";
      const timer = setTimeout(() => fail(new Error("redis-server did not start in 10 s")), 10_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(`${error.message}\n${output}`));
      };
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", (code) => fail(new Error(`redis-server exited (${code})`)));
    });
  }

  /** Stops the server (a persistent one keeps its data for `start`); `kill` is a crash (SIGKILL). */
  async stop({ kill = false }: { kill?: boolean } = {}): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.stdout?.removeAllListeners("data");
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(kill ? "SIGKILL" : "SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops it and removes its dir. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Starts a redis-server (installing it first when missing), or null when it cannot be had. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer | null> {
  const binary = await ensureRedis();
  return binary ? RedisServer.start(binary, options) : null;
}

/**
 * Registers mocha hooks in the enclosing `describe`: a redis-server started before its tests
 * (the suite is skipped when none can be had) and stopped after. Returns a getter.
 *
 * @example
 * const redis = useRedis();
 * it("…", async () => { const queue = new Queue("q", { connection: redis().connection }); });
 */
export function useRedis(options: RedisOptions = {}): () => RedisServer {
  let server: RedisServer | null = null;
  before(async function () {
    this.timeout(900_000);
    server = await startRedis(options);
    if (!server) this.skip();
  });
  after(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error("redis-server is not running");
    return server;
  };
}
