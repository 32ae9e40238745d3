import { expect } from "chai";
import { createSender } from "../../lib/index.js";

describe("Send defaults", () => {
  const base = { from: "from@example.com", to: "to@example.com", subject: "s", text: "t" };

  it("[CORE-71] concatenates tags, merges metadata, replaces scalars, fills unset fields", async () => {
    const sender = createSender("test", {
      sendDefaults: {
        metadata: { district: "North", source: "unknown" },
        tags: ["myapp", "version3"],
        trackClicks: true,
        trackOpens: true,
      },
    });
    const message = {
      ...base,
      tags: ["welcome"],
      metadata: { source: "Ads", user_id: 12345 },
      trackClicks: false,
    };
    await sender.send(message);
    const params = sender.outbox[0].anymailTestParams!;
    expect(params.tags).to.deep.equal(["myapp", "version3", "welcome"]);
    expect(params.metadata).to.deep.equal({ district: "North", source: "Ads", user_id: 12345 });
    expect(params.trackClicks).to.equal(false);
    expect(params.trackOpens).to.equal(true);
    expect(message.tags).to.deep.equal(["welcome"]); // the caller's message is not changed
  });

  it("[CORE-72] null on the message drops a default", async () => {
    const sender = createSender("test", { sendDefaults: { tags: ["myapp"], metadata: { a: 1 } } });
    await sender.send({ ...base, tags: null, metadata: null });
    const params = sender.outbox[0].anymailTestParams!;
    expect(params.tags).to.deep.equal([]);
    expect(params.metadata).to.equal(null);
  });

  it("[CORE-73] defaults cover every field: bcc, attachments, from", async () => {
    const sender = createSender("test", {
      sendDefaults: {
        from: "Default <default@example.com>",
        bcc: ["always-copy@example.com"],
        attachments: [{ filename: "terms.txt", content: "terms" }],
      },
    });
    await sender.send({ to: "to@example.com", bcc: "other@example.com", subject: "s", text: "t" });
    const params = sender.outbox[0].anymailTestParams!;
    expect(params.from?.toString()).to.equal("Default <default@example.com>");
    expect(params.bcc.map(String)).to.deep.equal(["always-copy@example.com", "other@example.com"]);
    expect(params.attachments.map((a) => a.filename)).to.deep.equal(["terms.txt"]);
  });

  it("[CORE-74] ESP defaults replace the same key of sendDefaults, not merge", async () => {
    const sender = createSender("test", {
      sendDefaults: { tags: ["myapp", "version3"], metadata: { a: 1 } },
      testSendDefaults: { tags: ["version3"] },
    });
    await sender.send(base);
    const params = sender.outbox[0].anymailTestParams!;
    expect(params.tags).to.deep.equal(["version3"]);
    expect(params.metadata).to.deep.equal({ a: 1 });

    const fromEnv = createSender("test", {
      sendDefaults: { tags: ["global"] },
      env: { ANYMAIL_TEST_SEND_DEFAULTS: '{"tags": ["esp-env"]}' },
    });
    await fromEnv.send(base);
    expect(fromEnv.outbox[0].anymailTestParams!.tags).to.deep.equal(["esp-env"]);

    const globalEnv = createSender("test", { env: { ANYMAIL_SEND_DEFAULTS: '{"tags": ["g"]}' } });
    await globalEnv.send({ ...base, tags: ["m"] });
    expect(globalEnv.outbox[0].anymailTestParams!.tags).to.deep.equal(["g", "m"]);
  });

  it("[CORE-75] mergeGlobalData defaults merge with the message's", async () => {
    const sender = createSender("test", {
      sendDefaults: { mergeGlobalData: { SITE: "Acme", OFFER: "5%" } },
    });
    await sender.send({ ...base, mergeGlobalData: { OFFER: "15%" } });
    expect(sender.outbox[0].anymailTestParams!.mergeGlobalData).to.deep.equal({
      SITE: "Acme",
      OFFER: "15%",
    });
  });

  it("[CORE-76] espExtra merges deeply; mergeData and mergeMetadata merge per recipient", async () => {
    const sender = createSender("test", {
      sendDefaults: {
        espExtra: { "o:dkim": "no", options: { a: 1, nested: { x: 1 } } },
        mergeData: { "to@example.com": { NAME: "Default", CITY: "Here" } },
        mergeMetadata: { "to@example.com": { customer: 1, source: "d" } },
      },
    });
    await sender.send({
      ...base,
      espExtra: { options: { b: 2, nested: { y: 2 } } },
      mergeData: { "to@example.com": { NAME: "Wile" } },
      mergeMetadata: { "to@example.com": { customer: 2 } },
    });
    const params = sender.outbox[0].anymailTestParams!;
    expect(params.espExtra).to.deep.equal({
      "o:dkim": "no",
      options: { a: 1, b: 2, nested: { x: 1, y: 2 } },
    });
    expect(params.mergeData).to.deep.equal({ "to@example.com": { NAME: "Wile", CITY: "Here" } });
    expect(params.mergeMetadata).to.deep.equal({ "to@example.com": { customer: 2, source: "d" } });
  });

  it("[CORE-76] a per-recipient merge keeps a __proto__ key of the message's as data", async () => {
    const sender = createSender("test", {
      sendDefaults: { mergeData: { "to@example.com": { NAME: "Default", CITY: "Here" } } },
    });
    const mergeData = JSON.parse(
      '{"__proto__": {"polluted": true}, "to@example.com": {"NAME": "Wile"}}',
    ) as Record<string, Record<string, unknown>>;
    await sender.send({ ...base, mergeData });
    const merged = sender.outbox[0].anymailTestParams!.mergeData!;
    expect(Object.getPrototypeOf(merged)).to.equal(Object.prototype);
    expect(Object.keys(merged).sort()).to.deep.equal(["__proto__", "to@example.com"]);
    expect(merged["to@example.com"]).to.deep.equal({ NAME: "Wile", CITY: "Here" });
    expect(Object.getOwnPropertyDescriptor(merged, "__proto__")?.value).to.deep.equal({
      polluted: true,
    });
  });

  it("[CORE-14] default and message headers merge case-insensitively", async () => {
    const sender = createSender("test", {
      sendDefaults: { headers: { "X-App": "a", "X-Keep": "k" } },
    });
    await sender.send({ ...base, headers: { "x-app": "b" } });
    expect(sender.outbox[0].anymailTestParams!.headers).to.deep.equal({
      "X-Keep": "k",
      "x-app": "b",
    });
  });
});
