/**
 * @module
 * Mailgun sending: `POST {apiUrl}/{senderDomain}/messages`, a multipart form with basic auth
 * `api:{apiKey}` (Mailgun "Sending" API docs). Fields follow the neutral message's order.
 */
import { randomUUID } from "node:crypto";
import { AnymailAPIError, AnymailConfigurationError } from "../../errors.js";
import { attachmentFilename, type NormalizedMessage } from "../../sender/message.js";
import type { HttpResponse } from "../../sender/http.js";
import { sameStatusForAll } from "../../sender/recipients.js";
import type { SendContext, SendResult } from "../types.js";
import type { SendSettings } from "./index.js";
import { isRecord } from "../../util/records.js";
import { buildCustomData } from "./batch.js";

type Context = SendContext<SendSettings>;

/** Sends one message through Mailgun: build, post the form, parse. */
export async function send(message: NormalizedMessage, ctx: Context): Promise<SendResult> {
  const request = buildRequest(message, ctx);
  const form = toMultipart(request);
  let response: HttpResponse;
  try {
    response = await ctx.http.request({
      method: "POST",
      url: request.url,
      headers: {
        // the same for every send of this sender: encoded once
        Authorization: ctx.memo("mailgun-authorization", () => basicAuth(ctx.settings.apiKey)),
        "Content-Type": form.contentType,
      },
      body: form.body,
      describeBody: () => describeForm(request),
    });
  } catch (error) {
    throw explainDomainNotFound(error, request, ctx);
  }
  return parseResponse(response, message, ctx);
}

function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`api:${apiKey}`).toString("base64")}`;
}

/** Mailgun's form field for each attachment kind (Mailgun "Sending" API docs). */
const ATTACHMENT_FIELDS = { attachment: "attachment", inline: "inline" } as const;

/** Alternative parts Mailgun takes, by content type → form field. */
const ALTERNATIVE_FIELDS: Record<string, string> = { "text/x-amp-html": "amp-html" };

/** One file part of the form. */
export interface MailgunFile {
  field: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

/** The request Mailgun receives, before it becomes HTTP. */
export interface MailgunRequest {
  url: string;
  senderDomain: string;
  /** Form fields in order; a name may repeat (several `to`, `o:tag` …). */
  fields: [string, string][];
  files: MailgunFile[];
}

/** Builds the request for one message. Calls `ctx.unsupported` for data-dependent limits. */
export function buildRequest(
  message: NormalizedMessage,
  ctx: Pick<Context, "espName" | "settings" | "unsupported" | "serializeJson">,
): MailgunRequest {
  const fields = new Map<string, string[]>();
  const set = (name: string, ...values: string[]): void => void fields.set(name, values);
  const files: MailgunFile[] = [];

  // Mailgun writes a non-ASCII local part (EAI) into an invalid From header, and the mail is
  // undeliverable (django-anymail 10+ refuses it too): #17 item 14
  if (message.fromAll.some((address) => !isAscii(address.username))) {
    ctx.unsupported("non-ASCII local part (EAI) in the from address");
  }
  if (message.fromAll.length > 0) set("from", ...message.fromAll.map((a) => a.address));
  if (message.to.length > 0) set("to", ...message.to.map((a) => a.address));
  if (message.cc.length > 0) set("cc", ...message.cc.map((a) => a.address));
  if (message.bcc.length > 0) set("bcc", ...message.bcc.map((a) => a.address));
  if (message.replyTo.length > 0) {
    set("h:Reply-To", message.replyTo.map((a) => a.address).join(", "));
  }
  if (message.subject !== null) set("subject", message.subject);

  const batch = buildCustomData(message);
  for (const problem of batch.unsupported) ctx.unsupported(problem);
  // a per-recipient header replaces the message's own, whatever the case of its name
  const merged = new Set(Object.keys(batch.headers).map((name) => name.toLowerCase()));
  const headers = Object.fromEntries([
    ...Object.entries(message.headers).filter(([name]) => !merged.has(name.toLowerCase())),
    ...Object.entries(batch.headers),
  ]);
  for (const [name, value] of Object.entries(headers)) set(`h:${name}`, value);

  if (message.text !== null) set("text", message.text);
  if (message.html !== null) set("html", message.html);
  for (const alternative of message.alternatives) {
    const field = ALTERNATIVE_FIELDS[alternative.contentType.toLowerCase()];
    if (field === undefined || fields.has(field)) {
      ctx.unsupported(`alternative part ${alternative.contentType}`);
      continue;
    }
    set(field, alternative.content);
  }

  for (const attachment of message.attachments) {
    // Mailgun silently drops a file without a name, so a nameless attachment gets a default
    // one (django-anymail 15.1; the 8.1 spec refused it); an inline part is named by its cid
    const name = attachment.inline ? attachment.cid : attachmentFilename(attachment);
    if (!name) {
      ctx.unsupported("inline attachments without Content-ID");
      continue;
    }
    files.push({
      field: attachment.inline ? ATTACHMENT_FIELDS.inline : ATTACHMENT_FIELDS.attachment,
      filename: name,
      contentType: attachment.contentType,
      content: attachment.content,
    });
  }

  for (const [key, value] of Object.entries(batch.customData)) {
    set(`v:${key}`, formValue(value, ctx, `metadata "${key}"`));
  }
  // RFC 2822 in GMT, e.g. "Tue, 02 Jan 2024 03:04:05 GMT" (oracle send case)
  if (message.sendAt !== null) set("o:deliverytime", message.sendAt.toUTCString());
  if (message.tags.length > 0) set("o:tag", ...message.tags);
  if (message.trackClicks !== null) set("o:tracking-clicks", message.trackClicks ? "yes" : "no");
  if (message.trackOpens !== null) set("o:tracking-opens", message.trackOpens ? "yes" : "no");
  if (message.templateId !== null) set("template", String(message.templateId));
  if (batch.recipientVariables !== null) {
    set("recipient-variables", ctx.serializeJson(batch.recipientVariables, "recipient-variables"));
  }

  for (const [name, value] of Object.entries(message.espExtra ?? {})) {
    if (name === "sender_domain")
      continue; // chooses the endpoint, see senderDomainOf
    else if (value === null || value === undefined) fields.delete(name);
    else if (Array.isArray(value)) set(name, ...value.map((v) => formValue(v, ctx, name)));
    else set(name, formValue(value, ctx, name));
  }

  const senderDomain = senderDomainOf(message, ctx);
  return {
    url: messagesUrl(senderDomain, ctx),
    senderDomain,
    fields: [...fields].flatMap(([name, values]) => values.map((v): [string, string] => [name, v])),
    files,
  };
}

/** `{apiUrl}/{senderDomain}/messages`. */
function messagesUrl(senderDomain: string, ctx: Pick<Context, "settings">): string {
  const apiUrl = ctx.settings.apiUrl.replace(/\/+$/, "");
  return `${apiUrl}/${encodeURIComponent(senderDomain)}/messages`;
}

/**
 * The sender domain: espExtra.sender_domain, else the envelope sender's domain, else the
 * senderDomain setting, else the first From address's domain (spec "Email sender domain").
 */
function senderDomainOf(
  message: NormalizedMessage,
  ctx: Pick<Context, "espName" | "settings">,
): string {
  const espDomain = message.espExtra?.sender_domain;
  const domain =
    (espDomain !== undefined && espDomain !== null && String(espDomain)) ||
    message.envelopeSender?.domain ||
    ctx.settings.senderDomain ||
    message.from?.domain;
  if (!domain) {
    throw new AnymailConfigurationError(
      `${ctx.espName}: cannot tell which Mailgun sender domain to use. Give the message a ` +
        `from address, or set the senderDomain option (MAILGUN_SENDER_DOMAIN), or ` +
        `espExtra: { sender_domain: "mg.example.com" }.`,
      { espName: ctx.espName },
    );
  }
  // a "/" (even %-encoded) sends Mailgun to another endpoint, which answers a cryptic
  // 200 "Mailgun Magnificent API" (changelog v6.0)
  if (domain.includes("/") || domain.toLowerCase().includes("%2f")) {
    throw new AnymailConfigurationError(
      `${ctx.espName}: invalid '/' in sender domain '${domain}'.`,
      { espName: ctx.espName },
    );
  }
  return domain;
}

/**
 * A form value: strings as they are, numbers and booleans as text, lists and objects as
 * JSON text. (Strings are never JSON-quoted: changelog v0.2. Anymail 9.0 splits a list into
 * repeated fields and keeps only an object's keys, losing data.)
 */
function formValue(value: unknown, ctx: Pick<Context, "serializeJson">, what: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value === null || value === undefined) return "";
  return ctx.serializeJson(value, what);
}

/**
 * Mailgun's one success answer: `{"id": "<…>", "message": "Queued. Thank you."}`. Mailgun
 * always queues; rejections come later, through webhooks (spec 02-sending).
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: Pick<Context, "espName" | "settings">,
): SendResult {
  const fail = (why: string): never => {
    throw new AnymailAPIError(`${ctx.espName}: ${why}`, {
      espName: ctx.espName,
      statusCode: response.status,
      response: response.toEspResponse(),
    });
  };
  const url = (): string => messagesUrl(senderDomainOf(message, ctx), ctx);
  if (response.text.includes("Mailgun Magnificent API")) {
    // what Mailgun answers for a URL that is not an API endpoint (changelog v6.0)
    fail(`invalid Mailgun API endpoint ${url()}. Check the senderDomain and apiUrl settings.`);
  }
  const json: unknown = response.json;
  if (!isRecord(json)) {
    fail(`the API answered with something that is not Mailgun's JSON (check apiUrl): ${url()}`);
  }
  const { id, message: text } = json as Record<string, unknown>;
  if (typeof id !== "string" || typeof text !== "string") {
    return fail("invalid Mailgun API response format (no id and message).");
  }
  if (!text.startsWith("Queued")) fail(`unrecognized Mailgun API message '${text}'.`);
  return {
    recipients: sameStatusForAll(message, "queued", id),
    espResponse: response.toEspResponse(),
  };
}

// RFC 7578 / WHATWG: LF, CR and '"' are escaped in a part's name and filename
// (most names and values have nothing to escape: test before rewriting)
const NAME_ESCAPES = /[\n\r"]/;
const escapeName = (text: string) =>
  NAME_ESCAPES.test(text)
    ? text.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22")
    : text;
// the WHATWG multipart encoding sends every line break of a name or value as CRLF
const LINE_BREAK = /[\r\n]/;
const crlf = (text: string) => (LINE_BREAK.test(text) ? text.replace(/\r?\n|\r/g, "\r\n") : text);
// a Blob's type: lower-cased, and dropped when it holds anything but printable ASCII
const blobType = (type: string) => (/^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : "");
const partType = (type: string) => blobType(type) || "application/octet-stream";
const CRLF = Buffer.from("\r\n");

/**
 * The built request as a multipart/form-data body, written directly: the bytes undici
 * writes for the same fields as FormData (same escapes, CRLF line ends, part types, UTF-8
 * filenames per RFC 7578), without a FormData, Blob and File per send (bench: ~40% of
 * Mailgun's send time went to those).
 */
export function toMultipart(request: MailgunRequest): { contentType: string; body: Buffer } {
  const boundary = `----anymail-${randomUUID()}`;
  const head = (name: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(crlf(name))}"`;
  let fields = "";
  for (const [name, value] of request.fields) fields += `${head(name)}\r\n\r\n${crlf(value)}\r\n`;
  const chunks: Buffer[] = [Buffer.from(fields)];
  for (const file of request.files) {
    const filename = file.filename ? `; filename="${escapeName(file.filename)}"` : "";
    chunks.push(
      Buffer.from(
        `${head(file.field)}${filename}\r\nContent-Type: ${partType(file.contentType)}\r\n\r\n`,
      ),
      file.content,
      CRLF,
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** The form as debug output lists it: one line per field, files by name, type and size. */
function describeForm(request: MailgunRequest): string {
  return [
    ...request.fields.map(([name, value]) => `${name}: ${value}`),
    ...request.files.map(
      (file) =>
        `${file.field}: <file ${file.filename}, ${blobType(file.contentType)}, ${file.content.length} bytes>`,
    ),
  ].join("\n");
}

/** Mailgun's terse 404 "Domain not found" gets the two usual causes spelled out. */
function explainDomainNotFound(error: unknown, request: MailgunRequest, ctx: Context): unknown {
  if (!(error instanceof AnymailAPIError) || error.statusCode !== 404) return error;
  if (!JSON.stringify(error.response ?? "").includes("Domain not found")) return error;
  return new AnymailAPIError(
    `${ctx.espName}: unknown sender domain '${request.senderDomain}'. Check that the domain is ` +
      `verified with Mailgun, and that the apiUrl setting ` +
      `'${ctx.settings.apiUrl}' is your account's region ` +
      `(EU accounts need https://api.eu.mailgun.net/v3).`,
    { espName: ctx.espName, statusCode: 404, response: error.response, cause: error },
  );
}

/** True when every character is ASCII. */
function isAscii(text: string): boolean {
  return /^\p{ASCII}*$/u.test(text);
}
