/**
 * @module
 * Postmark sending: a normalized message → one call to Postmark's Email API
 * (`/email`, `/email/batch`, `/email/withTemplate` or `/email/batchWithTemplates`).
 * Reading the answer lives in `response.ts` (`parseResponse`, re-exported here).
 */
import type { EmailAddress } from "../../sender/address.js";
import {
  mergeHeaders,
  type JsonObject,
  type NormalizedAttachment,
  type NormalizedMessage,
  attachmentFilename,
} from "../../sender/message.js";
import type { SendContext, SendResult } from "../types.js";
import { parseResponse } from "./response.js";
import { joinUrl } from "../../sender/http.js";
import { shallowMerge } from "../../util/deep-merge.js";
import type { SendSettings } from "./index.js";

export { parseResponse };

type BuildContext = Pick<SendContext<SendSettings>, "settings" | "espName" | "unsupported">;

/** The four send endpoints, relative to `apiUrl`. */
export const ENDPOINTS = {
  single: "email",
  batch: "email/batch",
  template: "email/withTemplate",
  batchTemplate: "email/batchWithTemplates",
} as const;

export type PostmarkEndpoint = (typeof ENDPOINTS)[keyof typeof ENDPOINTS];

/** One message in Postmark's JSON (the fields Anymail sets; espExtra may add any other). */
export interface PostmarkEmail {
  From?: string;
  To?: string;
  Cc?: string;
  Bcc?: string;
  Subject?: string;
  ReplyTo?: string;
  Headers?: PostmarkHeader[];
  TextBody?: string;
  HtmlBody?: string;
  Attachments?: PostmarkAttachment[];
  Metadata?: JsonObject;
  Tag?: string;
  TrackOpens?: boolean;
  TrackLinks?: "None" | "HtmlAndText" | "HtmlOnly" | "TextOnly";
  TemplateId?: number;
  TemplateAlias?: string;
  TemplateModel?: JsonObject;
  [extra: string]: unknown;
}

export interface PostmarkHeader {
  Name: string;
  Value: string;
}

export interface PostmarkAttachment {
  Name: string;
  /** base64 */
  Content: string;
  ContentType: string;
  /** "cid:…" for inline images */
  ContentID?: string;
}

/** What `buildRequest` produces: where to POST, with which headers, and the JSON body. */
export interface PostmarkRequest {
  url: string;
  endpoint: PostmarkEndpoint;
  headers: Record<string, string>;
  body: PostmarkEmail | PostmarkEmail[] | { Messages: PostmarkEmail[] };
  /** The `to` recipients of each message sent, in order (batch: one per message). */
  toPerMessage: EmailAddress[][];
}

const joinAddresses = (list: readonly EmailAddress[]): string =>
  list.map((address) => address.address).join(", ");

function toHeaderList(headers: Record<string, string>): PostmarkHeader[] {
  return Object.entries(headers).map(([Name, Value]) => ({ Name, Value }));
}

function toAttachment(attachment: NormalizedAttachment, ctx: BuildContext): PostmarkAttachment {
  const result: PostmarkAttachment = {
    Name: attachmentFilename(attachment),
    Content: attachment.content.toString("base64"),
    ContentType: attachment.contentType,
  };
  if (attachment.inline) {
    if (attachment.cid) result.ContentID = `cid:${attachment.cid}`;
    else ctx.unsupported("inline attachments without Content-ID");
  }
  return result;
}

/** Numeric ids (also numeric strings, as Postmark shows them) are TemplateId; others TemplateAlias. */
function templateFields(
  templateId: string | number,
): Pick<PostmarkEmail, "TemplateId" | "TemplateAlias"> {
  if (typeof templateId === "number") return { TemplateId: templateId };
  return /^\d+$/.test(templateId.trim())
    ? { TemplateId: Number(templateId.trim()) }
    : { TemplateAlias: templateId };
}

/** The fields shared by every message of the send (batch sends then add their own To). */
function buildBase(message: NormalizedMessage, ctx: BuildContext): PostmarkEmail {
  const data: PostmarkEmail = {};
  if (message.from) data.From = message.from.address;
  if (message.to.length > 0) data.To = joinAddresses(message.to);
  if (message.cc.length > 0) data.Cc = joinAddresses(message.cc);
  if (message.bcc.length > 0) data.Bcc = joinAddresses(message.bcc);
  if (message.subject !== null) data.Subject = message.subject;
  if (message.replyTo.length > 0) data.ReplyTo = joinAddresses(message.replyTo);
  if (Object.keys(message.headers).length > 0) data.Headers = toHeaderList(message.headers);
  if (message.text !== null) data.TextBody = message.text;
  if (message.html !== null) data.HtmlBody = message.html;
  if (message.attachments.length > 0) {
    data.Attachments = message.attachments.map((attachment) => toAttachment(attachment, ctx));
  }
  if (message.metadata) data.Metadata = message.metadata;
  // the core has already refused (or, when ignored, trimmed) extra tags: Postmark takes one
  if (message.tags.length > 0) data.Tag = message.tags[0];
  if (message.trackOpens !== null) data.TrackOpens = message.trackOpens;
  if (message.trackClicks !== null) data.TrackLinks = message.trackClicks ? "HtmlAndText" : "None";
  if (message.templateId !== null) {
    Object.assign(data, templateFields(message.templateId));
    // Postmark requires a TemplateModel (empty is fine) with every template send
    data.TemplateModel = message.mergeGlobalData ?? {};
    dropTemplateOverrides(data, ctx);
  }
  return data;
}

/**
 * Postmark refuses Subject/TextBody/HtmlBody alongside a template. Empty ones are dropped
 * (changelog v4.2); a real one cannot be honoured (esps/postmark.txt "does not allow overriding").
 */
function dropTemplateOverrides(data: PostmarkEmail, ctx: BuildContext): void {
  for (const field of ["Subject", "TextBody", "HtmlBody"] as const) {
    if (data[field] === undefined) continue;
    if (data[field] !== "")
      ctx.unsupported(`overriding the template's ${field} (use the template)`);
    delete data[field];
  }
}

/** Merges espExtra (last, so it wins) and takes `server_token` out of the JSON. */
function applyEspExtra(data: PostmarkEmail, extra: JsonObject | null, token: string): string {
  if (!extra) return token;
  const { server_token: override, ...rest } = extra;
  Object.assign(data, rest);
  return typeof override === "string" && override !== "" ? override : token;
}

/** A per-recipient entry, keyed by the `to` addr-spec (exactly, else ignoring case). */
function entryFor<T>(table: Record<string, T> | null, addrSpec: string): T | undefined {
  if (!table) return undefined;
  if (Object.hasOwn(table, addrSpec)) return table[addrSpec];
  const key = Object.keys(table).find((k) => k.toLowerCase() === addrSpec.toLowerCase());
  return key === undefined ? undefined : table[key];
}

/** One batch message for `to`: its own To, TemplateModel, Metadata and Headers. */
function forRecipient(base: PostmarkEmail, to: EmailAddress, message: NormalizedMessage) {
  const data: PostmarkEmail = shallowMerge(base, { To: to.address });
  const mergeData = entryFor(message.mergeData, to.addrSpec);
  if (mergeData && data.TemplateModel)
    data.TemplateModel = shallowMerge(data.TemplateModel, mergeData);
  const metadata = entryFor(message.mergeMetadata, to.addrSpec);
  if (metadata) data.Metadata = shallowMerge(data.Metadata, metadata);
  const headers = entryFor(message.mergeHeaders, to.addrSpec);
  if (headers) data.Headers = toHeaderList(mergeHeaders(message.headers, headers));
  return data;
}

/** Builds the Postmark API call for a normalized message. Pure but for `ctx.unsupported`. */
export function buildRequest(message: NormalizedMessage, ctx: BuildContext): PostmarkRequest {
  const base = buildBase(message, ctx);
  const serverToken = applyEspExtra(base, message.espExtra, ctx.settings.serverToken);
  const request = (
    endpoint: PostmarkEndpoint,
    body: PostmarkRequest["body"],
    toPerMessage: EmailAddress[][],
  ): PostmarkRequest => ({
    url: joinUrl(ctx.settings.apiUrl, endpoint),
    endpoint,
    headers: { Accept: "application/json", "X-Postmark-Server-Token": serverToken },
    body,
    toPerMessage,
  });
  const isTemplate = base.TemplateId !== undefined || base.TemplateAlias !== undefined;
  // Postmark requires a TemplateModel with every template, also one named only in espExtra
  if (isTemplate) base.TemplateModel ??= {};
  const hasMergeData =
    Object.keys(message.mergeData ?? {}).length > 0 || message.mergeGlobalData !== null;
  if (!isTemplate && hasMergeData) {
    // Postmark merges only into stored templates: without one the data would be lost
    ctx.unsupported("mergeData or mergeGlobalData without templateId");
  }

  if (!message.isBatch) {
    return request(isTemplate ? ENDPOINTS.template : ENDPOINTS.single, base, [message.to]);
  }
  // a batch with only cc/bcc still sends once (changelog v6.0 "only Cc and/or Bcc")
  const tos = message.to.length > 0 ? message.to.map((to) => [to]) : [[]];
  const messages = tos.map(([to]) => (to ? forRecipient(base, to, message) : base));
  return request(
    isTemplate ? ENDPOINTS.batchTemplate : ENDPOINTS.batch,
    isTemplate ? { Messages: messages } : messages,
    tos,
  );
}

/** The adapter's `send`: build, POST, and map Postmark's answer to recipient statuses. */
export async function send(
  message: NormalizedMessage,
  ctx: SendContext<SendSettings>,
): Promise<SendResult> {
  const request = buildRequest(message, ctx);
  const response = await ctx.http.postJson(request.url, request.body, request.headers, {
    // 422 carries per-recipient refusals that parseResponse sorts out
    acceptStatus: (status) => (status >= 200 && status < 300) || status === 422,
  });
  return parseResponse(response, message, ctx, request);
}
