// Issue #16's proof that an ESP is one folder's worth of declaration: a throwaway ESP
// defined here with defineEsp and setting.* gets typed options (checked by `tsc`, which
// covers spec/: each @ts-expect-error must stay an error), env resolution with the
// required and secret flags, HTTP sending through ctx.http.postJson, and a signed webhook
// served by the router from `esps: [adapter]` with its options under its own name.
import { createHmac } from "node:crypto";
import { expect } from "chai";
import express from "express";
import request from "supertest";
import {
  AnymailAPIError,
  AnymailConfigurationError,
  AnymailUnsupportedFeature,
} from "../../lib/errors.js";
import { defineEsp, type AnyEspAdapter, type WebhookHandler } from "../../lib/esps/types.js";
import { AnymailTrackingEvent } from "../../lib/events/tracking.js";
import { anymailRouter } from "../../lib/middleware/router.js";
import { joinUrl } from "../../lib/sender/http.js";
import { sameStatusForAll } from "../../lib/sender/recipients.js";
import { Sender, type SenderOptions } from "../../lib/sender/sender.js";
import { setting, type OptionsOf, type SettingsOf } from "../../lib/settings.js";
import { constantTimeEqual } from "../../lib/util/crypto.js";
import { jsonObjectBody, validationFailure, webhookHeader } from "../../lib/util/payload.js";
import { useCaptureServer } from "../helpers/capture-server.js";
import { rejectionOf } from "../helpers/rejection.js";

const SEND_SETTINGS = {
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  apiUrl: setting.string({ default: "https://api.kitmail.example/v1/" }),
  retries: setting.number({ default: 2 }),
} as const;
const WEBHOOK_SETTINGS = {
  webhookSigningKey: setting.string({ required: true, secret: true }),
} as const;
type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

const tracking: WebhookHandler<WebhookSettings> = {
  body: "json",
  signature: {
    enabled: (settings) => Boolean(settings.webhookSigningKey),
    verify(request, context) {
      const expected = createHmac("sha256", context.settings.webhookSigningKey)
        .update(request.rawBody)
        .digest("hex");
      const given = webhookHeader(request, "x-kitmail-signature") ?? "";
      if (!constantTimeEqual(given, expected)) throw validationFailure(context, "bad signature");
    },
  },
  handle(request, context) {
    const body = jsonObjectBody(request, context, "tracking");
    return [
      new AnymailTrackingEvent({
        eventType: body.event === "delivered" ? "delivered" : "unknown",
        recipient: typeof body.email === "string" ? body.email : null,
        messageId: typeof body.id === "string" ? body.id : null,
        espEvent: body,
      }),
    ];
  },
};

const kitMail = defineEsp({
  name: "kit_mail",
  displayName: "Kit Mail",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  features: { tags: true },
  async send(message, ctx) {
    // typed settings: no casts (a string, a string with a default, a number)
    const key: string = ctx.settings.apiKey;
    const retries: number = ctx.settings.retries;
    const response = await ctx.http.postJson(
      joinUrl(ctx.settings.apiUrl, "send"),
      {
        to: message.to.map((a) => a.addrSpec),
        subject: message.subject,
        tags: message.tags,
        retries,
      },
      { Authorization: `Bearer ${key}` },
    );
    const id = (response.json as { id?: unknown }).id;
    return {
      recipients: sameStatusForAll(message, "queued", typeof id === "string" ? id : null),
      espResponse: response.toEspResponse(),
    };
  },
  tracking,
});

/** A one-ESP registry: createSender's typing, for an adapter the real registry lacks. */
function kitSender(options: SenderOptions & OptionsOf<typeof kitMail.settings>): Sender {
  return new Sender(kitMail as AnyEspAdapter, { env: {}, ...options });
}

// Compile-time checks (`npm run typecheck`): a misspelled option and a wrong value type
// are errors, for the sender and for the router's per-ESP options.
export function typeChecks(): void {
  kitSender({ apiKey: "k", retries: 3, apiUrl: "https://x.example/" });
  // @ts-expect-error -- misspelled option
  kitSender({ apiKye: "k" });
  // @ts-expect-error -- retries is a number
  kitSender({ apiKey: "k", retries: "3" });
  anymailRouter({ esps: [kitMail], kit_mail: { webhookSigningKey: "s" } });
  // @ts-expect-error -- misspelled webhook option under the ESP's name
  anymailRouter({ esps: [kitMail], kit_mail: { webhookSigningKee: "s" } });
  // @ts-expect-error -- the signing key is a string
  anymailRouter({ esps: [kitMail], kit_mail: { webhookSigningKey: 42 } });
  // @ts-expect-error -- a misspelled ESP name is not a router option
  anymailRouter({ esps: [kitMail], kit_mial: { webhookSigningKey: "s" } });
}

describe("a throwaway ESP declared with defineEsp (#16)", () => {
  const server = useCaptureServer(200, { id: "kit-id-1" });
  const message = { from: "f@example.com", to: "Ann <a@example.com>", subject: "Hi", text: "t" };

  describe("sending", () => {
    it("sends over HTTP through ctx.http.postJson, with its typed settings", async () => {
      const sender = kitSender({ apiKey: "kit-key", apiUrl: `${server().url}/v1/`, retries: 5 });
      const status = await sender.send({ ...message, tags: ["t1"] });
      await sender.close();
      const sent = server().last();
      expect(sent.path).to.equal("/v1/send");
      expect(sent.headers.authorization).to.equal("Bearer kit-key");
      expect(sent.headers["content-type"]).to.equal("application/json");
      expect(sent.headers["user-agent"]).to.match(/^anymail\/\S+ \(kit_mail\)/);
      expect(sent.json).to.deep.equal({
        to: ["a@example.com"],
        subject: "Hi",
        tags: ["t1"],
        retries: 5,
      });
      expect(status.recipients["a@example.com"]).to.deep.equal({
        status: "queued",
        messageId: "kit-id-1",
      });
    });

    it("refuses a feature it does not declare, by name", async () => {
      const sender = kitSender({ apiKey: "kit-key", apiUrl: server().url });
      const error = await rejectionOf(sender.send({ ...message, metadata: { a: 1 } }));
      expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
      expect((error as Error).message).to.contain("Kit Mail does not support metadata");
      expect(server().requests).to.have.length(0);
    });
  });

  describe("settings from the environment", () => {
    const send = async (options: Record<string, unknown>, env: Record<string, string>) => {
      const sender = new Sender(kitMail as AnyEspAdapter, {
        apiUrl: server().url,
        ...options,
        env,
      });
      await sender.send(message);
      await sender.close();
      return server().last();
    };

    it("reads ANYMAIL_KIT_MAIL_<NAME>, then the bare KIT_MAIL_<NAME> for an espKey setting", async () => {
      let sent = await send({}, { ANYMAIL_KIT_MAIL_API_KEY: "from-anymail-env" });
      expect(sent.headers.authorization).to.equal("Bearer from-anymail-env");
      sent = await send({}, { KIT_MAIL_API_KEY: "from-bare-env" });
      expect(sent.headers.authorization).to.equal("Bearer from-bare-env");
      sent = await send({ apiKey: "from-option" }, { KIT_MAIL_API_KEY: "from-bare-env" });
      expect(sent.headers.authorization).to.equal("Bearer from-option");
    });

    it("parses env values by the setting's type; a bad one names the variable", async () => {
      const sent = await send({}, { KIT_MAIL_API_KEY: "k", ANYMAIL_KIT_MAIL_RETRIES: "7" });
      expect((sent.json as { retries: unknown }).retries).to.equal(7);
      expect(() =>
        kitSender({ env: { KIT_MAIL_API_KEY: "k", ANYMAIL_KIT_MAIL_RETRIES: "many" } }),
      ).to.throw(AnymailConfigurationError, /retries.*ANYMAIL_KIT_MAIL_RETRIES/);
    });

    it("a missing required setting is AnymailConfigurationError naming it and its env names", () => {
      expect(() => kitSender({})).to.throw(
        AnymailConfigurationError,
        /Kit Mail: missing required setting "apiKey".*ANYMAIL_KIT_MAIL_API_KEY or KIT_MAIL_API_KEY/,
      );
    });

    it("an unknown option is refused by name", () => {
      expect(
        () => new Sender(kitMail as AnyEspAdapter, { apiKey: "k", apiKye: "k", env: {} }),
      ).to.throw(AnymailConfigurationError, /unknown option\(s\) apiKye/);
    });

    it("a secret setting never shows: not in debug output, not in an API error", async () => {
      let printed = "";
      const sender = kitSender({
        apiKey: "very-secret-kit-key",
        apiUrl: server().url,
        debugApiRequests: true,
        debugStream: { write: (chunk: string) => (printed += chunk) },
      });
      await sender.send(message);
      server().respondOnce(401, { error: "bad key very-secret-kit-key" });
      const error = await rejectionOf(sender.send(message));
      await sender.close();
      expect(printed).to.contain("/send");
      expect(printed).to.not.contain("very-secret-kit-key");
      expect(error).to.be.instanceOf(AnymailAPIError);
      expect((error as AnymailAPIError).statusCode).to.equal(401);
      expect((error as Error).message)
        .to.contain("bad key")
        .and.not.contain("very-secret-kit-key");
    });
  });

  describe("its webhook, through the router", () => {
    const key = "kit-signing-key";
    const app = () => {
      const router = anymailRouter({
        esps: [kitMail],
        kit_mail: { webhookSigningKey: key },
        env: {},
        logger: { warn: () => {}, error: () => {} },
      });
      const events: AnymailTrackingEvent[] = [];
      router.emitter.on("tracking", (event) => void events.push(event));
      const web = express();
      web.use("/anymail", router);
      return { web, events };
    };
    const payload = JSON.stringify({ event: "delivered", email: "a@example.com", id: "kit-id-1" });
    const sign = (body: string) => createHmac("sha256", key).update(body).digest("hex");

    it("serves /kit_mail/tracking/, checks its signature and emits its events", async () => {
      const { web, events } = app();
      await request(web)
        .post("/anymail/kit_mail/tracking/")
        .set("content-type", "application/json")
        .set("x-kitmail-signature", sign(payload))
        .send(payload)
        .expect(200);
      expect(events).to.have.length(1);
      expect(events[0]).to.include({
        eventType: "delivered",
        recipient: "a@example.com",
        messageId: "kit-id-1",
      });
    });

    it("answers 400 for a bad signature, emitting nothing", async () => {
      const { web, events } = app();
      await request(web)
        .post("/anymail/kit_mail/tracking/")
        .set("content-type", "application/json")
        .set("x-kitmail-signature", sign(payload + " "))
        .send(payload)
        .expect(400);
      expect(events).to.have.length(0);
    });

    it("webhook settings: a missing required one fails at setup by name; the env supplies it", async () => {
      expect(() => anymailRouter({ esps: [kitMail], kit_mail: {}, env: {} })).to.throw(
        AnymailConfigurationError,
        /Kit Mail: missing required setting "webhookSigningKey".*ANYMAIL_KIT_MAIL_WEBHOOK_SIGNING_KEY/,
      );
      const router = anymailRouter({
        esps: [kitMail],
        env: { ANYMAIL_KIT_MAIL_WEBHOOK_SIGNING_KEY: key },
        logger: { warn() {}, error() {} },
      });
      const web = express().use("/anymail", router);
      await request(web)
        .post("/anymail/kit_mail/tracking/")
        .set("content-type", "application/json")
        .set("x-kitmail-signature", sign(payload))
        .send(payload)
        .expect(200);
    });

    it("an unknown router option key throws AnymailConfigurationError naming it", () => {
      const options: Record<string, unknown> = { esps: [kitMail], kit_mial: {}, env: {} };
      expect(() => anymailRouter(options as Parameters<typeof anymailRouter>[0])).to.throw(
        AnymailConfigurationError,
        /unknown option\(s\) "kit_mial".*kit_mail/,
      );
    });
  });
});
