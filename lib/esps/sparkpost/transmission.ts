/**
 * @module
 * The SparkPost transmission body built from a normalized message: content, recipients
 * (with `header_to`, so cc/bcc are delivered but not shown as To), options, and espExtra.
 * @see https://developers.sparkpost.com/api/transmissions/#transmissions-post-send-a-transmission
 */
import type { EmailAddress } from "../../sender/address.js";
import { deepMerge, shallowMerge } from "../../util/deep-merge.js";
import {
  attachmentFilename,
  type JsonObject,
  type NormalizedMessage,
} from "../../sender/message.js";
import type { SendContext } from "../types.js";

const AMP_HTML = "text/x-amp-html";

/** `recipients[].address` of a transmission. */
export interface SparkPostAddress {
  email: string;
  /** The To header shown to this recipient (lets cc/bcc be delivered but not shown as To). */
  header_to: string;
}

export interface SparkPostRecipient {
  address: SparkPostAddress;
  metadata?: JsonObject;
  substitution_data?: JsonObject;
}

export interface SparkPostFile {
  name: string;
  type: string;
  /** base64 */
  data: string;
}

export interface SparkPostContent {
  from?: string;
  subject?: string;
  reply_to?: string;
  headers?: Record<string, string>;
  text?: string;
  html?: string;
  amp_html?: string;
  attachments?: SparkPostFile[];
  inline_images?: SparkPostFile[];
  template_id?: string;
}

export interface SparkPostOptionsBlock {
  start_time?: string;
  click_tracking?: boolean;
  open_tracking?: boolean;
}

/** The body of `POST /transmissions/`, as far as Anymail fills it. */
export interface SparkPostTransmission {
  content: SparkPostContent;
  recipients: SparkPostRecipient[];
  return_path?: string;
  metadata?: JsonObject;
  options?: SparkPostOptionsBlock;
  campaign_id?: string;
  substitution_data?: JsonObject;
}

/** The transmission body, with `espExtra` deep-merged over it (espExtra wins). */
export function buildTransmission(
  message: NormalizedMessage,
  ctx: Pick<SendContext, "unsupported">,
): Record<string, unknown> {
  const transmission: SparkPostTransmission = {
    content: buildContent(message, ctx),
    recipients: buildRecipients(message),
  };
  if (message.envelopeSender) transmission.return_path = message.envelopeSender.addrSpec;
  if (message.metadata) transmission.metadata = message.metadata;
  const options = buildOptions(message);
  if (options) transmission.options = options;
  // one campaign_id per transmission; the core refuses (or drops) extra tags
  if (message.tags.length > 0) transmission.campaign_id = message.tags[0];
  if (message.mergeGlobalData) transmission.substitution_data = message.mergeGlobalData;
  const body = { ...transmission } as Record<string, unknown>;
  // espExtra.recipients (e.g. a stored list_id) replaces ours whole: merging into an array
  // is impossible, and the spec says it overrides to/cc/bcc and per-recipient data
  return message.espExtra ? deepMerge(body, message.espExtra) : body;
}

function buildContent(
  message: NormalizedMessage,
  ctx: Pick<SendContext, "unsupported">,
): SparkPostContent {
  const content: SparkPostContent = {};
  // several From addresses are allowed (changelog v0.10); SparkPost takes the header text
  if (message.fromAll.length > 0) content.from = joinAddresses(message.fromAll);
  if (message.subject !== null) content.subject = message.subject;
  if (message.replyTo.length > 0) content.reply_to = joinAddresses(message.replyTo);

  const headers: Record<string, string> = {};
  // cc recipients get a visible Cc header; their delivery is in `recipients`
  if (message.cc.length > 0) headers.Cc = joinAddresses(message.cc);
  for (const [name, value] of Object.entries(message.headers)) {
    if (name.toLowerCase() === "cc") delete headers.Cc;
    headers[name] = value;
  }
  if (Object.keys(headers).length > 0) content.headers = headers;

  if (message.text !== null) content.text = message.text;
  if (message.html !== null) content.html = message.html;
  for (const alternative of message.alternatives) {
    const type = alternative.contentType.toLowerCase();
    if (type === AMP_HTML) {
      if (content.amp_html !== undefined) ctx.unsupported("multiple html parts");
      else content.amp_html = alternative.content;
    } else if (type === "text/html") {
      if (content.html !== undefined) ctx.unsupported("multiple html parts");
      else content.html = alternative.content;
    } else {
      ctx.unsupported(`alternative part with type "${alternative.contentType}"`);
    }
  }

  const attachments: SparkPostFile[] = [];
  const inlineImages: SparkPostFile[] = [];
  for (const attachment of message.attachments) {
    const data = attachment.content.toString("base64");
    if (attachment.inline && attachment.cid) {
      // SparkPost matches inline images to `cid:` references by name
      inlineImages.push({ name: attachment.cid, type: attachment.contentType, data });
    } else {
      if (attachment.inline) ctx.unsupported("inline attachments without Content-ID");
      // SparkPost requires a name (the Content-Disposition filename): #17 item 5
      const name = attachmentFilename(attachment);
      attachments.push({ name, type: attachment.contentType, data });
    }
  }
  if (attachments.length > 0) content.attachments = attachments;
  if (inlineImages.length > 0) content.inline_images = inlineImages;

  if (message.templateId !== null) {
    content.template_id = String(message.templateId);
    // a stored template brings its own subject and bodies: SparkPost refuses these
    const clashing = (["subject", "text", "html"] as const).filter((field) => {
      const value = content[field];
      delete content[field];
      return value !== undefined && value !== "";
    });
    if (clashing.length > 0) {
      ctx.unsupported(`${clashing.join(", ")} with a stored template (templateId)`);
    }
  }
  return content;
}

/**
 * Every `to` gets its own entry; cc and bcc are added with the To header as `header_to`, so
 * they are delivered without showing as To. In a batch send each `to` sees only itself, and
 * cc/bcc are copied once per `to`, carrying that `to`'s substitution data and metadata.
 * @see https://www.sparkpost.com/docs/faq/cc-bcc-with-rest-api/
 */
export function buildRecipients(message: NormalizedMessage): SparkPostRecipient[] {
  const ccAndBcc = [...message.cc, ...message.bcc];
  // (a batch without any `to` has no one to copy cc/bcc for: they are sent once, as usual)
  if (!message.isBatch || message.to.length === 0) {
    const headerTo = joinAddresses(message.to);
    return [...message.to, ...ccAndBcc].map((address) => ({
      address: { email: address.addrSpec, header_to: headerTo },
    }));
  }
  const toRecipients = message.to.map((address) => {
    const recipient: SparkPostRecipient = {
      address: { email: address.addrSpec, header_to: address.address },
    };
    const substitutionData = message.mergeData?.[address.addrSpec];
    if (substitutionData) recipient.substitution_data = substitutionData;
    const metadata = message.mergeMetadata?.[address.addrSpec];
    if (metadata) recipient.metadata = metadata;
    return recipient;
  });
  const copies = toRecipients.flatMap((toRecipient) =>
    ccAndBcc.map((address) =>
      shallowMerge(toRecipient, {
        address: { email: address.addrSpec, header_to: toRecipient.address.header_to },
      }),
    ),
  );
  return [...toRecipients, ...copies];
}

/**
 * How many `recipients` entries the transmission sends (cc/bcc copies included), or null
 * when espExtra replaced them with something that is not a list (a stored list_id).
 */
export function sentRecipientCount(message: NormalizedMessage): number | null {
  const replaced = message.espExtra?.recipients;
  if (replaced !== undefined) return Array.isArray(replaced) ? replaced.length : null;
  return buildRecipients(message).length;
}

function buildOptions(message: NormalizedMessage): SparkPostOptionsBlock | null {
  const options: SparkPostOptionsBlock = {};
  if (message.sendAt) options.start_time = formatStartTime(message.sendAt);
  if (message.trackClicks !== null) options.click_tracking = message.trackClicks;
  if (message.trackOpens !== null) options.open_tracking = message.trackOpens;
  return Object.keys(options).length > 0 ? options : null;
}

/** ISO 8601 in UTC without fractional seconds: "2022-05-06T07:08:09+00:00". */
export function formatStartTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "+00:00");
}

function joinAddresses(addresses: readonly EmailAddress[]): string {
  return addresses.map((address) => address.address).join(", ");
}
