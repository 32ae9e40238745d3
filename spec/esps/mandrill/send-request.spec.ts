// Mandrill request building and response parsing, as pure functions. Expectations come
// from the reference oracle (django-anymail 9.0, case "everything at once", 2026-11-23).
import { expect } from "chai";
import { AnymailAPIError, AnymailError } from "../../../lib/errors.js";
import { EmailAddress } from "../../../lib/sender/address.js";
import { normalizedMessage } from "../../helpers/normalized-message.js";
import {
  buildRequest as buildMandrillRequest,
  formatMandrillDate,
  parseResponse as parseMandrillResponse,
} from "../../../lib/esps/mandrill/send.js";
import { HttpResponse } from "../../../lib/sender/http.js";
import type { NormalizedMessage } from "../../../lib/sender/message.js";

const SETTINGS = { apiKey: "md-key", apiUrl: "https://mandrillapp.com/api/1.0" };

const normalized = normalizedMessage;

// the specs below were written against (message, settings, unsupported) and a parsed body
function buildRequest(
  message: NormalizedMessage,
  settings: { apiKey: string; apiUrl: string },
  unsupported: (feature: string) => void,
) {
  const { url, body } = buildMandrillRequest(message, {
    espName: "Mandrill",
    settings,
    unsupported,
  });
  return { url, json: body };
}

function parseResponse(body: unknown, message: NormalizedMessage, espName: string) {
  const response = new HttpResponse(200, {}, Buffer.from(JSON.stringify(body)));
  return parseMandrillResponse(response, message, { espName }).recipients;
}

function noUnsupported(feature: string): void {
  throw new Error(`unexpected unsupported(${feature})`);
}

describe("Mandrill request building", () => {
  it("[MD-01] [MD-05] a simple message goes to messages/send.json with the key in the body", () => {
    const { url, json } = buildRequest(normalized(), SETTINGS, noUnsupported);
    expect(url).to.equal("https://mandrillapp.com/api/1.0/messages/send.json");
    expect(json).to.deep.equal({
      key: "md-key",
      message: {
        from_email: "from@example.com",
        to: [{ email: "to@example.com", type: "to" }],
        subject: "Subject",
        text: "Text",
      },
    });
  });

  it("[MD-05] an apiUrl with or without a trailing slash joins cleanly", () => {
    const slash = { apiKey: "k", apiUrl: "http://127.0.0.1:9/api/" };
    expect(buildRequest(normalized(), slash, noUnsupported).url).to.equal(
      "http://127.0.0.1:9/api/messages/send.json",
    );
  });

  it("[MD-06] [MD-07] [MD-08] [MD-09] [MD-10] [MD-12] [MD-14] every field, as the oracle builds it", () => {
    const { url, json } = buildRequest(
      normalized({
        from: new EmailAddress("from@example.com", "From Name"),
        to: [
          new EmailAddress("to1@example.com"),
          new EmailAddress("to2@example.com", "Recipient Two"),
        ],
        cc: [new EmailAddress("cc@example.com")],
        bcc: [new EmailAddress("bcc@example.com")],
        replyTo: [
          new EmailAddress("reply@example.com"),
          new EmailAddress("reply2@example.com", "Other"),
        ],
        subject: "Subj",
        text: "Text",
        html: "<p>Html</p>",
        headers: { "X-Custom": "1" },
        attachments: [
          {
            filename: "a.txt",
            content: Buffer.from("hello"),
            contentType: "text/plain",
            cid: null,
            inline: false,
            headers: {},
          },
          {
            filename: "i.png",
            content: Buffer.from("iVBORw==", "base64"),
            contentType: "image/png",
            cid: "img1",
            inline: true,
            headers: {},
          },
        ],
        tags: ["a", "b"],
        metadata: { user_id: "12" },
        mergeData: { "to1@example.com": { b: "1", a: "2" } },
        mergeGlobalData: { g: "x" },
        mergeMetadata: { "to1@example.com": { k: "v" } },
        trackOpens: true,
        trackClicks: false,
        sendAt: new Date("2022-05-06T07:08:09.5+02:00"),
        envelopeSender: new EmailAddress("bounce@bounces.example.com"),
        templateId: "tmpl",
        isBatch: true,
        espExtra: {
          ip_pool: "Bulk",
          template_content: { main: "<p>x</p>" },
          message: {
            subaccount: "Mk",
            recipient_metadata: { "z@example.com": { a: 1 }, "b@example.com": { b: 2 } },
          },
        },
      }),
      SETTINGS,
      noUnsupported,
    );
    expect(url).to.equal("https://mandrillapp.com/api/1.0/messages/send-template.json");
    expect(json).to.deep.equal({
      key: "md-key",
      message: {
        from_email: "from@example.com",
        from_name: "From Name",
        to: [
          { email: "to1@example.com", type: "to" },
          { email: "to2@example.com", type: "to", name: "Recipient Two" },
          { email: "cc@example.com", type: "cc" },
          { email: "bcc@example.com", type: "bcc" },
        ],
        subject: "Subj",
        headers: { "Reply-To": "reply@example.com, Other <reply2@example.com>", "X-Custom": "1" },
        text: "Text",
        html: "<p>Html</p>",
        attachments: [{ type: "text/plain", name: "a.txt", content: "aGVsbG8=" }],
        images: [{ type: "image/png", name: "img1", content: "iVBORw==" }],
        return_path_domain: "bounces.example.com",
        metadata: { user_id: "12" },
        tags: ["a", "b"],
        track_clicks: false,
        track_opens: true,
        merge_vars: [
          {
            rcpt: "to1@example.com",
            vars: [
              { name: "a", content: "2" },
              { name: "b", content: "1" },
            ],
          },
        ],
        global_merge_vars: [{ name: "g", content: "x" }],
        // espExtra's recipient_metadata replaces the one from mergeMetadata (shallow merge)
        recipient_metadata: [
          { rcpt: "b@example.com", values: { b: 2 } },
          { rcpt: "z@example.com", values: { a: 1 } },
        ],
        subaccount: "Mk",
        preserve_recipients: false,
      },
      send_at: "2022-05-06 05:08:09",
      template_name: "tmpl",
      template_content: [{ name: "main", content: "<p>x</p>" }],
      ip_pool: "Bulk",
    });
  });

  it("[MD-07] [MD-08] list forms of recipient_metadata and template_content are sent unchanged", () => {
    const recipientMetadata = [{ rcpt: "to@example.com", values: { a: 1 } }];
    const templateContent = [{ name: "main", content: "x" }];
    const { json } = buildRequest(
      normalized({
        espExtra: {
          template_content: templateContent,
          message: { recipient_metadata: recipientMetadata },
        },
      }),
      SETTINGS,
      noUnsupported,
    );
    expect(json.template_content).to.deep.equal(templateContent);
    expect(json.message.recipient_metadata).to.deep.equal(recipientMetadata);
  });

  it("[MD-10] mergeMetadata becomes recipient_metadata", () => {
    const { json } = buildRequest(
      normalized({ mergeMetadata: { "to@example.com": { order: 1 } }, isBatch: true }),
      SETTINGS,
      noUnsupported,
    );
    expect(json.message.recipient_metadata).to.deep.equal([
      { rcpt: "to@example.com", values: { order: 1 } },
    ]);
    expect(json.message.preserve_recipients).to.equal(false);
  });

  it("[MD-14] a batch forces preserve_recipients false even over espExtra", () => {
    const { json } = buildRequest(
      normalized({
        mergeData: { "to@example.com": {} },
        isBatch: true,
        espExtra: { message: { preserve_recipients: true } },
      }),
      SETTINGS,
      noUnsupported,
    );
    expect(json.message.preserve_recipients).to.equal(false);
  });

  it("[MD-12] an empty template_content is always sent with a template", () => {
    const { url, json } = buildRequest(normalized({ templateId: 42 }), SETTINGS, noUnsupported);
    expect(url).to.match(/send-template\.json$/);
    expect(json.template_name).to.equal("42");
    expect(json.template_content).to.deep.equal([]);
  });

  it("[MD-15] from: null and subject: null leave from_email and subject to the template", () => {
    const { json } = buildRequest(
      normalized({ from: null, fromAll: [], subject: null, templateId: "t" }),
      SETTINGS,
      noUnsupported,
    );
    expect(json.message).to.not.have.any.keys("from_email", "from_name", "subject");
  });

  it("[MD-11] espExtra.message that is not an object is an AnymailError", () => {
    expect(() =>
      buildRequest(normalized({ espExtra: { message: "subaccount" } }), SETTINGS, noUnsupported),
    ).to.throw(AnymailError, /espExtra\.message must be an object/);
  });

  it("an html alternative is the html body; a second html part is unsupported", () => {
    const alt = { content: "<b>alt</b>", contentType: "text/html; charset=utf-8" };
    expect(
      buildRequest(normalized({ alternatives: [alt] }), SETTINGS, noUnsupported).json.message.html,
    ).to.equal("<b>alt</b>");
    const seen: string[] = [];
    const { json } = buildRequest(
      normalized({ html: "<p>1</p>", alternatives: [alt] }),
      SETTINGS,
      (f) => {
        seen.push(f);
      },
    );
    expect(seen).to.deep.equal(["multiple html parts"]);
    expect(json.message.html).to.equal("<p>1</p>");
  });

  it('an attachment without a filename is sent as "attachment" (#17 item 5)', () => {
    const { json } = buildRequest(
      normalized({
        attachments: [
          {
            filename: null,
            content: Buffer.from("x"),
            contentType: "application/octet-stream",
            cid: null,
            inline: false,
            headers: {},
          },
        ],
      }),
      SETTINGS,
      noUnsupported,
    );
    expect(json.message.attachments).to.deep.equal([
      { type: "application/octet-stream", name: "attachment", content: "eA==" },
    ]);
  });

  it("[MD-10] sendAt is formatted in UTC without fractions", () => {
    expect(formatMandrillDate(new Date(Date.UTC(2030, 0, 2, 3, 4, 5, 999)))).to.equal(
      "2030-01-02 03:04:05",
    );
  });
});

describe("Mandrill response parsing", () => {
  const message = normalized({
    to: [new EmailAddress("To1@Example.com"), new EmailAddress("to2@example.com")],
    cc: [new EmailAddress("cc@example.com")],
    bcc: [new EmailAddress("bcc@example.com")],
  });

  it("maps each recipient's status and _id; scheduled reads as queued", () => {
    const recipients = parseResponse(
      [
        { email: "to1@example.com", status: "sent", _id: "id1" },
        { email: "to2@example.com", status: "scheduled", _id: "id2" },
        { email: "cc@example.com", status: "rejected", reject_reason: "hard-bounce" },
        { email: "bcc@example.com", status: "weird", _id: "id4" },
      ],
      message,
      "Mandrill",
    );
    expect(recipients).to.deep.equal({
      "To1@Example.com": { status: "sent", messageId: "id1" },
      "to2@example.com": { status: "queued", messageId: "id2" },
      "cc@example.com": { status: "rejected", messageId: null },
      "bcc@example.com": { status: "unknown", messageId: "id4" },
    });
  });

  it("queued and invalid pass through", () => {
    const recipients = parseResponse(
      [
        { email: "to2@example.com", status: "queued", _id: "q" },
        { email: "cc@example.com", status: "invalid" },
      ],
      message,
      "Mandrill",
    );
    expect(recipients["to2@example.com"].status).to.equal("queued");
    expect(recipients["cc@example.com"].status).to.equal("invalid");
  });

  for (const body of [{ status: "error" }, "text", [{ status: "sent" }], [null]]) {
    it(`an unexpected answer (${JSON.stringify(body)}) is an AnymailAPIError`, () => {
      expect(() => parseResponse(body, message, "Mandrill")).to.throw(
        AnymailAPIError,
        /invalid API response/,
      );
    });
  }
});
