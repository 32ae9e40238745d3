import { expect } from "chai";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const npm = (args: string[], cwd = ".") => run("npm", args, { cwd, maxBuffer: 16 * 1024 * 1024 });

// What the tarball may weigh (measured at 0.1.0: 179 kB packed, 647 kB unpacked).
// about 10 KiB packed per ESP (code, types, docs page) plus the core; images stay out
const BUDGET = { packed: 400_000, unpacked: 1_600_000 };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

interface PackResult {
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
}

describe("The built package", function () {
  this.timeout(300_000);

  before(async () => {
    await npm(["run", "build"]);
  });

  it("emits JS and .d.ts in dist/, without source maps pointing at unshipped sources", () => {
    expect(existsSync("dist/index.js")).to.equal(true);
    expect(existsSync("dist/index.d.ts")).to.equal(true);
    const files = filesUnder("dist");
    expect(files.filter((f) => f.endsWith(".map"))).to.deep.equal([]);
    for (const file of files.filter((f) => f.endsWith(".js"))) {
      expect(readFileSync(file, "utf8"), file).not.to.include("sourceMappingURL");
    }
  });

  it("imports by package name (ESM) and sends through the test ESP", async () => {
    const script =
      "import { createSender } from 'anymail';" +
      "const s = createSender('test');" +
      "const st = await s.send({ from: 'a@example.com', to: 'b@example.com', subject: 'x' });" +
      "console.log([...st.status].join(), s.outbox.length);";
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
    expect(stdout.trim()).to.equal("sent 1");
  });

  it("loads with require() on Node 20's require-of-ESM", async () => {
    const script =
      "const a = require('anymail'); console.log(typeof a.createSender, typeof a.AnymailError);";
    const { stdout } = await run(process.execPath, ["-e", script]);
    expect(stdout.trim()).to.equal("function function");
  });

  it("packs dist, docs, README, LICENSE and package.json only, within the size budget", async () => {
    const { stdout } = await npm(["pack", "--dry-run", "--json", "--ignore-scripts"]);
    const [pack] = JSON.parse(stdout) as PackResult[];
    const paths = pack.files.map((f) => f.path);
    expect(paths).to.include.members([
      "LICENSE",
      "README.md",
      "package.json",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/nodemailer/index.js",
      "dist/nodemailer/index.d.ts",
      ...["hono", "next", "lambda"].flatMap((sub) => [
        `dist/${sub}/index.js`,
        `dist/${sub}/index.d.ts`,
      ]),
      "docs/sending.md",
      "docs/nodemailer.md",
      "docs/frameworks.md",
    ]);
    const stray = paths.filter(
      (p) => !/^(dist|docs)\//.test(p) && !["LICENSE", "README.md", "package.json"].includes(p),
    );
    expect(stray, "files outside dist/ and docs/").to.deep.equal([]);
    const sources = paths.filter((p) => p.endsWith(".map") || /(?<!\.d)\.ts$/.test(p));
    expect(sources, "maps and TypeScript sources").to.deep.equal([]);
    for (const js of paths.filter((p) => p.startsWith("dist/") && p.endsWith(".js"))) {
      expect(paths, `${js} has its types`).to.include(js.replace(/\.js$/, ".d.ts"));
    }
    expect(pack.size, "packed bytes").to.be.at.most(BUDGET.packed);
    expect(pack.unpackedSize, "unpacked bytes").to.be.at.most(BUDGET.unpacked);
  });

  it("publishes types that never import an optional peer (@aws-sdk/*)", () => {
    const leaks = filesUnder("dist")
      .filter((file) => file.endsWith(".d.ts"))
      .filter((file) => /(from\s*|import\s*\(\s*)["']@aws-sdk\//.test(readFileSync(file, "utf8")));
    expect(leaks).to.deep.equal([]);
  });

  describe("installed from its tarball into a project without the AWS SDK", () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), "anymail-consumer-"));
      const { stdout } = await npm([
        "pack",
        "--json",
        "--ignore-scripts",
        "--pack-destination",
        dir,
      ]);
      const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
      await writeFile(
        join(dir, "package.json"),
        JSON.stringify({ name: "consumer", private: true, type: "module" }),
      );
      // the npm cache answers when it can (about 8 s on the 2-core machine); else the registry
      await npm(
        ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, filename)],
        dir,
      );
    });
    after(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("has its dependencies and no AWS SDK", () => {
      expect(existsSync(join(dir, "node_modules/anymail/dist/index.js"))).to.equal(true);
      expect(existsSync(join(dir, "node_modules/nodemailer"))).to.equal(true);
      expect(existsSync(join(dir, "node_modules/@aws-sdk"))).to.equal(false);
    });

    it("type-checks a consumer with tsc --strict --skipLibCheck false", async () => {
      await writeFile(
        join(dir, "index.ts"),
        [
          "import {",
          "  AnymailEmitter, createSender, anymailRouter, createWebhookHandler,",
          '} from "anymail";',
          'import { anymailHono } from "anymail/hono";',
          'import { anymailRoute } from "anymail/next";',
          'import { lambdaHandler } from "anymail/lambda";',
          'import { anymailTransport, type AnymailSentMessageInfo } from "anymail/nodemailer";',
          'const sender = createSender("test");',
          'const status = await sender.send({ from: "a@example.com", to: "b@example.com" });',
          "const ids: string[] = status.messageIds;",
          "const emitter = new AnymailEmitter();",
          'emitter.on("tracking", (event) => {',
          "  // @ts-expect-error clickUrl is string | null until eventType is narrowed",
          "  const before: string = event.clickUrl;",
          '  if (event.eventType === "clicked") console.log(before, event.clickUrl.length);',
          "});",
          "const router = anymailRouter({ emitter });",
          "const transport = anymailTransport(sender, { urlAccess: { maxBytes: 1000 } });",
          "// @ts-expect-error a misspelled option of the published types",
          "anymailTransport(sender, { urlAccess: { maxByte: 1000 } });",
          "const info: AnymailSentMessageInfo | null = null;",
          'const fetchHandler = createWebhookHandler({ emitter, basePath: "/anymail" });',
          "const answer: Promise<Response> = fetchHandler(new Request('https://h.example/'));",
          "const hono = anymailHono({ emitter });",
          "export const { POST, HEAD } = anymailRoute({ emitter });",
          "const lambda = lambdaHandler({ emitter });",
          "// @ts-expect-error basePath is a string",
          "createWebhookHandler({ basePath: 1 });",
          "console.log(ids, router, transport.name, info, answer, hono, POST, HEAD, lambda);",
          "",
        ].join("\n"),
      );
      const tsc = resolve("node_modules/typescript/bin/tsc");
      // @types/node from this repo: the consumer has no dev dependencies of its own
      const result = await run(
        process.execPath,
        [
          tsc,
          "--strict",
          "--skipLibCheck",
          "false",
          "--noEmit",
          "--module",
          "nodenext",
          "--moduleResolution",
          "nodenext",
          "--target",
          "es2022",
          "--types",
          "node",
          "--typeRoots",
          resolve("node_modules/@types"),
          "index.ts",
        ],
        { cwd: dir },
      ).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
      expect(result.stdout).to.equal("");
      expect(result).not.to.have.property("failed");
    });

    it("runs: anymail/lambda answers an HTTP event without Hono or Next installed", async () => {
      const script = [
        'import { lambdaHandler } from "anymail/lambda";',
        "const handler = lambdaHandler({ env: {} });",
        "const event = { version: '2.0', rawPath: '/anymail/postmark/tracking/', headers: {},",
        "  requestContext: { domainName: 'h.example', http: { method: 'HEAD' } } };",
        "const result = await handler(event);",
        "console.log(result.statusCode);",
      ].join("\n");
      await writeFile(join(dir, "lambda.mjs"), script);
      const { stdout } = await run(process.execPath, ["lambda.mjs"], { cwd: dir });
      expect(stdout.trim()).to.equal("200");
      expect(existsSync(join(dir, "node_modules/hono"))).to.equal(false);
    });

    it("runs: nodemailer sends through anymail/nodemailer and the test ESP", async () => {
      const script = [
        'import nodemailer from "nodemailer";',
        'import { createSender } from "anymail";',
        'import { anymailTransport } from "anymail/nodemailer";',
        'const t = nodemailer.createTransport(anymailTransport(createSender("test")));',
        'const info = await t.sendMail({ from: "a@example.com", to: "b@example.com", list: { help: "h@example.com" } });',
        "console.log(info.accepted.join(), info.anymailStatus.messageIds.length);",
      ].join("\n");
      await writeFile(join(dir, "send.mjs"), script);
      const { stdout } = await run(process.execPath, ["send.mjs"], { cwd: dir });
      expect(stdout.trim()).to.equal("b@example.com 1");
    });
  });
});
