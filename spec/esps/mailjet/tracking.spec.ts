// Mailjet tracking webhook end to end: supertest → Express app with anymailRouter mounted →
// emitted events. Payloads follow Mailjet's Event API guide (the "group events" array and
// single events); expectations were checked against the reference oracle where it agrees.
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createSender } from "../../../lib/index.js";
import { startCaptureServer } from "../../helpers/capture-server.js";
import { webhookApp } from "../../helpers/webhooks.js";
import { skipBecause } from "../../helpers/skip.js";

// JSON text, not objects: MessageIDs above 2^53 must reach the router as Mailjet writes them
const SENT =
  '{"event":"sent","time":1433333949,"MessageID":1152921519812251571,' +
  '"Message_GUID":"1ab23cd4-e567-8901-2345-6789f0gh1i2j","email":"api@mailjet.com",' +
  '"mj_campaign_id":7257,"mj_contact_id":4,"customcampaign":"welcome",' +
  '"mj_message_id":"1152921519812251571",' +
  '"smtp_reply":"sent (250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp)",' +
  '"CustomID":"helloworld","Payload":"{\\"order\\":\\"12345\\"}"}';
const OPEN =
  '{"event":"open","time":1433103519,"MessageID":19421777396190490,' +
  '"Message_GUID":"1ab23cd4","email":"api@mailjet.com","mj_campaign_id":7173,' +
  '"mj_contact_id":320,"customcampaign":"","CustomID":"helloworld","Payload":"",' +
  '"ip":"127.0.0.1","geo":"US","agent":"Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0"}';
const CLICK =
  '{"event":"click","time":1433334653,"MessageID":19421777836302490,"email":"api@mailjet.com",' +
  '"customcampaign":"","Payload":"","url":"https://mailjet.com","ip":"127.0.0.1","geo":"FR",' +
  '"agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_0) AppleWebKit/537.36"}';
const BOUNCE =
  '{"event":"bounce","time":1430812195,"MessageID":13792286917004336,"email":"bounce@mailjet.com",' +
  '"mj_campaign_id":0,"mj_contact_id":0,"customcampaign":"","CustomID":"helloworld","Payload":"",' +
  '"blocked":false,"hard_bounce":true,"error_related_to":"recipient","error":"user unknown",' +
  '"comment":"Host or domain name not found. Name service error for name=lbjsnrftlsiuvbsren.com type=A: Host not found"}';
const GREYLISTED =
  '{"event":"bounce","time":1430812195,"MessageID":13792286917004337,"email":"grey@mailjet.com",' +
  '"Payload":"","blocked":false,"hard_bounce":false,"error_related_to":"domain","error":"greylisted"}';
const BLOCKED =
  '{"event":"blocked","time":1430812195,"MessageID":13792286917004336,"email":"bounce@mailjet.com",' +
  '"mj_campaign_id":0,"mj_contact_id":0,"customcampaign":"","CustomID":"helloworld","Payload":"",' +
  '"error_related_to":"recipient","error":"user unknown"}';
const SPAM =
  '{"event":"spam","time":1430812195,"MessageID":13792286917004336,"email":"bounce@mailjet.com",' +
  '"customcampaign":"","Payload":"","source":"JMRPP"}';
const UNSUB =
  '{"event":"unsub","time":1433334941,"MessageID":20547674933128000,"email":"api@mailjet.com",' +
  '"customcampaign":"","Payload":"","mj_list_id":1,"ip":"127.0.0.1","geo":"FR","agent":"Mozilla/5.0"}';

function postEvents(body: string) {
  const hook = webhookApp();
  const response = hook
    .post("/mailjet/tracking/")
    .set("Content-Type", "application/json")
    .send(body);
  return { hook, response };
}

describe("Mailjet tracking webhook", () => {
  it("[MJ-22] [MJ-23] a grouped post at /mailjet/tracking/ emits each event in order, espName Mailjet", async () => {
    const batch = `[${[SENT, OPEN, CLICK, BOUNCE, GREYLISTED, BLOCKED, SPAM, UNSUB].join(",")}]`;
    const { hook, response } = postEvents(batch);
    expect((await response).status).to.equal(200);
    expect(hook.events.map((e) => [e.channel, e.espName, e.event.eventType])).to.deep.equal([
      ["tracking", "Mailjet", "delivered"],
      ["tracking", "Mailjet", "opened"],
      ["tracking", "Mailjet", "clicked"],
      ["tracking", "Mailjet", "bounced"],
      ["tracking", "Mailjet", "deferred"],
      ["tracking", "Mailjet", "rejected"],
      ["tracking", "Mailjet", "complained"],
      ["tracking", "Mailjet", "unsubscribed"],
    ]);
    // espEvent is that one event's object, not the batch
    expect(hook.tracking[2].espEvent).to.deep.include({
      event: "click",
      url: "https://mailjet.com",
    });
  });

  it("[MJ-24] a single bare event (group events off) is emitted too", async () => {
    const { hook, response } = postEvents(SENT);
    expect((await response).status).to.equal(200);
    expect(hook.tracking).to.have.length(1);
    expect(hook.tracking[0].espEvent).to.deep.include({ event: "sent", CustomID: "helloworld" });
  });

  it("[MJ-28] sent → delivered with every normalized field", async () => {
    const { hook, response } = postEvents(SENT);
    await response;
    const [event] = hook.tracking;
    expect(event).to.deep.include({
      eventType: "delivered",
      messageId: "1152921519812251571",
      recipient: "api@mailjet.com",
      eventId: null,
      metadata: { order: "12345" },
      tags: ["welcome"],
      rejectReason: null,
      mtaResponse: "sent (250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp)",
      userAgent: null,
      clickUrl: null,
    });
    expect(event.timestamp?.toISOString()).to.equal("2015-06-03T12:19:09.000Z");
  });

  it("[MJ-29] [MJ-30] open and click carry the user agent and the clicked url", async () => {
    const { hook, response } = postEvents(`[${OPEN},${CLICK}]`);
    await response;
    expect(hook.tracking[0]).to.deep.include({
      eventType: "opened",
      messageId: "19421777396190490",
      userAgent: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0",
      tags: [],
      metadata: {},
    });
    expect(hook.tracking[1]).to.deep.include({
      eventType: "clicked",
      clickUrl: "https://mailjet.com",
      userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_0) AppleWebKit/537.36",
    });
  });

  it("[MJ-26] [MJ-25] [MJ-34] bounce → bounced and blocked → rejected, reasons from Mailjet's error", async () => {
    const { hook, response } = postEvents(`[${BOUNCE},${BLOCKED}]`);
    await response;
    expect(hook.tracking[0]).to.deep.include({
      eventType: "bounced",
      rejectReason: "bounced",
      recipient: "bounce@mailjet.com",
      description:
        "Host or domain name not found. Name service error for name=lbjsnrftlsiuvbsren.com type=A: Host not found",
    });
    expect(hook.tracking[1]).to.deep.include({ eventType: "rejected", rejectReason: "bounced" });
  });

  it('[MJ-27] #17.3 a greylisted soft bounce → deferred, reject reason "other"', async () => {
    const { hook, response } = postEvents(GREYLISTED);
    await response;
    expect(hook.tracking[0]).to.deep.include({
      eventType: "deferred",
      rejectReason: "other",
      recipient: "grey@mailjet.com",
    });
  });

  it("[MJ-31] [MJ-32] spam → complained, unsub → unsubscribed", async () => {
    const { hook, response } = postEvents(`[${SPAM},${UNSUB}]`);
    await response;
    expect(hook.tracking.map((e) => e.eventType)).to.deep.equal(["complained", "unsubscribed"]);
    expect(hook.tracking[1].messageId).to.equal("20547674933128000");
  });

  it("[MJ-33] a MessageID above 2^53 round-trips unchanged from the send status to the event", async () => {
    const server = await startCaptureServer();
    server.respond(
      200,
      '{"Messages":[{"Status":"success","CustomID":"","To":[{"Email":"api@mailjet.com",' +
        '"MessageUUID":"1ab23cd4-e567-8901-2345-6789f0gh1i2j","MessageID":1152921519812251571,' +
        '"MessageHref":"https://api.mailjet.com/v3/REST/message/1152921519812251571"}],"Cc":[],"Bcc":[]}]}',
    );
    const sender = createSender("mailjet", {
      apiKey: "k",
      secretKey: "s",
      apiUrl: `${server.url}/v3.1/`,
      env: {},
    });
    const status = await sender.send({
      from: "from@example.com",
      to: "api@mailjet.com",
      subject: "s",
      text: "t",
    });
    await sender.close();
    await server.close();
    expect(Number.isSafeInteger(Number("1152921519812251571"))).to.equal(false);
    expect(status.messageId).to.equal("1152921519812251571");

    const { hook, response } = postEvents(SENT);
    await response;
    expect(hook.tracking[0].messageId).to.equal(status.messageId);
  });

  it("an empty grouped post answers 200 with no events", async () => {
    const { hook, response } = postEvents("[]");
    expect((await response).status).to.equal(200);
    expect(hook.events).to.have.length(0);
  });

  it("a body that is not JSON, or not events, answers 400 and emits nothing", async () => {
    for (const body of ["event=sent", "[1, 2]", '"sent"']) {
      const { hook, response } = postEvents(body);
      const res = await response;
      expect(res.status, body).to.equal(400);
      expect(hook.events, body).to.have.length(0);
    }
  });

  it("a Parse API post sent to the tracking URL answers 400 naming the mix-up", async () => {
    const { hook, response } = postEvents(
      JSON.stringify({ Sender: "a@example.com", Recipient: "b@example.com", Parts: [] }),
    );
    const res = await response;
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/inbound \(Parse API\) webhook/);
    expect(hook.events).to.have.length(0);
  });
});

// Mailjet's own published samples (shared/vectors, beside the repo): skipped when absent.
describe("Mailjet tracking webhook: published samples", () => {
  const file = join(
    process.env.ANYMAIL_SHARED_VECTORS ?? join("..", "shared", "vectors"),
    "mailjet",
    "event-api-docs-samples.json",
  );

  it("every parseable sample of the Event API guide is accepted and normalized", async function () {
    if (!existsSync(file))
      skipBecause(
        this,
        "the shared vectors folder (../shared/vectors) is not beside this checkout",
      );
    const { examples } = JSON.parse(readFileSync(file, "utf8")) as {
      examples: { heading: string; body: unknown }[];
    };
    const samples = examples.filter((example) => example.body !== null);
    expect(samples.length).to.be.greaterThan(0);
    for (const sample of samples) {
      const { hook, response } = postEvents(JSON.stringify(sample.body));
      expect((await response).status, sample.heading).to.equal(200);
      const count = Array.isArray(sample.body) ? sample.body.length : 1;
      expect(hook.tracking, sample.heading).to.have.length(count);
      for (const event of hook.tracking) {
        expect(event.eventType, sample.heading).to.not.equal("unknown");
        expect(event.messageId, sample.heading).to.match(/^\d+$/);
      }
    }
  });
});
