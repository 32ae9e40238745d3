import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { checkBasicAuth, normalizeSecrets, parseBasicAuth } from "../../lib/middleware/auth.js";
import { anymailRouter } from "../../lib/middleware/router.js";
import { AnymailConfigurationError } from "../../lib/errors.js";
import { basicAuthHeader } from "../helpers/webhooks.js";

describe("Webhook router: basic-auth parsing", () => {
  it("[HOOK-11] tells missing, malformed, wrong and right credentials apart", () => {
    const secrets = ["user:pass"];
    expect(checkBasicAuth(undefined, secrets)).to.equal("missing");
    expect(checkBasicAuth("Bearer abc", secrets)).to.equal("missing");
    expect(checkBasicAuth("Basic", secrets)).to.equal("malformed");
    expect(checkBasicAuth("Basic !!!", secrets)).to.equal("malformed");
    expect(checkBasicAuth(basicAuthHeader("no-colon"), secrets)).to.equal("malformed");
    expect(checkBasicAuth(basicAuthHeader("user:wrong"), secrets)).to.equal("wrong");
    expect(checkBasicAuth(basicAuthHeader("user:pas"), secrets)).to.equal("wrong");
    expect(checkBasicAuth(basicAuthHeader("user:pass"), secrets)).to.equal("ok");
    expect(
      checkBasicAuth("basic  " + Buffer.from("user:pass").toString("base64"), secrets),
    ).to.equal("ok");
    expect(parseBasicAuth(basicAuthHeader("ü:p:w"))).to.equal("ü:p:w");
  });

  it("[HOOK-13] compares against every secret, with no early exit on a match", () => {
    const visited: string[] = [];
    const secrets = new Proxy(["a:1", "b:2", "c:3"], {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof key === "string" && /^\d+$/.test(key)) visited.push(String(value));
        return value;
      },
    });
    expect(checkBasicAuth(basicAuthHeader("a:1"), secrets)).to.equal("ok");
    expect(visited).to.deep.equal(["a:1", "b:2", "c:3"]);
  });

  it("[HOOK-13] uses the constant-time comparison and never a plain equality on secrets", () => {
    const source = readFileSync(new URL("../../lib/middleware/auth.ts", import.meta.url), "utf8");
    // both sides as SHA-256 digests (the secret's computed once), compared by timingSafeEqual
    expect(source).to.match(/const given = sha256\(credentials\)/);
    expect(source).to.match(/timingSafeEqual\(given, secretDigest\(secret\)\)/);
    expect(source).to.not.match(
      /credentials\s*[!=]==?\s*secret|secret\s*[!=]==?\s*credentials|secrets\.includes/,
    );
  });

  it("[HOOK-13] checks each of many secret lists right, whatever it computed before", () => {
    // the configured secrets' digests are kept between calls: a list seen for the first
    // time, and more lists than are kept, must still be checked against their own secrets
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 100; i++) {
        const secrets = [`user${i}:pass${i}`, `other${i}:x`];
        expect(checkBasicAuth(basicAuthHeader(`user${i}:pass${i}`), secrets)).to.equal("ok");
        expect(checkBasicAuth(basicAuthHeader(`other${i}:x`), secrets)).to.equal("ok");
        expect(checkBasicAuth(basicAuthHeader(`user${i + 1}:pass${i + 1}`), secrets)).to.equal(
          "wrong",
        );
      }
    }
  });

  it("[HOOK-12] takes one secret or a list, and refuses entries without a colon", () => {
    expect(normalizeSecrets(undefined)).to.deep.equal([]);
    expect(normalizeSecrets("")).to.deep.equal([]);
    expect(normalizeSecrets("u:p")).to.deep.equal(["u:p"]);
    expect(normalizeSecrets(["u:p", "v:q"])).to.deep.equal(["u:p", "v:q"]);
    expect(() => normalizeSecrets(["u:p", "secret-without-colon"]))
      .to.throw(AnymailConfigurationError)
      .with.property("message")
      .that.does.not.include("secret-without-colon");
    expect(() => normalizeSecrets([42])).to.throw(AnymailConfigurationError);
  });

  it("[HOOK-07] refuses invalid limits at setup", () => {
    expect(() => anymailRouter({ limits: { body: -1 }, env: {} })).to.throw(
      AnymailConfigurationError,
      /limits\.body/,
    );
    expect(() => anymailRouter({ limits: { bogus: 1 } as never, env: {} })).to.throw(
      AnymailConfigurationError,
      /limits\.bogus/,
    );
  });
});

describe("Webhook router: structure", () => {
  function sources(dir: URL): Array<[string, string]> {
    return readdirSync(dir).map((name) => [name, readFileSync(new URL(name, dir), "utf8")]);
  }

  it("[HOOK-06] the router and events never load an optional ESP package (AWS SDK)", () => {
    for (const folder of ["middleware", "events"]) {
      for (const [name, text] of sources(new URL(`../../lib/${folder}/`, import.meta.url))) {
        expect(text, join(folder, name)).to.not.match(/@aws-sdk|from "\.\.\/esps\/[a-z-]+\//);
      }
    }
  });

  it("ESP-neutral receiving code never names an ESP", () => {
    const names =
      /mailgun|sendgrid|postmark|mandrill|mailjet|sparkpost|sendinblue|brevo|amazon|\bses\b/i;
    for (const folder of ["middleware", "events"]) {
      for (const [name, text] of sources(new URL(`../../lib/${folder}/`, import.meta.url))) {
        const code = text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
        expect(code, join(folder, name)).to.not.match(names);
      }
    }
  });
});
