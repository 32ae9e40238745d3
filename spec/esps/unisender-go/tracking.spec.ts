// Unisender Go tracking webhooks through the router (supertest), with the MD5 `auth`
// signature computed here from API keys generated here. Expectations checked against
// django-anymail 15.1 (the oracle).
import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import request from "supertest";
import { describeWebhookBasicAuth, webhookApp } from "../../helpers/webhooks.js";
import { EVENT_TYPES, REJECT_REASONS } from "../../../lib/esps/unisender-go/tracking.js";

const newKey = () => randomBytes(20).toString("hex");
const PLACEHOLDER = "0".repeat(32);

/** The body as Unisender Go would post it: `auth` = MD5 of the body with the key in its place. */
function signed(payload: Record<string, unknown>, apiKey: string): string {
  const template = JSON.stringify({ auth: PLACEHOLDER, ...payload });
  const auth = createHash("md5").update(template.replace(PLACEHOLDER, apiKey)).digest("hex");
  return template.replace(PLACEHOLDER, auth);
}

function statusEvent(status: string, extra: Record<string, unknown> = {}) {
  return {
    event_name: "transactional_email_status",
    event_data: {
      job_id: "1a3Q2V-0000OZ-S0",
      metadata: { key1: "val1", anymail_id: "aid-1" },
      email: "recipient.email@example.com",
      status,
      event_time: "2015-11-30 15:09:42",
      url: null,
      delivery_info: {},
      ...extra,
    },
  };
}
const byUser = (...events: unknown[]) => ({
  events_by_user: [{ user_id: 456, project_id: "6432890", project_name: "Proj", events }],
});

describe("Unisender Go tracking webhook", () => {
  const post = (hook: ReturnType<typeof webhookApp>, body: string) =>
    hook.post("/unisender_go/tracking/").set("content-type", "application/json").send(body);

  it("maps a hard bounce: our anymail_id, metadata without it, reject reason, MTA response", async () => {
    const hook = webhookApp();
    const body = JSON.stringify(
      byUser(
        statusEvent("hard_bounced", {
          delivery_info: {
            delivery_status: "err_user_unknown",
            destination_response: "550 Spam rejected",
            user_agent: "ua",
            ip: "111.111.111.111",
          },
        }),
        {
          event_name: "transactional_spam_block",
          event_data: { block_time: "2015-11-30 15:09:42" },
        },
      ),
    );
    await post(hook, body).expect(200);
    expect(hook.tracking).to.have.length(1);
    const [event] = hook.tracking;
    expect(event).to.include({
      eventType: "bounced",
      messageId: "aid-1",
      recipient: "recipient.email@example.com",
      eventId: null,
      rejectReason: "bounced",
      description: "err_user_unknown",
      mtaResponse: "550 Spam rejected",
      userAgent: "ua",
    });
    expect(event.timestamp?.toISOString()).to.equal("2015-11-30T15:09:42.000Z");
    expect(event.metadata).to.deep.equal({ key1: "val1" });
  });

  it("maps every status and delivery_status; the single-event form too", async () => {
    const hook = webhookApp();
    const statuses = [...Object.keys(EVENT_TYPES), "something_new"];
    await post(hook, JSON.stringify(byUser(...statuses.map((s) => statusEvent(s))))).expect(200);
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal([
      "sent",
      "delivered",
      "opened",
      "clicked",
      "unsubscribed",
      "subscribed",
      "complained",
      "deferred",
      "bounced",
      "unknown",
    ]);
    const reasons = webhookApp();
    const codes = [...Object.keys(REJECT_REASONS), "err_brand_new", "ok"];
    const events = codes.map((code) =>
      statusEvent("hard_bounced", { delivery_info: { delivery_status: code } }),
    );
    await post(reasons, JSON.stringify(byUser(...events))).expect(200);
    expect(reasons.tracking.map((e) => e.rejectReason)).to.deep.equal([
      ...Object.values(REJECT_REASONS),
      "other",
      null,
    ]);
    const single = webhookApp();
    const flat = {
      event_name: "transactional_email_status",
      user_id: 456,
      project_id: "6432890",
      ...statusEvent("clicked", { url: "https://example.com/x", job_id: "job-9", metadata: {} })
        .event_data,
    };
    await post(single, JSON.stringify(flat)).expect(200);
    expect(single.tracking[0]).to.include({
      eventType: "clicked",
      clickUrl: "https://example.com/x",
      messageId: "job-9",
    });
    await post(single, JSON.stringify({ event_name: "transactional_spam_block" })).expect(200);
    expect(single.tracking).to.have.length(1);
  });

  it("answers Unisender Go's GET URL check with 200 and no events", async () => {
    const hook = webhookApp({ unisender_go: { apiKey: newKey() } });
    const res = await request(hook.app).get("/anymail/unisender_go/tracking/");
    expect(res.status).to.equal(200);
    expect(hook.events).to.have.length(0);
  });

  describeWebhookBasicAuth("Unisender Go tracking", (hook) =>
    post(hook, JSON.stringify(byUser(statusEvent("delivered")))),
  );

  describe("MD5 auth signature (apiKey)", () => {
    const apiKey = newKey();
    const payload = byUser(statusEvent("delivered", { comment: "Привет ☺" }));

    it("accepts a correctly signed body (non-ASCII bytes included), with no insecure warning", async () => {
      const hook = webhookApp({ unisender_go: { apiKey } });
      await post(hook, signed(payload, apiKey)).expect(200);
      expect(hook.tracking[0].eventType).to.equal("delivered");
      expect(hook.logs.warn.filter((line) => /insecure/.test(line))).to.have.length(0);
    });

    it("refuses tampered bodies, other keys, and a missing or malformed auth", async () => {
      const hook = webhookApp({ unisender_go: { apiKey } });
      const good = signed(payload, apiKey);
      const bodies = [
        good.replace("delivered", "hard_bounced"),
        signed(payload, newKey()),
        JSON.stringify(payload),
        JSON.stringify({ ...payload, auth: "not-md5" }),
      ];
      for (const body of bodies) {
        const res = await post(hook, body);
        expect(res.status).to.equal(400);
        expect(res.text).to.not.include(apiKey);
      }
      expect(hook.events).to.have.length(0);
    });

    it("rotation: each of several keys is accepted (env UNISENDER_GO_API_KEY, comma-separated)", async () => {
      const next = newKey();
      const hook = webhookApp(
        { env: { UNISENDER_GO_API_KEY: `${apiKey},${next}` } },
        { isolateEnv: false },
      );
      for (const key of [apiKey, next]) await post(hook, signed(payload, key)).expect(200);
      await post(hook, signed(payload, newKey())).expect(400);
    });
  });
});
