import { expect } from "chai";
import { AnymailConfigurationError } from "../../lib/index.js";
import {
  envNamesFor,
  parseEnvValue,
  resolveSetting,
  resolveSettings,
  secretValues,
  toEnvName,
} from "../../lib/settings.js";

describe("Settings", () => {
  const specs = {
    apiKey: { required: true, espKey: true, secret: true },
    apiUrl: { default: "https://api.example/v3" },
  };

  it("[CORE-78] option names are the setting names in camelCase", () => {
    expect(toEnvName("apiKey")).to.equal("API_KEY");
    expect(toEnvName("webhookSigningKey")).to.equal("WEBHOOK_SIGNING_KEY");
    expect(envNamesFor("apiKey", { espKey: true }, ["MAILGUN"])).to.deep.equal([
      "ANYMAIL_MAILGUN_API_KEY",
      "MAILGUN_API_KEY",
    ]);
    expect(envNamesFor("apiUrl", {}, ["MAILGUN"])).to.deep.equal(["ANYMAIL_MAILGUN_API_URL"]);
    expect(envNamesFor("ignoreRecipientStatus", {}, [])).to.deep.equal([
      "ANYMAIL_IGNORE_RECIPIENT_STATUS",
    ]);
  });

  it("[CORE-77] resolves option → ANYMAIL_<ESP>_<NAME> → <ESP>_<NAME>", () => {
    const env = { ANYMAIL_X_API_KEY: "from-anymail-env", X_API_KEY: "from-esp-env" };
    const opts = { prefixes: ["X"], env };
    expect(resolveSetting({ apiKey: "explicit" }, "apiKey", specs.apiKey, opts)).to.equal(
      "explicit",
    );
    expect(resolveSetting({}, "apiKey", specs.apiKey, opts)).to.equal("from-anymail-env");
    expect(
      resolveSetting({}, "apiKey", specs.apiKey, { prefixes: ["X"], env: { X_API_KEY: "esp" } }),
    ).to.equal("esp");
    // the un-prefixed form only for ESP keys
    expect(
      resolveSetting({}, "apiUrl", {}, { prefixes: ["X"], env: { X_API_URL: "nope" } }),
    ).to.equal(undefined);
  });

  it("[CORE-79] an explicit option overrides the environment", () => {
    const resolved = resolveSettings({ apiKey: "mine" }, specs, {
      prefixes: ["X"],
      env: { X_API_KEY: "env" },
    });
    expect(resolved).to.deep.equal({ apiKey: "mine", apiUrl: "https://api.example/v3" });
  });

  it("[CORE-80] a missing required setting names the option and both env names, without secrets", () => {
    let error: unknown;
    try {
      resolveSetting({}, "apiKey", specs.apiKey, {
        prefixes: ["X"],
        espName: "Xesp",
        where: 'createSender("x")',
        env: {},
      });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AnymailConfigurationError);
    const message = (error as Error).message;
    expect(message).to.include("apiKey").and.include("ANYMAIL_X_API_KEY").and.include("X_API_KEY");
    expect(message).to.include('createSender("x")');
  });

  it("parses env values that look like JSON, and lists as comma-separated", () => {
    expect(parseEnvValue("true")).to.equal(true);
    expect(parseEnvValue("12.5")).to.equal(12.5);
    expect(parseEnvValue('{"tags": ["a"]}')).to.deep.equal({ tags: ["a"] });
    expect(parseEnvValue("[1, 2]")).to.deep.equal([1, 2]);
    expect(parseEnvValue("{not json")).to.equal("{not json");
    expect(parseEnvValue("u:p, v:q", { list: true })).to.deep.equal(["u:p", "v:q"]);
    expect(parseEnvValue("plain")).to.equal("plain");
  });

  it("collects secret values for redaction", () => {
    expect(secretValues({ apiKey: "k1", apiUrl: "u" }, specs)).to.deep.equal(["k1"]);
    expect(secretValues({ apiKey: ["a", "b"] }, specs)).to.deep.equal(["a", "b"]);
  });
});
