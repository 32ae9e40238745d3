/**
 * Hostile input at every registered ESP's webhook routes: random and mutated bodies must
 * get 2xx or 4xx (never 500), never an unhandled rejection, and never a polluted prototype.
 * Seeded and bounded, so the run is repeatable and fast.
 */
import { expect } from "chai";
import fc from "fast-check";
import { listAdapters } from "../../lib/esps/registry.js";
import type {
  EspAdapter,
  WebhookContext,
  WebhookHandler,
  WebhookRequest,
} from "../../lib/esps/types.js";
import { basicAuthHeader, webhookApp } from "../helpers/webhooks.js";

const SECRET = "fuzz:fuzz-secret";
const SEED = 20261123;
const RUNS = Number(process.env.ANYMAIL_FUZZ_RUNS ?? 25);

/** Field names the ESPs' webhooks use, so random objects hit real code paths. */
const KEYS = [
  "event",
  "events",
  "type",
  "Type",
  "RecordType",
  "msys",
  "message_event",
  "track_event",
  "relay_message",
  "event-data",
  "signature",
  "timestamp",
  "token",
  "MessageID",
  "Message",
  "MessageId",
  "email",
  "recipient",
  "Recipient",
  "mandrill_events",
  "msg",
  "body-mime",
  "Headers",
  "headers",
  "Attachments",
  "Parts",
  "Subject",
  "From",
  "FromFull",
  "ToFull",
  "To",
  "message",
  "mail",
  "notificationType",
  "eventType",
  "bounce",
  "complaint",
  "delivery",
  "receipt",
  "content",
  "TopicArn",
  "SubscribeURL",
  "category",
  "sg_event_id",
  "user-variables",
  "tags",
  "tag",
  "metadata",
  "Metadata",
  "ts",
  "ts_epoch",
  "time",
  "reason",
  "error",
  "url",
  "rcpt_to",
  "email_rfc822",
  "envelope",
  "charsets",
  "attachment-info",
  "__proto__",
  "constructor",
  "prototype",
];

const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, 0, -1),
  fc.boolean(),
  fc.constant(null),
);
const { value: hostileJson } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 6 }),
  ),
}));

const deepNesting = fc
  .integer({ min: 200, max: 3000 })
  .map((depth) => "[".repeat(depth) + "]".repeat(depth));
const truncatedJson = fc.tuple(hostileJson, fc.nat()).map(([value, cut]) => {
  const text = JSON.stringify(value);
  return text.slice(0, cut % (text.length + 1));
});
const pollution = fc.constantFrom(
  '{"__proto__": {"polluted": "yes"}}',
  '[{"__proto__": {"polluted": "yes"}, "event": "delivered"}]',
  '{"constructor": {"prototype": {"polluted": "yes"}}}',
  '{"event-data": {"__proto__": {"polluted": "yes"}, "user-variables": {"__proto__": {"polluted": "yes"}}}}',
  '{"Type": "Notification", "Message": "{\\"__proto__\\": {\\"polluted\\": \\"yes\\"}}"}',
);

interface Body {
  contentType: string;
  body: Buffer;
}

const jsonBodies: fc.Arbitrary<Body> = fc
  .oneof(
    hostileJson.map((v) => JSON.stringify(v)),
    truncatedJson,
    deepNesting,
    pollution,
  )
  .chain((text) =>
    fc
      .constantFrom("application/json", "text/plain")
      .map((contentType) => ({ contentType, body: Buffer.from(text) })),
  );

const invalidUtf8: fc.Arbitrary<Body> = fc.uint8Array({ maxLength: 300 }).chain((bytes) =>
  fc
    .constantFrom(
      "application/json",
      "application/x-www-form-urlencoded",
      "text/plain",
      "message/rfc822",
    )
    .map((contentType) => ({
      contentType,
      body: Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(bytes)]),
    })),
);

const formBodies: fc.Arbitrary<Body> = fc
  .array(
    fc.tuple(
      fc.constantFrom(...KEYS),
      fc.oneof(
        fc.string(),
        hostileJson.map((v) => JSON.stringify(v)),
      ),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => ({
    contentType: "application/x-www-form-urlencoded",
    body: Buffer.from(new URLSearchParams(pairs).toString()),
  }));

const brokenMultipart: fc.Arbitrary<Body> = fc
  .tuple(fc.constantFrom(...KEYS), fc.string(), fc.boolean(), fc.nat({ max: 5 }))
  .map(([name, value, closeIt, variant]) => {
    const parts = [
      `--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nbody\r\n`,
      closeIt ? "--XyZ--\r\n" : "--Xy",
    ];
    const boundary = ["XyZ", "other", "", "XyZ; charset=x", '"XyZ"', "XyZ"][variant];
    return {
      contentType: `multipart/form-data; boundary=${boundary}`,
      body: Buffer.from(parts.join("")),
    };
  });

function nestedMime(depth: number): string {
  let mime = "Content-Type: text/plain\r\n\r\ninnermost\r\n";
  for (let i = 0; i < depth; i++) {
    mime = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${mime}--b${i}--\r\n`;
  }
  return `From: a@example.com\r\nSubject: nest\r\n${mime}`;
}
const hostileMime: fc.Arbitrary<Body> = fc
  .oneof(
    fc.integer({ min: 50, max: 400 }).map(nestedMime),
    fc.string().map((s) => s), // no headers at all
    fc.constant("Content-Type: multipart/mixed\r\n\r\n--\r\n--"), // no boundary
    fc.constant(
      "From: \r\nDate: yesterday-ish\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64",
    ),
  )
  .chain((mime) =>
    fc.constantFrom("message/rfc822", "application/x-www-form-urlencoded").map((contentType) => ({
      contentType,
      body:
        contentType === "message/rfc822"
          ? Buffer.from(mime)
          : Buffer.from(
              new URLSearchParams({
                "body-mime": mime,
                email: mime,
                mandrill_events: "[]",
              }).toString(),
            ),
    })),
  );

const anyBody = fc.oneof(jsonBodies, invalidUtf8, formBodies, brokenMultipart, hostileMime);

function routesOf(adapter: EspAdapter): Array<[string, WebhookHandler]> {
  const routes: Array<[string, WebhookHandler]> = [];
  if (adapter.tracking) routes.push([`/${adapter.name}/tracking/`, adapter.tracking]);
  if (adapter.inbound) routes.push([`/${adapter.name}/inbound/`, adapter.inbound]);
  for (const [key, handler] of Object.entries(adapter.extraRoutes ?? {})) {
    routes.push([key ? `/${adapter.name}/${key}/` : `/${adapter.name}/`, handler]);
  }
  return routes;
}

function assertNoPollution(): void {
  expect(({} as Record<string, unknown>).polluted, "Object.prototype polluted").to.equal(undefined);
  expect(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted")).to.equal(false);
}

function unhandledGuard() {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", listener);
  return { seen, stop: () => process.off("unhandledRejection", listener) };
}

const adapters = listAdapters().filter((a) => routesOf(a).length > 0);

describe("Hostile input at every webhook route", function () {
  this.timeout(120_000);

  it("covers every registered ESP with webhooks", () => {
    expect(adapters.map((a) => a.name)).to.deep.equal(
      listAdapters()
        .filter((a) => a.tracking || a.inbound || a.extraRoutes)
        .map((a) => a.name),
    );
  });

  for (const adapter of adapters) {
    for (const [path, handler] of routesOf(adapter)) {
      it(`${adapter.displayName} ${path}: HTTP answers are 2xx or 4xx, never 500`, async () => {
        const hook = webhookApp({ webhookSecret: SECRET });
        const guard = unhandledGuard();
        try {
          await fc.assert(
            fc.asyncProperty(anyBody, async ({ contentType, body }) => {
              const answer = await hook
                .post(path)
                .set("Authorization", basicAuthHeader(SECRET))
                .set("Content-Type", contentType)
                .send(body);
              expect(answer.status, `${answer.status} ${answer.text}`).to.be.within(200, 499);
              for (const { event } of hook.events) {
                expect(Object.getPrototypeOf(event)).to.not.equal(null);
                expect((event as unknown as Record<string, unknown>).polluted).to.equal(undefined);
              }
              assertNoPollution();
            }),
            { seed: SEED, numRuns: RUNS },
          );
          await new Promise((resolve) => setImmediate(resolve));
          expect(guard.seen, "unhandled rejections").to.deep.equal([]);
        } finally {
          guard.stop();
        }
      });

      it(`${adapter.displayName} ${path}: the handler itself (signature check bypassed) only throws Errors`, async () => {
        const context: WebhookContext = {
          espName: adapter.displayName,
          settings: {},
          logger: { warn: () => {}, error: () => {} },
          fetch: () => Promise.reject(new Error("no network in the fuzz test")),
        };
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(jsonBodies, formBodies, hostileMime),
            async ({ contentType, body }) => {
              const text = body.toString("utf8");
              let json: unknown;
              try {
                json = JSON.parse(text);
              } catch {
                json = undefined;
              }
              const form: Record<string, string[]> = {};
              if (contentType.includes("urlencoded")) {
                for (const [k, v] of new URLSearchParams(text)) (form[k] ??= []).push(v);
              }
              const request: WebhookRequest = {
                method: "POST",
                url: new URL(`https://example.com/anymail${path}`),
                headers: { "content-type": contentType },
                rawBody: body,
                contentType: contentType.split(";")[0],
                json,
                form,
                files: [],
                basicAuthPassed: true,
              };
              try {
                const events = await handler.handle(request, context);
                expect(events).to.be.an("array");
              } catch (error) {
                expect(error, String(error)).to.be.instanceOf(Error);
              }
              assertNoPollution();
            },
          ),
          { seed: SEED, numRuns: RUNS },
        );
      });
    }
  }
});
