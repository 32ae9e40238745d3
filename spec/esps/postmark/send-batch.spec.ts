// Postmark batch and template sends: the exact bodies of /email/withTemplate,
// /email/batch and /email/batchWithTemplates (checked against django-anymail 9.0).
import { expect } from "chai";
import { AnymailUnsupportedFeature } from "../../../lib/errors.js";
import { OK, usePostmarkApi } from "./helpers.js";
import { rejectionOf } from "../../helpers/rejection.js";

const okFor = (to: string, id: string) => ({ ...OK, To: to, MessageID: id });

describe("Postmark send: batch and templates", () => {
  const api = usePostmarkApi();
  const { send, body } = api;

  it("[PM-16][PM-20][PM-23] a numeric templateId → /email/withTemplate with TemplateId", async () => {
    await send({
      to: "Alice <alice@example.com>",
      templateId: 80801,
      mergeGlobalData: { ship_date: "May 15" },
    });
    expect(api.server.last().path).to.equal("/email/withTemplate");
    expect(body()).to.deep.equal({
      From: "from@example.com",
      To: "Alice <alice@example.com>",
      TemplateId: 80801,
      TemplateModel: { ship_date: "May 15" },
    });
  });

  it("[PM-16] a string templateId is the TemplateAlias; a digits-only string is a TemplateId", async () => {
    await send({ templateId: "welcome-v2" });
    expect(body()).to.include({ TemplateAlias: "welcome-v2" }).and.not.have.property("TemplateId");
    expect(body().TemplateModel).to.deep.equal({});
    await send({ templateId: "1234" });
    expect(body()).to.include({ TemplateId: 1234 }).and.not.have.property("TemplateAlias");
  });

  it("[PM-18] with a template, an empty subject and body are not sent", async () => {
    await send({ templateId: 5, subject: "", text: "", html: "" });
    expect(body()).to.not.have.any.keys("Subject", "TextBody", "HtmlBody");
  });

  it("[PM-19] with a template, a real subject or body is unsupported (dropped when ignored)", async () => {
    const error = await rejectionOf(send({ templateId: 5, subject: "Hi" }));
    expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
    expect((error as Error).message).to.contain("Subject");
    expect(await rejectionOf(send({ templateId: 5, text: "body" }))).to.be.instanceOf(
      AnymailUnsupportedFeature,
    );
    expect(api.server.requests).to.have.length(0);
    await send({ templateId: 5, html: "<p>x</p>" }, { ignoreUnsupportedFeatures: true });
    expect(body()).to.not.have.property("HtmlBody");
  });

  it("[PM-17][PM-21] mergeData → /email/batchWithTemplates, one message per to, cc/bcc in each", async () => {
    api.server.respond(200, [okFor("alice@example.com", "id-a"), okFor("bob@example.com", "id-b")]);
    const status = await send({
      to: ["Alice <alice@example.com>", "bob@example.com"],
      cc: "cc@example.com",
      bcc: "bcc@example.com",
      templateId: "order",
      mergeData: {
        "alice@example.com": { name: "Alice", ship_date: "June 1" },
        "bob@example.com": { name: "Bob" },
      },
      mergeGlobalData: { ship_date: "May 15" },
      metadata: { campaign: "c1" },
      mergeMetadata: { "alice@example.com": { user: "1" } },
      tags: ["orders"],
    });
    expect(api.server.last().path).to.equal("/email/batchWithTemplates");
    const common = {
      From: "from@example.com",
      Cc: "cc@example.com",
      Bcc: "bcc@example.com",
      Tag: "orders",
    };
    expect(body()).to.deep.equal({
      Messages: [
        {
          ...common,
          To: "Alice <alice@example.com>",
          Metadata: { campaign: "c1", user: "1" },
          TemplateAlias: "order",
          TemplateModel: { ship_date: "June 1", name: "Alice" },
        },
        {
          ...common,
          To: "bob@example.com",
          Metadata: { campaign: "c1" },
          TemplateAlias: "order",
          TemplateModel: { ship_date: "May 15", name: "Bob" },
        },
      ],
    });
    expect(status.recipients["alice@example.com"]).to.deep.equal({
      status: "sent",
      messageId: "id-a",
    });
    expect(status.recipients["bob@example.com"]).to.deep.equal({
      status: "sent",
      messageId: "id-b",
    });
    expect(status.recipients["cc@example.com"].status).to.equal("sent");
    expect(status.messageId).to.deep.equal(new Set(["id-a", "id-b"]));
  });

  it("[PM-20] a template with mergeData for a single recipient → one-message batch", async () => {
    api.server.respond(200, [okFor("alice@example.com", "m1")]);
    const status = await send({
      to: "alice@example.com",
      subject: "",
      text: "",
      templateId: 1234,
      mergeData: { "alice@example.com": { name: "Alice" } },
    });
    expect(api.server.last().path).to.equal("/email/batchWithTemplates");
    expect(body()).to.deep.equal({
      Messages: [
        {
          From: "from@example.com",
          To: "alice@example.com",
          TemplateId: 1234,
          TemplateModel: { name: "Alice" },
        },
      ],
    });
    expect(status.recipients["alice@example.com"]).to.deep.equal({
      status: "sent",
      messageId: "m1",
    });
  });

  it("[PM-22] mergeData {} on an ordinary message → /email/batch with a JSON array", async () => {
    api.server.respond(200, [okFor("a@example.com", "id-a"), okFor("b@example.com", "id-b")]);
    await send({ to: ["a@example.com", "b@example.com"], subject: "S", text: "T", mergeData: {} });
    expect(api.server.last().path).to.equal("/email/batch");
    const common = { From: "from@example.com", Subject: "S", TextBody: "T" };
    expect(body()).to.deep.equal([
      { ...common, To: "a@example.com" },
      { ...common, To: "b@example.com" },
    ]);
  });

  it("mergeMetadata alone makes a batch; mergeHeaders become each message's Headers", async () => {
    api.server.respond(200, [okFor("a@example.com", "id-a"), okFor("b@example.com", "id-b")]);
    await send({
      to: ["a@example.com", "b@example.com"],
      subject: "S",
      headers: { "X-Shared": "all", "List-Unsubscribe": "<mailto:u@example.com>" },
      mergeHeaders: {
        "a@example.com": { "list-unsubscribe": "<https://example.com/u/a>", "X-Own": "a" },
      },
      mergeMetadata: { "b@example.com": { user: "b" } },
    });
    expect(api.server.last().path).to.equal("/email/batch");
    const [first, second] = body() as unknown as Record<string, unknown>[];
    expect(first.Headers).to.deep.equal([
      { Name: "X-Shared", Value: "all" },
      { Name: "list-unsubscribe", Value: "<https://example.com/u/a>" },
      { Name: "X-Own", Value: "a" },
    ]);
    expect(first).to.not.have.property("Metadata");
    expect(second.Headers).to.deep.equal([
      { Name: "X-Shared", Value: "all" },
      { Name: "List-Unsubscribe", Value: "<mailto:u@example.com>" },
    ]);
    expect(second.Metadata).to.deep.equal({ user: "b" });
  });

  it("a template named only in espExtra still uses the template endpoints", async () => {
    await send({ espExtra: { TemplateAlias: "from-extra", TemplateModel: { a: 1 } } });
    expect(api.server.last().path).to.equal("/email/withTemplate");
    expect(body()).to.include({ TemplateAlias: "from-extra" });
    expect(body().TemplateModel).to.deep.equal({ a: 1 });

    api.server.respond(200, [okFor("to@example.com", "m1")]);
    await send({
      espExtra: { TemplateAlias: "from-extra" },
      mergeData: { "TO@example.com": { name: "To" } },
    });
    expect(api.server.last().path).to.equal("/email/batchWithTemplates");
    expect(body()).to.deep.equal({
      Messages: [
        {
          From: "from@example.com",
          To: "to@example.com",
          TemplateAlias: "from-extra",
          TemplateModel: { name: "To" },
        },
      ],
    });
  });

  it("#17.13 merge data without a template would be lost: unsupported", async () => {
    const error = await rejectionOf(send({ mergeGlobalData: { a: 1 } }));
    expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
    expect(await rejectionOf(send({ mergeData: { "to@example.com": { a: 1 } } }))).to.be.instanceOf(
      AnymailUnsupportedFeature,
    );
    expect(api.server.requests).to.have.length(0);
  });

  it("[PM-13] a batch with only cc/bcc sends one message", async () => {
    api.server.respond(200, [{ ...OK, To: undefined, MessageID: "id-cc" }]);
    const status = await send({ to: null, cc: "cc@example.com", mergeData: {} });
    expect(body()).to.deep.equal([{ From: "from@example.com", Cc: "cc@example.com" }]);
    expect(status.recipients).to.deep.equal({
      "cc@example.com": { status: "sent", messageId: "id-cc" },
    });
  });
});
