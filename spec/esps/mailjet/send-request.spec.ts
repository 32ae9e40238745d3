// Mailjet request building and response parsing as pure functions. Expected bodies were
// checked against the reference oracle (django-anymail 9.0) with the same messages.
import { expect } from "chai";
import { AnymailAPIError, AnymailUnsupportedFeature } from "../../../lib/errors.js";
import { parseAddressList, parseSingleAddress } from "../../../lib/sender/address.js";
import { HttpResponse } from "../../../lib/sender/http.js";
import { normalizedMessage } from "../../helpers/normalized-message.js";
import { resolveSettings } from "../../../lib/settings.js";
import { adapter as mailjet } from "../../../lib/esps/mailjet/index.js";
import { acceptStatus, buildRequest, parseResponse } from "../../../lib/esps/mailjet/send.js";
import { SEND_SETTINGS as SETTINGS } from "../../../lib/esps/mailjet/index.js";
import type { NormalizedMessage } from "../../../lib/sender/message.js";
import type { EmailAddress } from "../../../lib/sender/address.js";

const settings = {
  apiKey: "mj-api-key",
  secretKey: "mj-secret-key",
  apiUrl: "https://api.mailjet.com/v3.1/",
};

const normalized = normalizedMessage;

const unsupportedLog: string[] = [];
const strict = {
  unsupported(feature: string): void {
    throw new AnymailUnsupportedFeature(`Mailjet does not support ${feature}`);
  },
  serializeJson: (value: unknown) => JSON.stringify(value),
};
const lenient = {
  unsupported(feature: string): void {
    unsupportedLog.push(feature);
  },
  serializeJson: (value: unknown) => JSON.stringify(value),
};

/** buildRequest as the adapter calls it, with these settings and this unsupported() policy. */
function build(message: NormalizedMessage, withSettings: typeof settings, policy: typeof strict) {
  return buildRequest(message, { ...policy, settings: withSettings, espName: "Mailjet" });
}

/** parseResponse for a message sent to these recipients, with these secrets as settings. */
function parse(res: HttpResponse, to: EmailAddress[], secrets: string[] = []) {
  const [apiKey = "", secretKey = ""] = secrets.length === 1 ? ["", secrets[0]] : secrets;
  return parseResponse(res, normalized({ to }), {
    espName: "Mailjet",
    settings: { apiKey, secretKey, apiUrl: settings.apiUrl },
  });
}

function response(status: number, body: string | object): HttpResponse {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return new HttpResponse(status, { "content-type": "application/json" }, Buffer.from(text));
}

describe("Mailjet send (pure): request building", () => {
  it("[MJ-01] [MJ-03] posts to <apiUrl>send with basic auth apiKey:secretKey", () => {
    const request = build(normalized(), settings, strict);
    expect(request.url).to.equal("https://api.mailjet.com/v3.1/send");
    expect(request.headers).to.deep.equal({
      Authorization: `Basic ${Buffer.from("mj-api-key:mj-secret-key").toString("base64")}`,
    });
  });

  it("[MJ-03] adds the missing trailing slash to a custom apiUrl", () => {
    const request = build(normalized(), { ...settings, apiUrl: "http://127.0.0.1:9/v3.1" }, strict);
    expect(request.url).to.equal("http://127.0.0.1:9/v3.1/send");
  });

  it("[MJ-14] [MJ-16] puts everything but To in Globals; one message with the whole To list", () => {
    const message = normalized({
      from: parseSingleAddress('"Widgets, Inc." <from@example.com>'),
      to: parseAddressList(['"Recipient, One" <to1@example.com>', "to2@example.com"], "to"),
      cc: parseAddressList(["cc@example.com"], "cc"),
      bcc: parseAddressList(["bcc@example.com"], "bcc"),
      replyTo: parseAddressList(["Reply <reply@example.com>"], "replyTo"),
      subject: "Subj",
      text: "Text",
      html: "<p>html</p>",
      headers: { "X-Custom": "v" },
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
          content: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
          contentType: "image/png",
          cid: "img1",
          inline: true,
          headers: {},
        },
      ],
      envelopeSender: parseSingleAddress("bounce@example.com"),
      metadata: { a: 1 },
      tags: ["t1"],
      trackOpens: true,
      trackClicks: false,
    });
    expect(build(message, settings, strict).body).to.deep.equal({
      Globals: {
        From: { Email: "from@example.com", Name: "Widgets, Inc." },
        Cc: [{ Email: "cc@example.com" }],
        Bcc: [{ Email: "bcc@example.com" }],
        ReplyTo: { Email: "reply@example.com", Name: "Reply" },
        Subject: "Subj",
        TextPart: "Text",
        HTMLPart: "<p>html</p>",
        Headers: { "X-Custom": "v" },
        Attachments: [{ ContentType: "text/plain", Filename: "a.txt", Base64Content: "aGVsbG8=" }],
        InlinedAttachments: [
          {
            ContentType: "image/png",
            Filename: "i.png",
            Base64Content: "iVBORw==",
            ContentID: "img1",
          },
        ],
        Sender: { Email: "bounce@example.com" },
        EventPayload: '{"a":1}',
        CustomCampaign: "t1",
        TrackOpens: "enabled",
        TrackClicks: "disabled",
      },
      Messages: [
        {
          To: [{ Email: "to1@example.com", Name: "Recipient, One" }, { Email: "to2@example.com" }],
        },
      ],
    });
  });

  it("[MJ-20] [MJ-19] leaves out a null subject and bodies, and From when from is null", () => {
    const message = normalized({
      from: null,
      fromAll: [],
      subject: null,
      text: null,
      templateId: 176375,
    });
    const { Globals } = build(message, settings, strict).body;
    expect(Globals).to.deep.equal({ TemplateID: 176375, TemplateLanguage: true });
  });

  it("sends an empty HTML body but never an empty text body (a template's text would be lost)", () => {
    const { Globals } = build(normalized({ text: "", html: "" }), settings, strict).body;
    expect(Globals).to.not.have.property("TextPart");
    expect(Globals.HTMLPart).to.equal("");
  });

  it("an inline part without a Content-ID goes in Attachments (Mailjet's inline parts need one)", () => {
    const attachments = [
      {
        filename: "note.txt",
        content: Buffer.from("hi"),
        contentType: "text/plain",
        cid: null,
        inline: true,
        headers: {},
      },
    ];
    const { Globals } = build(normalized({ attachments }), settings, strict).body;
    expect(Globals.Attachments).to.deep.equal([
      { ContentType: "text/plain", Filename: "note.txt", Base64Content: "aGk=" },
    ]);
    expect(Globals).to.not.have.property("InlinedAttachments");
  });

  it("[MJ-08] sends only the first replyTo when several reach the adapter", () => {
    const replyTo = parseAddressList(["a@example.com", "b@example.com"], "replyTo");
    const { Globals } = build(normalized({ replyTo }), settings, strict).body;
    expect(Globals.ReplyTo).to.deep.equal({ Email: "a@example.com" });
  });

  it("[MJ-09] sends the single tag as CustomCampaign", () => {
    const { Globals } = build(normalized({ tags: ["welcome"] }), settings, strict).body;
    expect(Globals.CustomCampaign).to.equal("welcome");
  });

  it("[MJ-11] sends envelopeSender as Sender, with its display name", () => {
    const envelopeSender = parseSingleAddress("Bounces <bounce@example.com>");
    const { Globals } = build(normalized({ envelopeSender }), settings, strict).body;
    expect(Globals.Sender).to.deep.equal({ Email: "bounce@example.com", Name: "Bounces" });
  });

  it("a message without `to` is unsupported (Mailjet needs To); ignored, no message is built", () => {
    const message = normalized({ to: [], cc: parseAddressList(["cc@example.com"], "cc") });
    expect(() => build(message, settings, strict)).to.throw(
      AnymailUnsupportedFeature,
      /without any `to`/,
    );
    unsupportedLog.length = 0;
    expect(build(message, settings, lenient).body.Messages).to.deep.equal([]);
    expect(unsupportedLog).to.have.length(1);
  });

  it("[MJ-18] a non-numeric templateId is unsupported (Mailjet needs the numeric ID)", () => {
    expect(() => build(normalized({ templateId: "welcome" }), settings, strict)).to.throw(
      AnymailUnsupportedFeature,
      /numeric template ID/,
    );
    const { Globals } = build(normalized({ templateId: "welcome" }), settings, lenient).body;
    expect(Globals).to.not.have.property("TemplateID");
  });
});

describe("Mailjet send (pure): batch and templates", () => {
  const batch = normalized({
    from: parseSingleAddress("from@example.com"),
    to: parseAddressList(["Alice <alice@example.com>", "bob@example.com"], "to"),
    cc: parseAddressList(["cc@example.com"], "cc"),
    bcc: parseAddressList(["bcc@example.com"], "bcc"),
    subject: null,
    text: null,
    templateId: "176375",
    headers: { "X-Global": "g", "X-Both": "global" },
    mergeData: { "alice@example.com": { name: "Alice" }, "bob@example.com": { name: "Bob" } },
    mergeGlobalData: { ship: "May" },
    metadata: { m: "g", o: 1 },
    mergeMetadata: { "alice@example.com": { o: 2 } },
    mergeHeaders: { "bob@example.com": { "X-Both": "bob" } },
    isBatch: true,
  });

  it("[MJ-13] [MJ-17] [MJ-18] one Messages entry per to, with Variables, EventPayload and Headers", () => {
    expect(build(batch, settings, strict).body).to.deep.equal({
      Globals: {
        From: { Email: "from@example.com" },
        Cc: [{ Email: "cc@example.com" }],
        Bcc: [{ Email: "bcc@example.com" }],
        Headers: { "X-Global": "g", "X-Both": "global" },
        EventPayload: '{"m":"g","o":1}',
        TemplateID: 176375,
        TemplateLanguage: true,
        Variables: { ship: "May" },
      },
      Messages: [
        {
          To: [{ Email: "alice@example.com", Name: "Alice" }],
          Variables: { name: "Alice" },
          EventPayload: '{"m":"g","o":2}',
        },
        {
          To: [{ Email: "bob@example.com" }],
          Variables: { name: "Bob" },
          Headers: { "X-Global": "g", "X-Both": "bob" },
        },
      ],
    });
  });

  it("[MJ-17] mergeData {} still sends one message per to", () => {
    const message = normalized({
      to: parseAddressList(["a@example.com", "b@example.com"], "to"),
      mergeData: {},
      isBatch: true,
    });
    expect(build(message, settings, strict).body.Messages).to.deep.equal([
      { To: [{ Email: "a@example.com" }] },
      { To: [{ Email: "b@example.com" }] },
    ]);
  });

  it("[MJ-21] an on-the-fly template keeps [[var:…]] in the bodies and sends Variables", () => {
    const message = normalized({
      subject: "Your order has shipped",
      text: "Dear [[var:name]]: order [[var:order_no]] shipped on [[var:ship_date]].",
      html: "<p>Dear [[var:name]]</p>",
      to: parseAddressList(["alice@example.com", "Bob <bob@example.com>"], "to"),
      mergeData: {
        "alice@example.com": { name: "Alice", order_no: "12345" },
        "bob@example.com": { name: "Bob", order_no: "54321" },
      },
      mergeGlobalData: { ship_date: "May 15" },
      isBatch: true,
    });
    expect(build(message, settings, strict).body).to.deep.equal({
      Globals: {
        From: { Email: "from@example.com" },
        Subject: "Your order has shipped",
        TextPart: "Dear [[var:name]]: order [[var:order_no]] shipped on [[var:ship_date]].",
        HTMLPart: "<p>Dear [[var:name]]</p>",
        Variables: { ship_date: "May 15" },
      },
      Messages: [
        { To: [{ Email: "alice@example.com" }], Variables: { name: "Alice", order_no: "12345" } },
        {
          To: [{ Email: "bob@example.com", Name: "Bob" }],
          Variables: { name: "Bob", order_no: "54321" },
        },
      ],
    });
  });

  it("[MJ-04] [MJ-06] espExtra is deep-merged into Globals and the root, and wins conflicts", () => {
    const message = normalized({
      trackOpens: true,
      espExtra: {
        Globals: {
          Priority: 3,
          TrackOpens: "disabled",
          TemplateErrorReporting: { Email: "dev@example.com" },
        },
        SandboxMode: true,
        AdvanceErrorHandling: true,
      },
    });
    expect(build(message, settings, strict).body).to.deep.equal({
      Globals: {
        From: { Email: "from@example.com" },
        Subject: "Subject",
        TextPart: "Text",
        TrackOpens: "disabled",
        Priority: 3,
        TemplateErrorReporting: { Email: "dev@example.com" },
      },
      Messages: [{ To: [{ Email: "to@example.com" }] }],
      SandboxMode: true,
      AdvanceErrorHandling: true,
    });
  });

  it("[MJ-05] espExtra.Messages replaces the generated Messages whole", () => {
    const Messages = [{ To: [{ Email: "other@example.com" }], Priority: 2 }];
    const { body: json } = build(normalized({ espExtra: { Messages } }), settings, strict);
    expect(json.Messages).to.deep.equal(Messages);
  });
});

describe("Mailjet send (pure): response parsing", () => {
  const recipients = [
    ...parseAddressList(["To1@Example.com", "to2@example.com"], "to"),
    ...parseAddressList(["cc@example.com", "bcc@example.com"], "cc"),
  ];

  it("[MJ-12] each sent recipient gets its exact MessageID (not MessageUUID), above 2^53", () => {
    const text =
      '{"Messages":[{"Status":"success","CustomID":"",' +
      '"To":[{"Email":"to1@example.com","MessageUUID":"u-1","MessageID":1152921519812251571,"MessageHref":"h"},' +
      '{"Email":"to2@example.com","MessageUUID":"u-2","MessageID":9007199254740993,"MessageHref":"h"}],' +
      '"Cc":[{"Email":"cc@example.com","MessageUUID":"u-3","MessageID":288230376151711745,"MessageHref":"h"}],' +
      '"Bcc":[{"Email":"bcc@example.com","MessageUUID":"u-4","MessageID":70650219165027410,"MessageHref":"h"}]}]}';
    const result = parse(response(200, text), recipients);
    expect(result.recipients).to.deep.equal({
      "To1@Example.com": { status: "sent", messageId: "1152921519812251571" },
      "to2@example.com": { status: "sent", messageId: "9007199254740993" },
      "cc@example.com": { status: "sent", messageId: "288230376151711745" },
      "bcc@example.com": { status: "sent", messageId: "70650219165027410" },
    });
    const body = (result.espResponse as { body: { Messages: { To: { MessageID: unknown }[] }[] } })
      .body;
    expect(body.Messages[0].To[0].MessageID).to.equal("1152921519812251571");
  });

  it("a 4xx partial failure: successes are sent, errors and unreported recipients failed", () => {
    const batchRecipients = parseAddressList(
      ["alice@example.com", "bob@example.com", "cc@example.com"],
      "to",
    );
    const body = {
      Messages: [
        {
          Status: "success",
          To: [{ Email: "alice@example.com", MessageUUID: "u1", MessageID: 123, MessageHref: "h" }],
          Cc: [{ Email: "cc@example.com", MessageUUID: "u3", MessageID: 125, MessageHref: "h" }],
        },
        {
          Status: "error",
          Errors: [
            {
              ErrorIdentifier: "x",
              ErrorCode: "mj-0013",
              StatusCode: 400,
              ErrorMessage: '"bob@" is an invalid email address.',
              ErrorRelatedTo: ["To[0].Email"],
            },
          ],
        },
      ],
    };
    expect(acceptStatus(400)).to.equal(true);
    expect(parse(response(400, body), batchRecipients).recipients).to.deep.equal({
      "alice@example.com": { status: "sent", messageId: "123" },
      "cc@example.com": { status: "sent", messageId: "125" },
      "bob@example.com": { status: "failed", messageId: null },
    });
  });

  it("a top-level ErrorCode body is an AnymailAPIError with Mailjet's message", () => {
    const body = {
      ErrorIdentifier: "x1",
      ErrorCode: "mj-0002",
      StatusCode: 400,
      ErrorMessage: "Malformed JSON, please review the syntax and properties types.",
    };
    expect(() => parse(response(400, body), recipients))
      .to.throw(AnymailAPIError, "Mailjet API response 400: Malformed JSON, please review")
      .with.property("statusCode", 400);
  });

  it("[MJ-11] a non-JSON 401 is an AnymailAPIError with Mailjet's text, secrets redacted", () => {
    const text = "API key authentication/authorization failure for mj-secret-key.";
    expect(() => parse(response(401, text), recipients, ["mj-secret-key"]))
      .to.throw(
        AnymailAPIError,
        "Mailjet API response 401: API key authentication/authorization failure for [redacted].",
      )
      .with.property("statusCode", 401);
  });

  it("an answer without Messages, or with malformed entries, is an AnymailAPIError", () => {
    expect(() => parse(response(200, { Ok: true }), recipients)).to.throw(AnymailAPIError);
    expect(() => parse(response(200, { Messages: ["x"] }), recipients)).to.throw(
      AnymailAPIError,
      /unexpected answer/,
    );
    expect(() =>
      parse(
        response(200, { Messages: [{ Status: "success", To: [{ MessageID: 1 }] }] }),
        recipients,
      ),
    ).to.throw(AnymailAPIError, /unexpected answer/);
    expect(acceptStatus(500)).to.equal(false);
    expect(acceptStatus(302)).to.equal(false);
  });
});

describe("Mailjet settings and features", () => {
  it("[MJ-02] apiKey and secretKey are required and fall back to ANYMAIL_MAILJET_* then MAILJET_*", () => {
    const where = { prefixes: ["MAILJET"], espName: "Mailjet" };
    expect(() => resolveSettings({}, SETTINGS, { ...where, env: {} })).to.throw(/apiKey/);
    expect(() => resolveSettings({ apiKey: "k" }, SETTINGS, { ...where, env: {} })).to.throw(
      /secretKey/,
    );
    const env = {
      ANYMAIL_MAILJET_API_KEY: "from-anymail-env",
      MAILJET_API_KEY: "from-bare-env",
      MAILJET_SECRET_KEY: "bare-secret",
    };
    expect(resolveSettings({}, SETTINGS, { ...where, env })).to.deep.equal({
      apiKey: "from-anymail-env",
      secretKey: "bare-secret",
      apiUrl: "https://api.mailjet.com/v3.1/",
    });
  });

  it("[MJ-15] declares metadata, mergeMetadata, tracking, templates, batch and inline images; no sendAt", () => {
    expect(mailjet.features).to.include({
      metadata: true,
      mergeMetadata: true,
      trackOpens: true,
      trackClicks: true,
      templateId: true,
      mergeData: true,
      mergeGlobalData: true,
      mergeHeaders: true,
      envelopeSender: true,
      tags: "single",
      replyTo: "single",
    });
    expect(mailjet.features).to.not.have.property("sendAt");
  });
});
