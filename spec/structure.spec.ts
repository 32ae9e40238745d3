import { expect } from "chai";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { listAdapters } from "../lib/esps/registry.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("Project structure", () => {
  const espFolders = readdirSync("lib/esps").filter((name) =>
    statSync(join("lib/esps", name)).isDirectory(),
  );

  it("every folder under lib/esps has index.ts and is registered", () => {
    const registered = new Set(listAdapters().map((a) => a.name.replace(/_/g, "-")));
    for (const folder of espFolders) {
      expect(statSync(join("lib/esps", folder, "index.ts")).isFile(), folder).to.equal(true);
      expect(registered.has(folder), `${folder} is registered`).to.equal(true);
    }
  });

  it("ESP-neutral code never names an ESP", () => {
    const names = listAdapters()
      .filter((a) => !["test", "console"].includes(a.name))
      .flatMap((a) => [a.name, a.displayName, ...(a.aliases ?? [])]);
    const neutral = filesUnder("lib").filter((f) => !f.startsWith(join("lib", "esps") + "/"));
    for (const file of neutral) {
      const text = readFileSync(file, "utf8");
      for (const name of names) {
        expect(
          new RegExp(`\\b${name.replace(/[_ ]/g, "[_ -]?")}\\b`, "i").test(text),
          `${file} names ${name}`,
        ).to.equal(false);
      }
    }
  });

  it("an ESP's declaration imports none of its code (lazyCode imports it on first use)", () => {
    // import("anymail") loads every index.ts: docs/adding-an-esp.md "Code on first use"
    const code = /^import (?!type )[^;]*from "\.\/(code|send|tracking|inbound|signature)\.js"/m;
    for (const folder of espFolders) {
      const text = readFileSync(join("lib/esps", folder, "index.ts"), "utf8");
      expect(code.test(text), `lib/esps/${folder}/index.ts imports its code`).to.equal(false);
    }
  });
});
