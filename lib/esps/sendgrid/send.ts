/**
 * @module
 * SendGrid sending: a NormalizedMessage becomes one v3 Mail Send request
 * (`POST {apiUrl}mail/send`, bearer API key), and its 2xx answer (202, empty body)
 * marks every recipient "queued" (esps/sendgrid.txt; SendGrid reports problems later, as
 * "dropped" events).
 */
import { randomUUID } from "node:crypto";
import {
  allRecipients,
  type JsonObject,
  type NormalizedMessage,
  attachmentFilename,
} from "../../sender/message.js";
import { emailAndName } from "../../sender/address.js";
import { joinUrl, type HttpResponse } from "../../sender/http.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import { deepMerge, isPlainObject, setOwn, shallowMerge } from "../../util/deep-merge.js";
import { AnymailError } from "../../errors.js";
import type { SendSettings } from "./index.js";
import { compileMergeFieldFormat } from "./merge-field-format.js";
import type {
  SendGridAddress,
  SendGridAttachment,
  SendGridMailSend,
  SendGridPersonalization,
} from "./mail-send.js";

/** The custom arg that carries Anymail's message id (esps/sendgrid.txt "Message-ID"). */
export const ANYMAIL_ID_ARG = "anymail_id";

/** Dynamic (Handlebars) template ids start with "d-"; anything else is a legacy template. */
const DYNAMIC_TEMPLATE_PREFIX = "d-";

/** The Mail Send call for one message, before it becomes HTTP. */
export interface SendGridRequest {
  url: string;
  headers: Record<string, string>;
  body: SendGridMailSend;
}

/** The adapter's send: build, POST, map the answer. */
export async function send(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): Promise<SendResult> {
  const request = buildRequest(message, ctx);
  // espExtra may hold what JSON cannot carry: postJson fails with AnymailSerializationError
  const response = await ctx.http.postJson(request.url, request.body, request.headers);
  return parseResponse(response, message, ctx, request);
}

/**
 * Builds the Mail Send call. Pure apart from the generated message ids (`newId`, a random
 * UUID by default) and `ctx.unsupported`.
 */
export function buildRequest(
  message: NormalizedMessage,
  ctx: Pick<SendContext<SendSettings>, "settings" | "espName" | "unsupported">,
  newId: () => string = randomUUID,
): SendGridRequest {
  const { settings } = ctx;
  const { espExtra, mergeFieldFormat, extraPersonalizations } = splitEspExtra(
    message.espExtra,
    settings.mergeFieldFormat ?? null,
  );
  const templateId = message.templateId === null ? null : String(message.templateId);
  const dynamic = templateId?.startsWith(DYNAMIC_TEMPLATE_PREFIX) ?? false;
  const formatKey =
    !dynamic && mergeFieldFormat ? compileMergeFieldFormat(mergeFieldFormat, ctx.espName) : null;

  let personalizations = buildPersonalizations(message, dynamic, formatKey);
  if (Array.isArray(extraPersonalizations)) {
    // a list replaces what Anymail built (esps/sendgrid.txt "If you pass a list")
    personalizations = extraPersonalizations.map((p) => {
      if (!isPlainObject(p)) {
        throw new AnymailError(
          `${ctx.espName}: espExtra.personalizations must be an object (merged into each ` +
            "personalization) or a list of personalization objects.",
          { espName: ctx.espName },
        );
      }
      return { ...p } as SendGridPersonalization;
    });
  } else if (isPlainObject(extraPersonalizations)) {
    personalizations = personalizations.map(
      (p) => deepMerge(p, extraPersonalizations) as SendGridPersonalization,
    );
  }
  if (settings.generateMessageId) {
    // every personalization here is a fresh object (built above, or copied from espExtra):
    // give it its own custom_args rather than copying the whole personalization again
    for (const p of personalizations) {
      if (p.custom_args?.[ANYMAIL_ID_ARG] === undefined)
        p.custom_args = shallowMerge(p.custom_args, { [ANYMAIL_ID_ARG]: newId() });
    }
  }

  const body: SendGridMailSend = { personalizations };
  if (message.from) body.from = emailAndName(message.from);
  if (message.subject) body.subject = message.subject;
  // one Reply-To as reply_to; several as reply_to_list (SendGrid refuses both at once)
  if (message.replyTo.length === 1) body.reply_to = emailAndName(message.replyTo[0]);
  if (message.replyTo.length > 1) body.reply_to_list = message.replyTo.map(emailAndName);
  const content = buildContent(message);
  if (content.length > 0) body.content = content;
  if (message.attachments.length > 0) body.attachments = message.attachments.map(toAttachment);
  if (Object.keys(message.headers).length > 0) body.headers = stringValues(message.headers);
  if (message.metadata && Object.keys(message.metadata).length > 0) {
    body.custom_args = stringValues(message.metadata);
  }
  if (message.tags.length > 0) body.categories = [...message.tags];
  if (message.sendAt) body.send_at = Math.floor(message.sendAt.getTime() / 1000);
  if (templateId !== null) body.template_id = templateId;
  if (message.trackClicks !== null || message.trackOpens !== null) {
    body.tracking_settings = {};
    if (message.trackClicks !== null) {
      body.tracking_settings.click_tracking = { enable: message.trackClicks };
    }
    if (message.trackOpens !== null) {
      body.tracking_settings.open_tracking = { enable: message.trackOpens };
    }
  }
  return {
    url: joinUrl(settings.apiUrl, "mail/send"),
    headers: { Authorization: `Bearer ${settings.apiKey}`, Accept: "application/json" },
    body: espExtra ? (deepMerge(body, espExtra) as SendGridMailSend) : body,
  };
}

/**
 * Any 2xx answer (202, empty body) means SendGrid queued the message: every recipient
 * "queued", with the `anymail_id` of the (last) personalization that names it. A batch's
 * cc/bcc copies go out under every to's id; like django-anymail 9.0 (oracle case), they
 * report the last one. Problems arrive later, as "dropped" events.
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  _ctx: Pick<SendContext, "espName">,
  request: Pick<SendGridRequest, "body">,
): SendResult {
  const ids = new Map<string, string>();
  for (const p of request.body.personalizations) {
    const id = p.custom_args?.[ANYMAIL_ID_ARG];
    if (typeof id !== "string") continue;
    for (const list of [p.to, p.cc, p.bcc]) {
      // personalizations from espExtra may be shaped any way: read only what is there
      for (const address of Array.isArray(list) ? list : []) {
        const email: unknown = (address as Partial<SendGridAddress> | null)?.email;
        if (typeof email === "string") ids.set(email.toLowerCase(), id);
      }
    }
  }
  const recipients: Record<string, RecipientStatus> = {};
  for (const address of allRecipients(message)) {
    recipients[address.addrSpec] = {
      status: "queued",
      messageId: ids.get(address.addrSpec.toLowerCase()) ?? null,
    };
  }
  return { recipients, espResponse: response.toEspResponse() };
}

/** Separates Anymail's own espExtra keys from what goes to SendGrid. */
function splitEspExtra(
  extra: JsonObject | null,
  settingFormat: string | null,
): {
  espExtra: JsonObject | null;
  mergeFieldFormat: string | null;
  extraPersonalizations: unknown;
} {
  if (!extra)
    return { espExtra: null, mergeFieldFormat: settingFormat, extraPersonalizations: null };
  const { merge_field_format, personalizations, ...rest } = extra;
  return {
    espExtra: rest,
    // espExtra overrides the setting for this message (SG-06); never sent to SendGrid
    mergeFieldFormat: typeof merge_field_format === "string" ? merge_field_format : settingFormat,
    extraPersonalizations: personalizations,
  };
}

function buildPersonalizations(
  message: NormalizedMessage,
  dynamic: boolean,
  formatKey: ((field: string) => string) | null,
): SendGridPersonalization[] {
  const cc = message.cc.map(emailAndName);
  const bcc = message.bcc.map(emailAndName);
  // batch: one personalization per `to`, cc/bcc repeated in each (SG-23)
  const groups = message.isBatch ? message.to.map((to) => [to]) : [message.to];
  return groups.map((to) => {
    const p: SendGridPersonalization = {};
    if (to.length > 0) p.to = to.map(emailAndName);
    if (cc.length > 0) p.cc = cc;
    if (bcc.length > 0) p.bcc = bcc;
    const key = message.isBatch ? to[0].addrSpec : null;
    const headers = key === null ? undefined : message.mergeHeaders?.[key];
    if (headers && hasKeys(headers)) p.headers = stringValues(headers);

    const own = key === null ? undefined : message.mergeData?.[key];
    if (dynamic) {
      const data = shallowMerge(message.mergeGlobalData, own);
      if (hasKeys(data)) p.dynamic_template_data = data;
    } else {
      // legacy and on-the-fly templates: substitutions (never "sections", SG-28), the
      // recipient's own values over the global ones, written straight in (no merged copy);
      // null stays JSON null: SendGrid takes it, the string "null" would be shown
      const substitutions: Record<string, string | null> = {};
      let any = false;
      for (const source of [message.mergeGlobalData, own]) {
        for (const field in source) {
          const value = source[field];
          any = true;
          setOwn(
            substitutions,
            formatKey ? formatKey(field) : field,
            value === null ? null : toStringValue(value),
          );
        }
      }
      if (any) p.substitutions = substitutions;
    }
    const metadata = key === null ? undefined : message.mergeMetadata?.[key];
    if (metadata && hasKeys(metadata)) p.custom_args = stringValues(metadata);
    return p;
  });
}

function buildContent(message: NormalizedMessage): { type: string; value: string }[] {
  // SendGrid wants text/plain first, then text/html. An empty body is left out, so a
  // template's own content applies (SG-24, SG-25).
  const content: { type: string; value: string }[] = [];
  if (message.text) content.push({ type: "text/plain", value: message.text });
  if (message.html) content.push({ type: "text/html", value: message.html });
  for (const alternative of message.alternatives) {
    content.push({ type: alternative.contentType, value: alternative.content });
  }
  return content;
}

function toAttachment(attachment: NormalizedMessage["attachments"][number]): SendGridAttachment {
  const result: SendGridAttachment = {
    content: attachment.content.toString("base64"),
    type: attachment.contentType,
    // SendGrid requires a filename (issue #17 item 5)
    filename: attachmentFilename(attachment),
  };
  if (attachment.inline) {
    result.disposition = "inline";
    if (attachment.cid) result.content_id = attachment.cid;
  }
  return result;
}

/** True when the plain object has a key (without listing them all, as Object.keys would). */
function hasKeys(object: object): boolean {
  for (const _ in object) return true;
  return false;
}

/** SendGrid requires string values in custom_args, substitutions and headers. */
function stringValues(values: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) setOwn(result, key, toStringValue(value));
  return result;
}

function toStringValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? "";
}
