/**
 * @module
 * Mailgun inbound routes, `forward()`ed to `/mailgun/inbound/` (fully parsed fields, attachments
 * as files `attachment-1…n`) or `/mailgun/inbound_mime/` (the raw message in `body-mime`).
 * The URL only tells Mailgun which format to post; one handler reads both (Mailgun "Receiving,
 * Forwarding and Storing Messages" docs).
 */
import { AnymailConfigurationError } from "../../errors.js";
import { AnymailInboundEvent } from "../../events/inbound.js";
import { AnymailInboundMessage } from "../../events/inbound-message.js";
import type { WebhookContext, WebhookFile, WebhookHandler, WebhookRequest } from "../types.js";
import { badPayload as payloadError } from "../../util/payload.js";
import { isRecord } from "../../util/records.js";
import { epochToDate } from "../../util/epoch.js";
import type { WebhookSettings } from "./index.js";

type Form = Record<string, string[]>;

/** Spam headers Mailgun adds when the domain's spam filter is "deliver, add headers" (spec). */
const SPAM_FLAG = "X-Mailgun-Sflag";
const SPAM_SCORE = "X-Mailgun-Sscore";

const ATTACHMENT_FIELD = /^attachment-(\d+)$/;

// Mailgun posts each field once; take the first value
const field = (form: Form, name: string): string | null => form[name]?.[0] ?? null;

const badPayload = (context: WebhookContext, why: string) => payloadError(context, "inbound", why);

/** The JSON `[[name, value], …]` of `message-headers`. */
function parseMessageHeaders(text: string, context: WebhookContext): [string, string][] {
  let headers: unknown;
  try {
    headers = JSON.parse(text);
  } catch {
    throw badPayload(context, "message-headers is not JSON.");
  }
  if (!Array.isArray(headers)) throw badPayload(context, "message-headers is not a list.");
  return headers
    .filter((h): h is [unknown, unknown] => Array.isArray(h) && h.length >= 2)
    .map(([name, value]) => [String(name), String(value)]);
}

/** `{"<cid>": "attachment-1"}` inverted to field → cid. */
function contentIdsByField(text: string | null): Map<string, string> {
  const byField = new Map<string, string>();
  if (!text) return byField;
  try {
    const map = JSON.parse(text) as unknown;
    if (typeof map !== "object" || map === null) return byField;
    for (const [cid, name] of Object.entries(map)) {
      if (typeof name === "string" && !byField.has(name)) byField.set(name, cid);
    }
  } catch {
    // no usable map: every file stays a plain attachment
  }
  return byField;
}

/** Attachment files in Mailgun's numbering order. */
function attachmentFiles(files: readonly WebhookFile[]): WebhookFile[] {
  const number = (file: WebhookFile) => Number(ATTACHMENT_FIELD.exec(file.fieldName)?.[1]);
  return files
    .filter((file) => ATTACHMENT_FIELD.test(file.fieldName))
    .sort((a, b) => number(a) - number(b));
}

/** The fully parsed format → AnymailInboundMessage. */
async function fromParsedFields(
  request: WebhookRequest,
  context: WebhookContext,
): Promise<AnymailInboundMessage> {
  const form = request.form ?? {};
  const headersField = field(form, "message-headers");
  if (headersField === null) {
    throw badPayload(context, "the post has neither body-mime nor message-headers.");
  }
  const cids = contentIdsByField(field(form, "content-id-map"));
  const files = attachmentFiles(request.files ?? []);
  const expected = Number(field(form, "attachment-count") ?? files.length);
  if (files.length < expected) {
    // e.g. a body limit dropped them; the raw-MIME route avoids file handling altogether
    context.logger.warn(
      `anymail: ${context.espName} inbound post announced ${expected} attachments but carried ` +
        `${files.length}.`,
    );
  }
  return AnymailInboundMessage.fromFields({
    // includes From, To, Cc, Subject, Date (Mailgun transcodes fields to UTF-8)
    headers: parseMessageHeaders(headersField, context),
    text: field(form, "body-plain"),
    html: field(form, "body-html"),
    attachments: files.map((file) => {
      const cid = cids.get(file.fieldName);
      return {
        filename: file.filename || null,
        contentType: file.contentType,
        content: file.content,
        contentId: cid ?? null,
        inline: cid !== undefined,
      };
    }),
  });
}

/** Refuses tracking webhooks and store() notifications posted to the inbound URL. */
function checkIsInboundForward(request: WebhookRequest, context: WebhookContext): Form {
  const misrouted = (eventType: string) =>
    new AnymailConfigurationError(
      `${context.espName}: you seem to have set Mailgun's *${eventType} tracking* webhook to ` +
        `Anymail's Mailgun *inbound* webhook URL. Use the .../mailgun/tracking/ URL for it.`,
      { espName: context.espName },
    );
  if (request.json !== undefined) {
    const eventData = isRecord(request.json) ? request.json["event-data"] : undefined;
    throw misrouted(String((isRecord(eventData) && eventData.event) || ""));
  }
  const form = request.form ?? {};
  const event = field(form, "event");
  if (event !== null && event !== "inbound") throw misrouted(event);
  if (form.attachments !== undefined) {
    // only store() notifications have an "attachments" field (JSON of stored-file URLs)
    throw new AnymailConfigurationError(
      `${context.espName}: you seem to have set up the Mailgun receiving route with store(). ` +
        `Anymail's Mailgun inbound webhook needs the forward() action.`,
      { espName: context.espName },
    );
  }
  return form;
}

async function handleInbound(
  request: WebhookRequest,
  context: WebhookContext,
): Promise<AnymailInboundEvent[]> {
  const form = checkIsInboundForward(request, context);
  const bodyMime = field(form, "body-mime");
  const message =
    bodyMime !== null
      ? await AnymailInboundMessage.fromRaw(bodyMime)
      : await fromParsedFields(request, context);
  message.envelopeSender = field(form, "sender");
  message.envelopeRecipient = field(form, "recipient");
  message.strippedText = field(form, "stripped-text");
  message.strippedHtml = field(form, "stripped-html");
  const flag = message.get(SPAM_FLAG);
  message.spamDetected = flag === null ? null : flag.trim().toLowerCase() === "yes";
  const score = Number.parseFloat(message.get(SPAM_SCORE) ?? "");
  message.spamScore = Number.isFinite(score) ? score : null;

  return [
    new AnymailInboundEvent({
      timestamp: epochToDate(field(form, "timestamp")),
      eventId: field(form, "token"),
      message,
      espEvent: form,
    }),
  ];
}

/**
 * `/mailgun/inbound/` and `/mailgun/inbound_mime/`: both formats, one handler (the adapter
 * adds the signature). "auto": a misrouted JSON tracking call is recognized and explained.
 */
export const inbound: WebhookHandler<WebhookSettings> = {
  body: "auto",
  handle: handleInbound,
};
