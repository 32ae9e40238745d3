/**
 * @module
 * The send kit: one suite that every registered ESP sending over HTTP runs, through real
 * HTTP to the loopback capture server answering as the ESP does. An ESP enrolls with a
 * profile (`spec/kits/send/<esp>.ts`): how to point its sender at the server, its success
 * and error answers, and `read`, which turns what the ESP received back into neutral fields.
 * The suite then checks addresses, headers, attachments, inline images, tags, metadata,
 * API errors, timeouts, and that each feature the adapter lacks is refused by name.
 */
import { expect } from "chai";
import addressparser from "nodemailer/lib/addressparser/index.js";
import { AnymailAPIError, AnymailUnsupportedFeature } from "../../lib/errors.js";
import { findAdapter } from "../../lib/esps/registry.js";
import type { AnyEspAdapter, FeatureSupport } from "../../lib/esps/types.js";
import type { AnymailMessage } from "../../lib/sender/message.js";
import { Sender } from "../../lib/sender/sender.js";
import type { SendStatus } from "../../lib/sender/status.js";
import { decodeMimeWords } from "../../lib/util/mime-words.js";
import {
  startCaptureServer,
  useCaptureServer,
  type CannedResponse,
  type CapturedRequest,
  type CaptureServer,
} from "./capture-server.js";
import { rejectionOf } from "./rejection.js";

/** One address as the ESP received it; `name` is null when none was sent. */
export interface SentAddress {
  email: string;
  name: string | null;
}

export interface SentAttachment {
  /** null (or "") when the ESP received no name. */
  filename: string | null;
  /** null when the ESP's API carries no content type for attachments. */
  contentType: string | null;
  content: Buffer;
}

export interface SentInlineImage {
  /** The Content-ID, without angle brackets or a `cid:` prefix. */
  cid: string;
  content: Buffer;
}

/** What an ESP received, in neutral terms (the profile's `read`). */
export interface SentMessage {
  from: SentAddress | null;
  to: SentAddress[];
  cc: SentAddress[];
  bcc: SentAddress[];
  replyTo: SentAddress[];
  subject: string | null;
  text: string | null;
  html: string | null;
  /** Custom headers, names lower-cased. */
  headers: Record<string, string>;
  attachments: SentAttachment[];
  inlineImages: SentInlineImage[];
  tags: string[];
  metadata: Record<string, unknown>;
}

/** An ESP's canned answer. */
export interface EspAnswer {
  status: number;
  body: CannedResponse["body"];
  headers?: Record<string, string>;
}

/** The ESP's success answer, and the status and message id Anymail must report from it. */
export interface EspSuccess extends EspAnswer {
  /** The status every recipient gets ("queued", or "sent" where the ESP says so). */
  sendStatus: SendStatus;
  /** The id reported for the first recipient (from the answer, or from the request where the client makes it). */
  messageId: string | ((request: CapturedRequest) => string);
}

/** The kit's cases a profile may mark pending (each with the reason, naming its issue). */
export type SendKitCase =
  | "names"
  | "ccBcc"
  | "replyTo"
  | "headers"
  | "attachments"
  | "namelessAttachment"
  | "inlineImages"
  | "tags"
  | "metadata"
  | "apiError"
  | "timeout";

/** How one ESP enrolls in the send kit. */
export interface HttpSendProfile {
  /** The registered name (`adapter.name`). */
  esp: string;
  /** createSender options pointing the ESP at `serverUrl` (credentials included). */
  options(serverUrl: string): Record<string, unknown>;
  /** The ESP's documented success answer for these recipients (addr-specs, in order). */
  success(recipients: string[]): EspSuccess;
  /** The ESP's documented error answer carrying `text`. */
  error(text: string): EspAnswer;
  /** Neutral fields from the one request the ESP received. */
  read(request: CapturedRequest): SentMessage;
  /**
   * The ESP's API needs no filename: a nameless attachment may arrive nameless. Without
   * this, a nameless attachment must arrive with a non-empty name.
   */
  namelessAttachments?: "allowed";
  /** Cases not yet passing, with the reason (they run as `it.skip`). */
  pending?: Partial<Record<SendKitCase, string>>;
}

/** Parses an address header value as the ESP would (RFC 5322 list, RFC 2047 names). */
export function parseAddresses(value: string | undefined | null): SentAddress[] {
  if (!value) return [];
  const flat = addressparser(value, { flatten: true });
  return flat.map((a) => ({ email: a.address, name: a.name ? decodeMimeWords(a.name) : null }));
}

/** `{ email, name }` objects (SendGrid, Brevo, Mandrill …) → SentAddress. */
export function fromEmailObject(value: unknown, emailKey = "email", nameKey = "name"): SentAddress {
  const record = (value ?? {}) as Record<string, unknown>;
  const name = record[nameKey];
  return {
    email: String(record[emailKey]),
    name: typeof name === "string" && name !== "" ? decodeMimeWords(name) : null,
  };
}

/** Header names lower-cased (a record, or a list of `{name, value}` pairs). */
export function lowerHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (const item of headers as Array<Record<string, unknown>>) {
      result[String(item.Name ?? item.name).toLowerCase()] = String(item.Value ?? item.value);
    }
  } else if (headers && typeof headers === "object") {
    for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = String(value);
  }
  return result;
}

export const base64 = (value: unknown): Buffer => Buffer.from(String(value ?? ""), "base64");

/** An empty SentMessage, for `read` to fill. */
export function sentMessage(fields: Partial<SentMessage>): SentMessage {
  return {
    from: null,
    to: [],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: null,
    text: null,
    html: null,
    headers: {},
    attachments: [],
    inlineImages: [],
    tags: [],
    metadata: {},
    ...fields,
  };
}

const FROM = "from@example.com";
const TO = "to@example.com";
/** Bytes that are not UTF-8, so any text conversion on the way shows. */
const BINARY = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0xfe]);
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

function baseMessage(extra: AnymailMessage = {}): AnymailMessage {
  return { from: FROM, to: TO, subject: "Kit subject", text: "Kit text", ...extra };
}

/** A message using one feature, and the phrase the error must name. */
interface FeatureUse {
  feature: string;
  message: AnymailMessage;
}

/** For each feature the adapter's `features` lacks (or limits), the uses it must refuse. */
export function unsupportedUses(features: FeatureSupport): FeatureUse[] {
  const uses: FeatureUse[] = [];
  const refuse = (feature: string, message: AnymailMessage) => uses.push({ feature, message });
  const perRecipient = { [TO]: { kit: "value" } };
  if (!features.envelopeSender) refuse("envelopeSender", { envelopeSender: "bounces@example.com" });
  if (!features.metadata) refuse("metadata", { metadata: { kit: "value" } });
  if (!features.mergeMetadata) refuse("mergeMetadata", { mergeMetadata: perRecipient });
  if (!features.tags) refuse("tags", { tags: ["kit"] });
  if (features.tags === "single") refuse("multiple tags", { tags: ["one", "two"] });
  if (!features.trackOpens) refuse("trackOpens", { trackOpens: true });
  if (!features.trackClicks) refuse("trackClicks", { trackClicks: true });
  if (!features.sendAt) refuse("sendAt", { sendAt: new Date("2031-01-02T03:04:05Z") });
  if (!features.templateId) refuse("templateId", { templateId: "kit-template" });
  if (!features.mergeData) refuse("mergeData", { mergeData: perRecipient });
  if (features.mergeData === "withTemplate") {
    refuse("mergeData without a templateId", { mergeData: perRecipient });
  }
  if (!features.mergeGlobalData) refuse("mergeGlobalData", { mergeGlobalData: { kit: "value" } });
  if (features.mergeGlobalData === "withTemplate") {
    refuse("mergeGlobalData without a templateId", { mergeGlobalData: { kit: "value" } });
  }
  if (!features.mergeHeaders) refuse("mergeHeaders", { mergeHeaders: { [TO]: { "X-Kit": "v" } } });
  if (!features.attachments) {
    refuse("attachments", { attachments: [{ filename: "a.txt", content: "a" }] });
  }
  if (!features.inlineImages) {
    refuse("inline images", {
      html: '<img src="cid:logo@kit.example">',
      attachments: [{ filename: "logo.png", content: PNG, cid: "logo@kit.example" }],
    });
  }
  if (features.alternatives !== true) {
    refuse("alternative part with type text/x-kit", {
      alternatives: [{ content: "kit", contentType: "text/x-kit" }],
    });
  }
  if (!features.replyTo) refuse("replyTo", { replyTo: "reply@example.com" });
  if (features.replyTo === "single") {
    refuse("multiple replyTo addresses", { replyTo: ["r1@example.com", "r2@example.com"] });
  }
  if (!features.multipleFrom) refuse("multiple from addresses", { from: [FROM, "f2@example.com"] });
  if (!features.spoofedTo) refuse("spoofing the To header", { headers: { To: "x@example.com" } });
  return uses;
}

interface TimedOut {
  error: unknown;
  ms: number;
  server: CaptureServer;
}

/**
 * The timeout case waits on undici's coarse timers (~1 s), so every enrolled ESP's
 * timed-out send starts at once, each against a server of its own that never answers, when
 * the first one is asked for. Closed after the whole run.
 */
const timeouts = new Map<HttpSendProfile, Promise<TimedOut>>();
const toTimeOut: Array<{ profile: HttpSendProfile; adapter: AnyEspAdapter }> = [];
const timeoutCleanup: Array<() => Promise<void>> = [];
let cleanupRegistered = false;

function timedOut(profile: HttpSendProfile): Promise<TimedOut> {
  if (timeouts.size === 0) {
    for (const entry of toTimeOut)
      timeouts.set(entry.profile, startTimeout(entry.profile, entry.adapter));
  }
  return timeouts.get(profile) as Promise<TimedOut>;
}

async function startTimeout(profile: HttpSendProfile, adapter: AnyEspAdapter): Promise<TimedOut> {
  const server = await startCaptureServer();
  server.hangOnce();
  const sender = new Sender(adapter, {
    env: {},
    ...profile.options(server.url),
    requestsTimeout: 0.2,
  });
  timeoutCleanup.push(
    () => sender.close(),
    () => server.close(),
  );
  const started = Date.now();
  const error = await rejectionOf(sender.send(baseMessage()));
  return { error, ms: Date.now() - started, server };
}

/**
 * Registers the send kit for one ESP: a `describe` whose tests send through real HTTP to a
 * capture server answering with the profile's canned answers.
 */
export function describeHttpSend(profile: HttpSendProfile): void {
  const adapter: AnyEspAdapter | undefined = findAdapter(profile.esp);
  const title = adapter ? adapter.displayName : profile.esp;
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    // in the suite enclosing the kits (the root one from a spec file's top level)
    after(async () => {
      await Promise.all(timeoutCleanup.map((close) => close()));
    });
  }
  describe(`send kit: ${title}`, () => {
    if (!adapter) {
      it(`"${profile.esp}" is a registered ESP`, () => {
        expect.fail(`the send-kit profile names "${profile.esp}", which is not registered`);
      });
      return;
    }
    const features = adapter.features;
    if (!profile.pending?.timeout) toTimeOut.push({ profile, adapter });
    const server = useCaptureServer();
    const senders: Sender[] = [];
    const sender = (extra: Record<string, unknown> = {}): Sender => {
      const created = new Sender(adapter, {
        env: {}, // settings from the profile only, never the developer's environment
        ...profile.options(server().url),
        ...extra,
      });
      senders.push(created);
      return created;
    };
    after(async () => {
      await Promise.all(senders.map((s) => s.close()));
    });

    /** Sends `message` with the success answer queued; returns what the ESP received. */
    async function sent(message: AnymailMessage, extra?: Record<string, unknown>) {
      const recipients = [message.to, message.cc, message.bcc]
        .flat()
        .filter((r): r is string => typeof r === "string")
        .map((r) => parseAddresses(r)[0]?.email ?? r);
      const answer = profile.success(recipients);
      server().respond(answer.status, answer.body, answer.headers);
      const status = await sender(extra).send(message);
      expect(server().requests, "requests the ESP received").to.have.length(1);
      return { status, answer, received: profile.read(server().last()) };
    }

    /** `it`, or `it.skip` when the profile marks the case pending. */
    function kitIt(kase: SendKitCase, name: string, test: () => Promise<void>): void {
      const reason = profile.pending?.[kase];
      if (reason) it.skip(`${name} (pending: ${reason})`, test);
      else it(name, test);
    }

    it(`plain send: one POST, and the status and message id ${title} answered`, async () => {
      const { status, answer, received } = await sent(baseMessage());
      expect(server().last().method).to.equal("POST");
      const messageId =
        typeof answer.messageId === "function"
          ? answer.messageId(server().last())
          : answer.messageId;
      expect(status.recipients[TO]).to.deep.equal({ status: answer.sendStatus, messageId });
      expect(status.messageId).to.equal(messageId);
      expect(received.from).to.deep.equal({ email: FROM, name: null });
      expect(received.to).to.deep.equal([{ email: TO, name: null }]);
      expect(received.subject).to.equal("Kit subject");
      expect(received.text).to.equal("Kit text");
    });

    kitIt("names", "display names with commas and Unicode arrive intact", async () => {
      const { received } = await sent(
        baseMessage({
          from: '"Smith, John" <j@example.com>',
          to: ["Jürgen Müller <jm@example.com>", '"Doe, Jane" <jd@example.com>'],
          html: "<p>Kit html</p>",
        }),
      );
      expect(received.from).to.deep.equal({ email: "j@example.com", name: "Smith, John" });
      expect(received.to).to.deep.equal([
        { email: "jm@example.com", name: "Jürgen Müller" },
        { email: "jd@example.com", name: "Doe, Jane" },
      ]);
      expect(received.html).to.equal("<p>Kit html</p>");
    });

    kitIt("ccBcc", "cc and bcc reach the ESP as cc and bcc", async () => {
      const { status, received } = await sent(
        baseMessage({ cc: "Carol <cc@example.com>", bcc: "bcc@example.com" }),
      );
      expect(received.to.map((a) => a.email)).to.deep.equal([TO]);
      expect(received.cc).to.deep.equal([{ email: "cc@example.com", name: "Carol" }]);
      expect(received.bcc.map((a) => a.email)).to.deep.equal(["bcc@example.com"]);
      expect(Object.keys(status.recipients).sort()).to.deep.equal(
        ["bcc@example.com", "cc@example.com", TO].sort(),
      );
    });

    if (features.replyTo) {
      kitIt("replyTo", "reply-to arrives", async () => {
        const { received } = await sent(
          baseMessage({ replyTo: '"Help, Desk" <help@example.com>' }),
        );
        expect(received.replyTo).to.deep.equal([{ email: "help@example.com", name: "Help, Desk" }]);
      });
    }

    kitIt("headers", "custom headers arrive with their values", async () => {
      const { received } = await sent(
        baseMessage({ headers: { "X-Kit-Custom": "kit value", "X-Kit-Number": 42 } }),
      );
      expect(received.headers).to.include({ "x-kit-custom": "kit value", "x-kit-number": "42" });
    });

    if (features.attachments) {
      kitIt(
        "attachments",
        "attachments arrive with their names, types and exact bytes",
        async () => {
          const { received } = await sent(
            baseMessage({
              attachments: [
                {
                  filename: "report.bin",
                  content: BINARY,
                  contentType: "application/octet-stream",
                },
                { filename: "notes.txt", content: "kit ☺ text", contentType: "text/plain" },
              ],
            }),
          );
          expect(received.attachments).to.have.length(2);
          const [binary, text] = received.attachments;
          expect(binary.filename).to.equal("report.bin");
          expect(binary.content.equals(BINARY), "binary content").to.equal(true);
          expect(text.filename).to.equal("notes.txt");
          expect(text.content.toString("utf8")).to.equal("kit ☺ text");
          // an API without content types infers them from the name (Brevo)
          if (binary.contentType !== null) {
            expect(binary.contentType).to.match(/^application\/octet-stream/);
            expect(text.contentType).to.match(/^text\/plain/);
          }
        },
      );

      const nameless =
        profile.namelessAttachments === "allowed"
          ? "an attachment without a filename arrives"
          : "an attachment without a filename arrives with a usable name";
      kitIt("namelessAttachment", nameless, async () => {
        const { received } = await sent(
          baseMessage({ attachments: [{ content: BINARY, contentType: "application/pdf" }] }),
        );
        expect(received.attachments).to.have.length(1);
        expect(received.attachments[0].content.equals(BINARY)).to.equal(true);
        if (profile.namelessAttachments !== "allowed") {
          expect(received.attachments[0].filename).to.be.a("string").and.not.equal("");
        }
      });
    }

    if (features.inlineImages) {
      kitIt("inlineImages", "inline images arrive with their Content-ID", async () => {
        const { received } = await sent(
          baseMessage({
            html: '<img src="cid:logo@kit.example">',
            attachments: [
              { filename: "logo.png", content: PNG, cid: "logo@kit.example" },
              { filename: "a.txt", content: "plain", contentType: "text/plain" },
            ],
          }),
        );
        expect(received.inlineImages).to.have.length(1);
        expect(received.inlineImages[0].cid).to.equal("logo@kit.example");
        expect(received.inlineImages[0].content.equals(PNG)).to.equal(true);
        expect(received.attachments.map((a) => a.filename)).to.deep.equal(["a.txt"]);
      });
    }

    if (features.tags) {
      kitIt("tags", "tags arrive", async () => {
        const tags = features.tags === "single" ? ["kit-tag"] : ["kit-tag", "second"];
        const { received } = await sent(baseMessage({ tags }));
        expect(received.tags).to.deep.equal(tags);
      });
    }

    if (features.metadata) {
      kitIt("metadata", "metadata arrives with its values", async () => {
        const { received } = await sent(
          baseMessage({ metadata: { user_id: "12345", plan: "kit" } }),
        );
        expect(received.metadata).to.deep.include({ user_id: "12345", plan: "kit" });
      });
    }

    kitIt(
      "apiError",
      "an API error is AnymailAPIError with the ESP's text and status",
      async () => {
        const text = "Kit refusal: sender address not verified";
        const answer = profile.error(text);
        server().respondOnce(answer.status, answer.body, answer.headers);
        const error = await rejectionOf(sender().send(baseMessage()));
        expect(error).to.be.instanceOf(AnymailAPIError);
        expect((error as AnymailAPIError).statusCode).to.equal(answer.status);
        expect((error as Error).message).to.contain(text);
        expect((error as AnymailAPIError).espName).to.equal(adapter.displayName);
      },
    );

    for (const { feature, message } of unsupportedUses(features)) {
      it(`unsupported "${feature}": refused by name before any request; sent when ignored`, async () => {
        const error = await rejectionOf(sender().send(baseMessage(message)));
        expect(error).to.be.instanceOf(AnymailUnsupportedFeature);
        expect((error as Error).message).to.contain(`does not support ${feature}`);
        expect(server().requests, "requests before the refusal").to.have.length(0);

        const answer = profile.success([TO]);
        server().respond(answer.status, answer.body, answer.headers);
        await sender({ ignoreUnsupportedFeatures: true }).send(baseMessage(message));
        expect(server().requests).to.have.length(1);
      });
    }

    kitIt(
      "timeout",
      "an ESP that never answers: AnymailAPIError after requestsTimeout",
      async () => {
        const { error, ms, server: hanging } = await timedOut(profile);
        expect(hanging.requests, "the request reached the server").to.have.length(1);
        expect(error).to.be.instanceOf(AnymailAPIError);
        expect((error as AnymailAPIError).espName).to.equal(adapter.displayName);
        expect(ms).to.be.within(150, 5000);
      },
    );
  });
}
