// Brevo's API as it is now (#17 item 12 and 14), end to end over loopback HTTP:
// scheduledAt, batch sends through messageVersions, header/metadata encoding limits,
// RFC 2047 display names, text attachments re-encoded to UTF-8. Expected bodies follow
// django-anymail 15.1's Brevo backend (reference oracle, --anymail 15).
import { expect } from "chai";
import iconv from "iconv-lite";
import { AnymailUnsupportedFeature, createSender } from "../../../lib/index.js";
import type { AnymailMessage } from "../../../lib/index.js";
import { decodeMimeWords } from "../../../lib/util/mime-words.js";
import { useCaptureServer } from "../../helpers/capture-server.js";
import { rejectionOf } from "../../helpers/rejection.js";

const BASIC: AnymailMessage = {
  from: "from@example.com",
  to: "to@example.com",
  subject: "Subject",
  html: "<p>Hi {{params.name}}</p>",
};

describe("Brevo API features (#17 item 12)", () => {
  const server = useCaptureServer(201, { messageId: "<single@smtp-relay.brevo.com>" });

  function sender(options: Record<string, unknown> = {}) {
    return createSender("brevo", {
      apiKey: "test-api-key",
      apiUrl: `${server().url}/v3/`,
      env: {},
      ...options,
    });
  }

  function body(): Record<string, unknown> {
    return server().last().json as Record<string, unknown>;
  }

  it("[#17-12] [SIB-11] sendAt is sent as scheduledAt (ISO 8601, UTC)", async () => {
    await sender().send({ ...BASIC, sendAt: new Date("2030-03-04T05:06:07.089Z") });
    expect(body().scheduledAt).to.equal("2030-03-04T05:06:07.089Z");
  });

  it("[#17-12] [SIB-14] [SIB-15] mergeData, mergeMetadata and mergeHeaders become messageVersions, one per to", async () => {
    server().respond(201, { messageIds: ["<m1@brevo>", "<m2@brevo>"] });
    const status = await sender().send({
      ...BASIC,
      to: ["One <to1@example.com>", "to2@example.com"],
      cc: "cc@example.com",
      metadata: { a: "1" },
      mergeGlobalData: { g: "x" },
      mergeData: { "to1@example.com": { name: "One" } },
      mergeMetadata: { "to1@example.com": { b: "2" } },
      mergeHeaders: { "to2@example.com": { "X-Ref": "r2" } },
    });
    const sent = body();
    expect(sent).to.not.have.key("to");
    expect(sent.cc).to.deep.equal([{ email: "cc@example.com" }]);
    expect(sent.params).to.deep.equal({ g: "x" });
    expect(sent.headers).to.deep.equal({ "X-Mailin-custom": '{"a":"1"}' });
    expect(sent.messageVersions).to.deep.equal([
      {
        to: [{ email: "to1@example.com", name: "One" }],
        params: { name: "One" },
        // a version's header replaces the top-level one, so it carries the global metadata too
        headers: { "X-Mailin-custom": '{"a":"1","b":"2"}' },
      },
      { to: [{ email: "to2@example.com" }], headers: { "X-Ref": "r2" } },
    ]);
    expect(status.recipients).to.deep.equal({
      "to1@example.com": { status: "queued", messageId: "<m1@brevo>" },
      "to2@example.com": { status: "queued", messageId: "<m2@brevo>" },
      "cc@example.com": { status: "queued", messageId: null },
    });
  });

  it("[#17-12] a batch with a template sends the template id and per-version params", async () => {
    server().respond(201, { messageIds: ["<a@brevo>", "<b@brevo>"] });
    await sender().send({
      from: "from@example.com",
      to: ["a@example.com", "b@example.com"],
      templateId: 7,
      mergeData: { "a@example.com": { n: 1 }, "b@example.com": { n: 2 } },
    });
    expect(body().templateId).to.equal(7);
    expect(body().messageVersions).to.deep.equal([
      { to: [{ email: "a@example.com" }], params: { n: 1 } },
      { to: [{ email: "b@example.com" }], params: { n: 2 } },
    ]);
  });

  for (const [title, fields] of [
    ["metadata", { metadata: { city: "Zürich" } }],
    ["a custom header", { headers: { "X-City": "Zürich" } }],
    ["mergeMetadata", { to: "a@example.com", mergeMetadata: { "a@example.com": { c: "é" } } }],
    ["mergeHeaders", { to: "a@example.com", mergeHeaders: { "a@example.com": { "X-C": "é" } } }],
  ] as const) {
    it(`[#17-12] non-ASCII in ${title} is AnymailUnsupportedFeature (Brevo sends it as raw 8-bit), nothing sent`, async () => {
      const error = await rejectionOf(sender().send({ ...BASIC, ...fields }));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect(String(error)).to.match(/non-ASCII characters in/);
      expect(server().requests).to.have.length(0);
    });
  }

  it("[#17-12] ignoring unsupported features sends the non-ASCII value anyway", async () => {
    await sender({ ignoreUnsupportedFeatures: true }).send({
      ...BASIC,
      metadata: { city: "Zürich" },
    });
    expect(body().headers).to.deep.equal({ "X-Mailin-custom": '{"city":"Zürich"}' });
  });

  it("[#17-12] Unicode display names with a comma are RFC 2047-encoded; others are sent as they are", async () => {
    await sender().send({
      ...BASIC,
      from: '"Ünï, Cödé" <from@example.com>',
      to: ['"Å, B" <to1@example.com>', "Jürgen <to2@example.com>", '"Smith, J" <to3@example.com>'],
      replyTo: '"Ré, ply" <r@example.com>',
    });
    const sent = body() as Record<string, { name?: string }[] & { name?: string }>;
    // the oracle's bytes: =?utf-8?b?w5xuw68sIEPDtmTDqQ==?= (charset names are case-insensitive)
    expect((sent.sender as { name: string }).name).to.match(
      /^=\?utf-8\?b\?w5xuw68sIEPDtmTDqQ==\?=$/i,
    );
    expect(decodeMimeWords(sent.to[0].name ?? "")).to.equal("Å, B");
    expect(sent.to[0].name).to.match(/^=\?utf-8\?b\?/i);
    expect(sent.to[1].name).to.equal("Jürgen");
    expect(sent.to[2].name).to.equal("Smith, J");
    expect(decodeMimeWords((sent.replyTo as { name: string }).name)).to.equal("Ré, ply");
  });

  it("[#17-14] a text attachment in another charset is re-encoded to UTF-8 (Brevo labels text utf-8)", async () => {
    await sender().send({
      ...BASIC,
      attachments: [
        {
          filename: "latin1.txt",
          content: iconv.encode("café crème", "latin1"),
          contentType: "text/plain; charset=ISO-8859-1",
        },
        {
          filename: "data.bin",
          content: Buffer.from([0xe9, 0xe8]),
          contentType: "application/octet-stream",
        },
      ],
    });
    const [text, binary] = body().attachment as { name: string; content: string }[];
    expect(Buffer.from(text.content, "base64").toString("utf8")).to.equal("café crème");
    expect(Buffer.from(binary.content, "base64")).to.deep.equal(Buffer.from([0xe9, 0xe8]));
  });
});
