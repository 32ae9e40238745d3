import { expect } from "chai";
import {
  AnymailCancelSend,
  AnymailError,
  AnymailRecipientsRefused,
  AnymailSerializationError,
  AnymailStatus,
  AnymailUnsupportedFeature,
  createSender,
  type AnymailMessage,
} from "../../lib/index.js";
import { ALL_FEATURES } from "../../lib/esps/test/index.js";
import { fakeSender, seen } from "../helpers/fake-esps.js";

const base = (): AnymailMessage => ({
  from: "Sender <from@example.com>",
  to: ["New User <user1@example.com>", "account.manager@example.com"],
  subject: "It works!",
  text: "text body",
});

describe("Sending through the test ESP", () => {
  it("[CORE-01] [CORE-02] [CORE-88] records the message with exactly its values and no network", async () => {
    const sender = createSender("test");
    const message = base();
    await sender.send(message);
    expect(sender.outbox).to.deep.equal([message]);
    const params = message.anymailTestParams!;
    expect(params.from?.toString()).to.equal("Sender <from@example.com>");
    expect(params.to.map(String)).to.deep.equal([
      "New User <user1@example.com>",
      "account.manager@example.com",
    ]);
    expect(params.subject).to.equal("It works!");
    expect(params.text).to.equal("text body");
  });

  it("[CORE-03] sends html alongside text; an html alternative becomes the html body", async () => {
    const sender = createSender("test");
    await sender.send({ ...base(), html: "<p>html body</p>" });
    await sender.send({
      ...base(),
      alternatives: [{ content: "<b>alt</b>", contentType: "text/html" }],
    });
    expect(sender.outbox[0].anymailTestParams!.html).to.equal("<p>html body</p>");
    expect(sender.outbox[1].anymailTestParams!.html).to.equal("<b>alt</b>");
    expect(sender.outbox[1].anymailTestParams!.alternatives).to.deep.equal([]);
  });

  it("[CORE-04] senders coexist with their own options", async () => {
    const a = createSender("test", { sendDefaults: { tags: ["a"] } });
    const b = createSender("test");
    await a.send(base());
    await b.send(base());
    expect(a.outbox[0].anymailTestParams!.tags).to.deep.equal(["a"]);
    expect(b.outbox[0].anymailTestParams!.tags).to.deep.equal([]);
    expect(a.outbox).to.have.length(1);
  });

  it("[CORE-06] [CORE-46] [CORE-89] a plain object gets anymailStatus, undefined before the send", async () => {
    const sender = createSender("test");
    const message = base();
    expect(message.anymailStatus).to.equal(undefined);
    const status = await sender.send(message);
    expect(message.anymailStatus).to.equal(status);
    expect(status).to.be.instanceOf(AnymailStatus);
    expect(status.status).to.deep.equal(new Set(["sent"]));
  });

  it("[CORE-91] gives every message a unique message id", async () => {
    const sender = createSender("test");
    const ids = new Set<unknown>();
    for (let i = 0; i < 5; i++) ids.add((await sender.send(base())).messageId);
    expect(ids.size).to.equal(5);
  });

  it("[CORE-90] anymailTestParams hold values merged from sendDefaults", async () => {
    const sender = createSender("test", { sendDefaults: { trackClicks: true } });
    await sender.send(base());
    expect(sender.outbox[0].anymailTestParams!.trackClicks).to.equal(true);
  });

  it("[CORE-12] [CORE-50] recipients are keyed by addr-spec in the case sent", async () => {
    const sender = createSender("test");
    const status = await sender.send({
      ...base(),
      to: "Mixed <MiXeD@Example.com>",
      cc: "cc@example.com",
      bcc: "b@example.com",
    });
    expect(Object.keys(status.recipients)).to.deep.equal([
      "MiXeD@Example.com",
      "cc@example.com",
      "b@example.com",
    ]);
  });
});

describe("Send status", () => {
  it("[CORE-47] [CORE-48] [CORE-49] messageId is one id, or a Set when recipients differ", async () => {
    const status = await fakeSender().send(base());
    expect(status.messageId).to.deep.equal(
      new Set(["id-user1@example.com", "id-account.manager@example.com"]),
    );
    expect(status.status).to.deep.equal(new Set(["queued"]));
    const single = new AnymailStatus().setRecipients(
      { "a@x.com": { status: "sent", messageId: "m1" } },
      null,
    );
    expect(single.messageId).to.equal("m1");
    const none = new AnymailStatus().setRecipients(
      { "a@x.com": { status: "failed", messageId: null } },
      null,
    );
    expect(none.messageId).to.equal(null);
    expect(none.status).to.deep.equal(new Set(["failed"]));
  });

  it("[CORE-47] a batch with a refused recipient reports the Set of ids, null included (#17 item 8)", () => {
    const status = new AnymailStatus().setRecipients(
      {
        "a@x.com": { status: "queued", messageId: "m1" },
        "b@x.com": { status: "rejected", messageId: null },
      },
      null,
    );
    expect(status.messageId).to.deep.equal(new Set(["m1", null]));
    const same = new AnymailStatus().setRecipients(
      {
        "a@x.com": { status: "queued", messageId: "m1" },
        "b@x.com": { status: "queued", messageId: "m1" },
      },
      null,
    );
    expect(same.messageId).to.equal("m1");
  });

  it("[CORE-51] espResponse holds the ESP's raw answer", async () => {
    const status = await fakeSender().send(base());
    expect(status.espResponse).to.deep.equal({ fake: true });
  });
});

describe("Refused recipients", () => {
  it("[CORE-53] throws AnymailRecipientsRefused when every recipient is refused, status still set", async () => {
    const message = base();
    let error: unknown;
    await fakeSender({}, {}, "rejected")
      .send(message)
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailRecipientsRefused);
    expect((error as Error).message).to.include("user1@example.com (rejected)");
    expect(message.anymailStatus!.recipients["user1@example.com"].status).to.equal("rejected");
    let invalid: unknown;
    await fakeSender({}, {}, "invalid")
      .send(base())
      .catch((e: unknown) => (invalid = e));
    expect(invalid).to.be.instanceOf(AnymailRecipientsRefused);
  });

  it("[CORE-54] does not throw when a recipient was accepted or queued", async () => {
    for (const status of ["queued", "sent", "failed", "unknown"] as const) {
      const result = await fakeSender({}, {}, status).send(base());
      expect(result.status).to.deep.equal(new Set([status]));
    }
  });

  it("[CORE-55] ignoreRecipientStatus turns the error off", async () => {
    const status = await fakeSender({}, { ignoreRecipientStatus: true }, "rejected").send(base());
    expect(status.status).to.deep.equal(new Set(["rejected"]));
    const fromEnv = await fakeSender(
      {},
      { env: { ANYMAIL_IGNORE_RECIPIENT_STATUS: "true" } },
      "rejected",
    ).send(base());
    expect(fromEnv.status).to.deep.equal(new Set(["rejected"]));
  });
});

describe("Headers", () => {
  it("[CORE-13] [CORE-14] extra headers are sent; case variants give one header, the last wins", async () => {
    const sender = createSender("test");
    await sender.send({
      ...base(),
      headers: {
        "List-Unsubscribe": "<mailto:u@example.com>",
        "X-Example-Header": "myapp",
        "x-example-header": "last",
        "In-Reply-To": "<id@example.com>",
      },
    });
    expect(sender.outbox[0].anymailTestParams!.headers).to.deep.equal({
      "List-Unsubscribe": "<mailto:u@example.com>",
      "x-example-header": "last",
      "In-Reply-To": "<id@example.com>",
    });
  });

  it("[CORE-15] a Reply-To header in any case overrides replyTo", async () => {
    const sender = createSender("test");
    await sender.send({
      ...base(),
      replyTo: "ignored@example.com",
      headers: { "rEPLY-tO": "Help <help@example.com>" },
    });
    const params = sender.outbox[0].anymailTestParams!;
    expect(params.replyTo.map(String)).to.deep.equal(["Help <help@example.com>"]);
    expect(params.headers).to.deep.equal({});
  });

  it("[CORE-16] a From header is shown; the message's from becomes the envelope sender", async () => {
    const sender = createSender("test");
    await sender.send({
      ...base(),
      from: "bounces@example.com",
      headers: { From: "Shown <shown@example.com>" },
    });
    const params = sender.outbox[0].anymailTestParams!;
    expect(params.from?.toString()).to.equal("Shown <shown@example.com>");
    expect(params.envelopeSender?.addrSpec).to.equal("bounces@example.com");
    // an explicit envelopeSender wins (design.md)
    await sender.send({
      ...base(),
      envelopeSender: "env@example.com",
      headers: { From: "s@example.com" },
    });
    expect(sender.outbox[1].anymailTestParams!.envelopeSender?.addrSpec).to.equal(
      "env@example.com",
    );
    // an ESP without envelope-sender support refuses it
    let error: unknown;
    await fakeSender({})
      .send({ ...base(), headers: { From: "s@example.com" } })
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
    expect((error as Error).message).to.equal(
      "Fake does not support envelopeSender. (Set ignoreUnsupportedFeatures: true to send without it.)",
    );
  });

  it("[CORE-17] a To header is unsupported unless the ESP allows a spoofed To", async () => {
    let error: unknown;
    await fakeSender({})
      .send({ ...base(), headers: { To: "shown@example.com" } })
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
    expect((error as Error).message).to.include("spoofing the To header");
    await fakeSender({ spoofedTo: true }).send({ ...base(), headers: { To: "shown@example.com" } });
    expect(seen.at(-1)!.headers).to.deep.equal({ To: "shown@example.com" });
    expect(seen.at(-1)!.to.map((a) => a.addrSpec)).to.deep.equal([
      "user1@example.com",
      "account.manager@example.com",
    ]);
  });
});

describe("Unsupported features", () => {
  const uses: Array<[string, Partial<AnymailMessage>, string]> = [
    ["envelopeSender", { envelopeSender: "e@example.com" }, "envelopeSender"],
    ["metadata", { metadata: { a: 1 } }, "metadata"],
    ["mergeMetadata", { mergeMetadata: { "user1@example.com": { a: 1 } } }, "mergeMetadata"],
    ["tags", { tags: ["t"] }, "tags"],
    ["trackOpens", { trackOpens: false }, "trackOpens"],
    ["trackClicks", { trackClicks: true }, "trackClicks"],
    ["sendAt", { sendAt: 1700000000 }, "sendAt"],
    ["templateId", { templateId: "tpl" }, "templateId"],
    ["mergeData", { mergeData: {} }, "mergeData"],
    ["mergeGlobalData", { mergeGlobalData: { a: 1 } }, "mergeGlobalData"],
    ["mergeHeaders", { mergeHeaders: { "user1@example.com": { "X-A": "1" } } }, "mergeHeaders"],
    ["attachments", { attachments: [{ filename: "a.txt", content: "a" }] }, "attachments"],
    [
      "inlineImages",
      { attachments: [{ filename: "a.png", content: "a", cid: "c1" }] },
      "inline images",
    ],
    [
      "alternatives",
      { alternatives: [{ content: "x", contentType: "text/calendar" }] },
      "alternative part with type text/calendar",
    ],
    ["replyTo", { replyTo: "r@example.com" }, "replyTo"],
    ["multipleFrom", { from: "a@example.com, b@example.com" }, "multiple from addresses"],
  ];
  for (const [feature, fields, phrase] of uses) {
    it(`[CORE-61] [CORE-60] [CORE-63] ${feature} on an ESP without it throws, naming it, and sends nothing`, async () => {
      const before = seen.length;
      let error: unknown;
      await fakeSender({})
        .send({ ...base(), ...fields })
        .catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect((error as AnymailUnsupportedFeature).espName).to.equal("Fake");
      expect((error as Error).message).to.include(`Fake does not support ${phrase}`);
      expect(seen.length).to.equal(before);
    });
  }

  it("[CORE-62] ignoreUnsupportedFeatures sends anyway, dropping or degrading", async () => {
    const sender = fakeSender({ attachments: true }, { ignoreUnsupportedFeatures: true });
    await sender.send({
      ...base(),
      from: "a@example.com, b@example.com",
      tags: ["t"],
      metadata: { a: 1 },
      attachments: [{ filename: "a.png", content: "a", cid: "c1" }],
      alternatives: [{ content: "x", contentType: "text/calendar" }],
      headers: { To: "x@example.com" },
    });
    const sent = seen.at(-1)!;
    expect(sent.tags).to.deep.equal([]);
    expect(sent.metadata).to.equal(null);
    expect(sent.fromAll.map((a) => a.addrSpec)).to.deep.equal(["a@example.com"]);
    expect(sent.attachments[0].inline).to.equal(false); // inline image sent as plain attachment
    expect(sent.alternatives).to.deep.equal([]);
    expect(sent.headers).to.deep.equal({});
  });

  it("[CORE-62] single-tag and single-reply-to ESPs keep the first when ignoring", async () => {
    let error: unknown;
    await fakeSender({ tags: "single" })
      .send({ ...base(), tags: ["a", "b"] })
      .catch((e: unknown) => (error = e));
    expect((error as Error).message).to.include("multiple tags");
    await fakeSender(
      { tags: "single", replyTo: "single" },
      { ignoreUnsupportedFeatures: true },
    ).send({
      ...base(),
      tags: ["a", "b"],
      replyTo: ["r1@example.com", "r2@example.com"],
    });
    expect(seen.at(-1)!.tags).to.deep.equal(["a"]);
    expect(seen.at(-1)!.replyTo.map((a) => a.addrSpec)).to.deep.equal(["r1@example.com"]);
    let replyError: unknown;
    await fakeSender({ replyTo: "single" })
      .send({ ...base(), replyTo: "a@example.com, b@example.com" })
      .catch((e: unknown) => (replyError = e));
    expect((replyError as Error).message).to.include("multiple replyTo addresses");
  });

  it("[CORE-18] accepted alternative types pass; others are unsupported", async () => {
    await fakeSender({ alternatives: ["text/x-amp-html"] }).send({
      ...base(),
      alternatives: [{ content: "<amp>", contentType: "text/x-amp-html" }],
    });
    expect(seen.at(-1)!.alternatives).to.deep.equal([
      { content: "<amp>", contentType: "text/x-amp-html" },
    ]);
    let error: unknown;
    await fakeSender({ alternatives: ["text/x-amp-html"] })
      .send({ ...base(), alternatives: [{ content: "x", contentType: "text/calendar" }] })
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
  });

  it("[CORE-41] [CORE-42] [CORE-32] mergeData (even {}) or mergeMetadata makes a batch send", async () => {
    const sender = fakeSender(ALL_FEATURES);
    await sender.send(base());
    expect(seen.at(-1)!.isBatch).to.equal(false);
    await sender.send({ ...base(), mergeData: {} });
    expect(seen.at(-1)!.isBatch).to.equal(true);
    await sender.send({ ...base(), mergeMetadata: { "user1@example.com": { a: 1 } } });
    expect(seen.at(-1)!.isBatch).to.equal(true);
  });
});

describe("Message fields", () => {
  it("[CORE-31] [CORE-34] [CORE-35] [CORE-38] [CORE-43] [CORE-44] pass through to the adapter", async () => {
    await fakeSender(ALL_FEATURES).send({
      ...base(),
      metadata: { customer: 123, order: "acme" },
      tags: ["Order Confirmation", "Test Variant A"],
      trackOpens: true,
      trackClicks: false,
      templateId: "after_sale",
      mergeData: { "user1@example.com": { NAME: "Wile E.", OFFER: "15%" } },
      mergeGlobalData: { PARTNER: "Acme", OFFER: "5%" },
    });
    const sent = seen.at(-1)!;
    expect(sent.metadata).to.deep.equal({ customer: 123, order: "acme" });
    expect(sent.tags).to.deep.equal(["Order Confirmation", "Test Variant A"]);
    expect([sent.trackOpens, sent.trackClicks]).to.deep.equal([true, false]);
    expect(sent.templateId).to.equal("after_sale");
    expect(sent.mergeData).to.deep.equal({
      "user1@example.com": { NAME: "Wile E.", OFFER: "15%" },
    });
    expect(sent.mergeGlobalData).to.deep.equal({ PARTNER: "Acme", OFFER: "5%" });
  });

  it("[CORE-35] undefined tracking sends no override", async () => {
    await fakeSender(ALL_FEATURES).send(base());
    expect([seen.at(-1)!.trackOpens, seen.at(-1)!.trackClicks]).to.deep.equal([null, null]);
  });

  it("[CORE-36] sendAt takes a Date, epoch seconds (int or float) or an ISO string", async () => {
    const sender = fakeSender(ALL_FEATURES);
    const cases: Array<[Date | number | string, string]> = [
      [new Date("2030-01-02T03:04:05Z"), "2030-01-02T03:04:05.000Z"],
      [1893553445, "2030-01-02T03:04:05.000Z"],
      [1893553445.5, "2030-01-02T03:04:05.500Z"],
      ["2030-01-02T03:04:05+00:00", "2030-01-02T03:04:05.000Z"],
    ];
    for (const [input, iso] of cases) {
      await sender.send({ ...base(), sendAt: input });
      expect(seen.at(-1)!.sendAt!.toISOString()).to.equal(iso);
    }
    let error: unknown;
    await sender.send({ ...base(), sendAt: "not a date" }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AnymailError);
  });

  it("[CORE-39] [CORE-40] subject and from may be null for templates", async () => {
    await fakeSender(ALL_FEATURES).send({ ...base(), from: null, subject: null, templateId: "t" });
    expect(seen.at(-1)!.from).to.equal(null);
    expect(seen.at(-1)!.subject).to.equal(null);
  });

  it("[CORE-45] unserializable metadata or merge data throws AnymailSerializationError naming the key", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad: Array<[Partial<AnymailMessage>, string]> = [
      [{ metadata: { fn: () => 1 } }, "metadata.fn"],
      [{ metadata: { big: 10n } }, "metadata.big"],
      [{ mergeGlobalData: { sym: Symbol("s") } }, "mergeGlobalData.sym"],
      [
        { mergeData: { "user1@example.com": { loop: cyclic } } },
        "mergeData.user1@example.com.loop.self",
      ],
      [
        { mergeMetadata: { "user1@example.com": { n: Number.NaN } } },
        "mergeMetadata.user1@example.com.n",
      ],
    ];
    for (const [fields, key] of bad) {
      const before = seen.length;
      let error: unknown;
      await fakeSender(ALL_FEATURES)
        .send({ ...base(), ...fields })
        .catch((e: unknown) => (error = e));
      expect(error, key).to.be.instanceOf(AnymailSerializationError);
      expect((error as Error).message).to.include(key);
      expect(seen.length).to.equal(before);
    }
    await fakeSender(ALL_FEATURES).send({
      ...base(),
      metadata: {
        when: new Date("2030-01-01T00:00:00Z"),
        ["__proto__"]: { polluted: true },
      } as Record<string, unknown>,
    });
    expect(seen.at(-1)!.metadata!.when).to.equal("2030-01-01T00:00:00.000Z");
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

describe("preSend and postSend", () => {
  it("[CORE-64] [CORE-65] [CORE-70] preSend runs first and may edit the caller's message", async () => {
    const sender = createSender("test");
    const calls: string[] = [];
    sender.on("preSend", async (message, espName) => {
      calls.push(espName);
      message.to = (message.to as string[]).filter((a) => !a.includes("manager"));
    });
    const message = base();
    await sender.send(message);
    expect(calls).to.deep.equal(["Test"]);
    expect(message.to).to.deep.equal(["New User <user1@example.com>"]);
    expect(sender.outbox[0].anymailTestParams!.to.map((a) => a.addrSpec)).to.deep.equal([
      "user1@example.com",
    ]);
  });

  it("[CORE-66] AnymailCancelSend cancels silently with an empty status", async () => {
    const sender = createSender("test");
    const post: unknown[] = [];
    sender.on("preSend", () => {
      throw new AnymailCancelSend("not today");
    });
    sender.on("postSend", (m) => void post.push(m));
    const message = base();
    const status = await sender.send(message);
    expect(status.status).to.equal(null);
    expect(status.messageId).to.equal(null);
    expect(status.recipients).to.deep.equal({});
    expect(message.anymailStatus).to.equal(status);
    expect(sender.outbox).to.have.length(0);
    expect(post).to.have.length(0);
  });

  it("[CORE-67] in sendMany a cancel stops only that message", async () => {
    const sender = createSender("test");
    sender.on("preSend", (message) => {
      if (message.subject === "skip") throw new AnymailCancelSend();
    });
    const results = await sender.sendMany([base(), { ...base(), subject: "skip" }, base()]);
    expect(results.map((r) => r.status)).to.deep.equal(["fulfilled", "fulfilled", "fulfilled"]);
    expect(sender.outbox.map((m) => m.subject)).to.deep.equal(["It works!", "It works!"]);
  });

  it("[CORE-68] postSend gets the message and the same status object", async () => {
    const sender = createSender("test");
    let got: [AnymailMessage, AnymailStatus, string] | undefined;
    sender.on("postSend", (message, status, espName) => void (got = [message, status, espName]));
    const message = base();
    const status = await sender.send(message);
    expect(got![0]).to.equal(message);
    expect(got![1]).to.equal(status).and.equal(message.anymailStatus);
    expect(got![2]).to.equal("Test");
  });

  it("[CORE-68] postSend runs for refused sends before the error", async () => {
    const sender = fakeSender({}, {}, "rejected");
    const statuses: string[] = [];
    sender.on("postSend", (_m, status) => void statuses.push([...status.status!].join()));
    let error: unknown;
    await sender.send(base()).catch((e: unknown) => (error = e));
    expect(statuses).to.deep.equal(["rejected"]);
    expect(error).to.be.instanceOf(AnymailRecipientsRefused);
  });

  it("[CORE-69] every postSend listener runs even if one throws; failures reported after", async () => {
    const sender = createSender("test");
    const ran: number[] = [];
    sender.on("postSend", () => {
      ran.push(1);
      throw new Error("first failed");
    });
    sender.on("postSend", () => void ran.push(2));
    let error: unknown;
    await sender.send(base()).catch((e: unknown) => (error = e));
    expect(ran).to.deep.equal([1, 2]);
    expect((error as Error).message).to.equal("first failed");
    expect(sender.outbox).to.have.length(1);

    sender.on("postSend", () => {
      throw new Error("third failed");
    });
    let both: unknown;
    await sender.send(base()).catch((e: unknown) => (both = e));
    expect(both).to.be.instanceOf(AggregateError);
    expect((both as AggregateError).errors.map((e: Error) => e.message)).to.deep.equal([
      "first failed",
      "third failed",
    ]);
  });

  it("off() removes a listener; unknown events are refused", () => {
    const sender = createSender("test");
    const listener = () => {};
    sender.on("preSend", listener).off("preSend", listener);
    expect(() => sender.on("bogus" as "preSend", listener)).to.throw(/Unknown sender event/);
  });
});
