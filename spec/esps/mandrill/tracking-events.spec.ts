// Mandrill webhook events → normalized tracking events, and the signature check, as pure
// functions. Payload shapes follow Mandrill's "example webhook" samples (send, deferral,
// hard_bounce, open, click, …), as published in its docs and SDK test data.
import { expect } from "chai";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { AnymailConfigurationError, AnymailWebhookValidationFailure } from "../../../lib/errors.js";
import type { WebhookContext, WebhookRequest } from "../../../lib/esps/types.js";
import { EVENT_TYPES, toTrackingEvent } from "../../../lib/esps/mandrill/tracking.js";
import type { MandrillEvent } from "../../../lib/esps/mandrill/tracking.js";
import { computeSignature, signature, signedUrl } from "../../../lib/esps/mandrill/signature.js";
import type { WebhookSettings } from "../../../lib/esps/mandrill/index.js";

const verifySignature = (request: WebhookRequest, ctx: WebhookContext<WebhookSettings>) =>
  signature.verify(request, ctx);
import { skipBecause } from "../../helpers/skip.js";

const MSG = {
  ts: 1365109999,
  subject: "This an example webhook message",
  email: "example.webhook@mandrillapp.com",
  sender: "example.sender@mandrillapp.com",
  tags: ["webhook-example"],
  state: "sent",
  metadata: { user_id: 111 },
  _id: "exampleaaaaaaaaaaaaaaaaaaaaaaaaa",
};

function messageEvent(event: string, extra: Partial<MandrillEvent> = {}): MandrillEvent {
  return { event, msg: { ...MSG }, _id: MSG._id, ts: 1384954004, ...extra };
}

describe("Mandrill tracking events", () => {
  const cases: [string, string, string | null][] = [
    ["[MD-22]", "send", "sent"],
    ["[MD-23]", "reject", "rejected"],
    ["[MD-24]", "deferral", "deferred"],
    ["[MD-25]", "hard_bounce", "bounced"],
    ["[MD-25]", "soft_bounce", "bounced"],
    ["[MD-26]", "open", "opened"],
    ["[MD-27]", "click", "clicked"],
    ["[MD-28]", "spam", "complained"],
    ["[MD-29]", "unsub", "unsubscribed"],
  ];
  for (const [id, mandrillType, expected] of cases) {
    it(`${id} ${mandrillType} → ${expected}`, () => {
      const event = toTrackingEvent(messageEvent(mandrillType));
      expect(event.eventType).to.equal(expected);
      expect(event.messageId).to.equal("exampleaaaaaaaaaaaaaaaaaaaaaaaaa");
      expect(event.recipient).to.equal("example.webhook@mandrillapp.com");
      expect(event.timestamp?.toISOString()).to.equal("2013-11-20T13:26:44.000Z");
      expect(event.metadata).to.deep.equal({ user_id: 111 });
      expect(event.tags).to.deep.equal(["webhook-example"]);
      expect(event.eventId).to.equal(null);
    });
  }

  it("every row of EVENT_TYPES maps as the table says", () => {
    for (const [mandrillType, expected] of Object.entries(EVENT_TYPES)) {
      expect(toTrackingEvent(messageEvent(mandrillType)).eventType, mandrillType).to.equal(
        expected,
      );
    }
    expect(Object.keys(EVENT_TYPES)).to.have.length(11);
  });

  it("[MD-30] whitelist and blacklist sync events → unknown, with the reject entry's email and detail", () => {
    for (const type of ["whitelist", "blacklist"]) {
      const event = toTrackingEvent({
        type,
        action: "add",
        reject: {
          email: "example.webhook@mandrillapp.com",
          reason: "hard-bounce",
          detail: "Example detail",
        },
        ts: 1384954004,
      });
      expect(event.eventType).to.equal("unknown");
      expect(event.recipient).to.equal("example.webhook@mandrillapp.com");
      expect(event.description).to.equal("Example detail");
      expect(event.metadata).to.deep.equal({});
      expect(event.tags).to.deep.equal([]);
    }
  });

  it("[MD-31] the table has no delivered type, and an unknown event is unknown", () => {
    expect(Object.values(EVENT_TYPES)).to.not.include("delivered");
    expect(toTrackingEvent(messageEvent("delivered")).eventType).to.equal("unknown");
    expect(toTrackingEvent({}).eventType).to.equal("unknown");
  });

  it("[MD-33] bounces carry rejectReason bounced, the diag and the bounce description", () => {
    const event = toTrackingEvent(
      messageEvent("hard_bounce", {
        msg: {
          ...MSG,
          state: "bounced",
          bounce_description: "bad_mailbox",
          diag: "smtp;550 5.1.1 no such user",
        },
      }),
    );
    expect(event.rejectReason).to.equal("bounced");
    expect(event.mtaResponse).to.equal("smtp;550 5.1.1 no such user");
    expect(event.description).to.equal("bad_mailbox");
    expect(toTrackingEvent(messageEvent("soft_bounce")).rejectReason).to.equal("bounced");
  });

  it("[MD-33] a reject event does not say why: rejectReason stays null", () => {
    expect(toTrackingEvent(messageEvent("reject")).rejectReason).to.equal(null);
    expect(toTrackingEvent(messageEvent("send")).rejectReason).to.equal(null);
  });

  it("[MD-27] a click carries its url and user agent", () => {
    const event = toTrackingEvent(
      messageEvent("click", {
        url: "http://mandrill.com",
        user_agent: "Mozilla/5.0",
        ip: "127.0.0.1",
      }),
    );
    expect(event.clickUrl).to.equal("http://mandrill.com");
    expect(event.userAgent).to.equal("Mozilla/5.0");
  });

  it("[MD-21] espEvent is the Mandrill event itself", () => {
    const raw = messageEvent("open");
    const event = toTrackingEvent(raw);
    expect(event.espEvent).to.equal(raw);
    expect((event.espEvent as MandrillEvent).event).to.equal("open");
  });

  it("odd field types are ignored rather than crashing", () => {
    const event = toTrackingEvent({
      event: "send",
      ts: Number.NaN,
      msg: {
        tags: ["a", 3] as unknown as string[],
        metadata: [] as unknown as Record<string, unknown>,
      },
    });
    expect(event.timestamp).to.equal(null);
    expect(event.tags).to.deep.equal(["a"]);
    expect(event.metadata).to.deep.equal({});
  });
});

function request(
  fields: Record<string, string>,
  url: string,
  headers: WebhookRequest["headers"] = {},
): WebhookRequest {
  const body = new URLSearchParams(fields).toString();
  return {
    method: "POST",
    url: new URL(url),
    headers,
    rawBody: Buffer.from(body),
    contentType: "application/x-www-form-urlencoded",
    form: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [v]])),
    basicAuthPassed: false,
  };
}

function context(
  settings: WebhookSettings,
  errors: string[] = [],
): WebhookContext<WebhookSettings> {
  return {
    espName: "Mandrill",
    settings,
    logger: { warn: () => {}, error: (message) => errors.push(message) },
    fetch: globalThis.fetch,
  };
}

describe("Mandrill signature check", () => {
  const KEY = "test-webhook-key";
  const fields = { mandrill_events: "[]", b_field: "2", a_field: "1" };

  it("[MD-19] signs the URL then each field name and value sorted by name", () => {
    const expected = createHmac("sha1", KEY)
      .update("https://example.com/anymail/mandrill/a_field1b_field2mandrill_events[]")
      .digest("base64");
    expect(computeSignature(KEY, "https://example.com/anymail/mandrill/", fields)).to.equal(
      expected,
    );
  });

  it("[MD-19] signs non-ASCII names and values as the UTF-8 of the whole signed string", () => {
    // the pieces go to the HMAC one by one: they must hash as the joined string would
    const url = "https://exämple.com/anymail/mandrill/?q=ü";
    const unicode = Object.assign(Object.create(null) as Record<string, string>, {
      "z-😀": "välue 😀 ✓",
      é: "",
      a: '[{"msg":{"subject":"Grüße 👋"}}]',
      "": "empty name",
    });
    // code-point order: "", "a", "z-😀" (z is U+007A), "é" (U+00E9)
    const joined = `${url}empty namea${unicode.a}z-😀${unicode["z-😀"]}é${unicode.é}`;
    const expected = createHmac("sha1", KEY).update(joined, "utf8").digest("base64");
    expect(computeSignature(KEY, url, unicode)).to.equal(expected);
  });

  it("[MD-19] a correct signature passes; a wrong one is AnymailWebhookValidationFailure", () => {
    const url = "https://example.com/anymail/mandrill/";
    const good = computeSignature(KEY, url, fields);
    expect(() =>
      verifySignature(
        request(fields, url, { "x-mandrill-signature": good }),
        context({ webhookKey: KEY }),
      ),
    ).to.not.throw();
    expect(() =>
      verifySignature(
        request(fields, url, { "x-mandrill-signature": "AAAA" + good.slice(4) }),
        context({ webhookKey: KEY }),
      ),
    ).to.throw(
      AnymailWebhookValidationFailure,
      /incorrect signature \(for url https:\/\/example\.com\/anymail\/mandrill\/\)/,
    );
    expect(() => verifySignature(request(fields, url), context({ webhookKey: KEY }))).to.throw(
      AnymailWebhookValidationFailure,
      /X-Mandrill-Signature header missing/,
    );
  });

  it("[MD-18] [MD-03] no webhookKey: a configuration error that names the setting", () => {
    expect(() => verifySignature(request(fields, "https://example.com/"), context({}))).to.throw(
      AnymailConfigurationError,
      /webhookKey.*MANDRILL_WEBHOOK_KEY/s,
    );
  });

  it("[MD-04] [MD-20] webhookUrl replaces the request's URL", () => {
    const req = request(fields, "http://localhost:8000/anymail/mandrill/");
    expect(signedUrl(req, "https://public.example.com/anymail/mandrill/")).to.equal(
      "https://public.example.com/anymail/mandrill/",
    );
    expect(signedUrl(req)).to.equal("http://localhost:8000/anymail/mandrill/");
  });

  it("[MD-20] basic-auth credentials are part of the signed URL, and hidden in the error", () => {
    const auth = `Basic ${Buffer.from("user:s3cret-pass").toString("base64")}`;
    const req = request(fields, "https://example.com/anymail/mandrill/?x=1", {
      authorization: auth,
      "x-mandrill-signature": "bad",
    });
    expect(signedUrl(req)).to.equal("https://user:s3cret-pass@example.com/anymail/mandrill/?x=1");
    try {
      verifySignature(req, context({ webhookKey: KEY }));
      expect.fail("should throw");
    } catch (error) {
      expect(String(error)).to.include("https://[credentials]@example.com/anymail/mandrill/?x=1");
      expect(String(error)).to.not.include("s3cret-pass");
    }
  });

  // Real signatures from public Mandrill SDK fixtures (../shared/vectors/mandrill, not copied here)
  // (repo root)/../shared on main; one level further up from a worktree under /work/wt
  const vectors =
    ["../../../../shared/vectors/mandrill/", "../../../../../shared/vectors/mandrill/"]
      .map((path) => new URL(path, import.meta.url))
      .find((url) => existsSync(url)) ?? new URL("file:///nonexistent/");
  for (const name of [
    "webhook-signature-mandrill-net.json",
    "webhook-signature-click-mandrill-rails.json",
  ]) {
    const file = new URL(name, vectors);
    it(`[MD-19] verifies the published vector ${name}`, function () {
      if (!existsSync(file))
        skipBecause(
          this,
          "the shared vectors folder (../shared/vectors) is not beside this checkout",
        );
      const vector = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
      const key = String(vector.webhook_key);
      const url = String(vector.url);
      const fields = (vector.post_params_decoded ?? {}) as Record<string, string>;
      if (Object.keys(fields).length === 0) {
        skipBecause(this, "a published Mandrill vector has no decoded POST fields to sign");
      }
      const signature = String(vector.x_mandrill_signature);
      expect(computeSignature(key, url, fields)).to.equal(signature);
      expect(() =>
        verifySignature(
          request(fields, url, { "x-mandrill-signature": signature }),
          context({ webhookKey: key }),
        ),
      ).to.not.throw();
      expect(() =>
        verifySignature(
          request(fields, `${url}?oof=1`, { "x-mandrill-signature": signature }),
          context({ webhookKey: key }),
        ),
      ).to.throw(AnymailWebhookValidationFailure);
    });
  }
});
