import { expect } from "chai";
import request from "supertest";
import { createExampleApp } from "../../examples/express-app/app.js";
import { availableSamples } from "../../examples/express-app/samples.js";

describe("Example app", () => {
  const quiet = { write: () => true };

  it("serves the page with the send form and a simulate button per available sample", async () => {
    const { app } = createExampleApp({ consoleStream: quiet });
    const page = await request(app).get("/").expect(200);
    expect(page.text).to.include('id="send-form"').and.include("Console");
    for (const sample of availableSamples())
      expect(page.text).to.include(`data-sample="${sample.id}"`);
  });

  it("sends through the console ESP and answers with the status", async () => {
    let printed = "";
    const { app } = createExampleApp({ consoleStream: { write: (c: string) => (printed += c) } });
    const answer = await request(app)
      .post("/send")
      .field("to", "Someone <someone@example.com>")
      .field("subject", "Example subject")
      .field("text", "hello")
      .field("tags", "a, b")
      .field("metadata", '{"user_id": "42"}')
      .attach("attachment", Buffer.from("file body"), "notes.txt")
      .expect(200);
    expect(answer.body.ok).to.equal(true);
    expect(answer.body.status.status).to.deep.equal(["sent"]);
    expect(answer.body.status.recipients["someone@example.com"].status).to.equal("sent");
    expect(printed)
      .to.include("Subject: Example subject")
      .and.include("notes.txt")
      .and.include("Tags: a, b");
  });

  it("shows a send error", async () => {
    const { app } = createExampleApp({ consoleStream: quiet });
    const answer = await request(app)
      .post("/send")
      .field("to", "Widgets, Inc. <w@example.com>")
      .expect(400);
    expect(answer.body.error.name).to.equal("AnymailInvalidAddress");
  });

  for (const sample of availableSamples()) {
    it(`simulates ${sample.id}: the app receives its own webhook as events`, async () => {
      const { app, events } = createExampleApp({ consoleStream: quiet });
      const answer = await request(app).post(`/simulate/${sample.id}`).expect(200);
      expect(answer.body, JSON.stringify(answer.body)).to.deep.include({ ok: true, status: 200 });
      expect(events.length).to.be.greaterThan(0);
      expect(events[0].espName).to.be.a("string");
    });
  }

  it("serves inbound attachments without trusting the sender's name or type", async () => {
    const inbound = availableSamples().find((s) => s.id.endsWith("-inbound"));
    if (!inbound) return;
    const { app, events } = createExampleApp({ consoleStream: quiet });
    await request(app).post(`/simulate/${inbound.id}`).expect(200);
    const stored = events.find((e) => e.channel === "inbound")!;
    expect(stored.attachments.length).to.be.greaterThan(0);
    const download = await request(app).get(`/attachments/${stored.id}/0`).expect(200);
    expect(download.headers["content-type"]).to.equal("application/octet-stream");
    expect(download.headers["x-content-type-options"]).to.equal("nosniff");
    expect(download.headers["content-disposition"]).to.match(
      /^attachment; filename="[A-Za-z0-9._-]+"$/,
    );
    await request(app).get(`/attachments/${stored.id}/99`).expect(404);
    await request(app).get(`/attachments/nonesuch/0`).expect(404);
  });

  it("answers 404 for an unknown sample", async () => {
    const { app } = createExampleApp({ consoleStream: quiet });
    await request(app).post("/simulate/nonesuch").expect(404);
  });
});
