/**
 * @module
 * Amazon SES v2 (the default; #20): SendEmail with the whole MIME message as Raw content,
 * SendBulkEmail for `templateId` (one entry per `to`, each with its merge data, headers,
 * metadata and tags as ReplacementHeaders). The parameter shapes are written out here so
 * that no published type names the optional @aws-sdk packages.
 * @see https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 * @see https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendBulkEmail.html
 */
import { AnymailAPIError } from "../../errors.js";
import { mergeHeaders, type NormalizedMessage } from "../../sender/message.js";
import { perToRecipient, sameStatusForAll } from "../../sender/recipients.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext } from "../types.js";
import { composeMime, METADATA_HEADER, TAG_HEADER } from "./mime.js";
import { asciiAddrSpec, checkRawSend, messageTag, sesAddress, type BuildContext } from "./parts.js";

interface Destination {
  ToAddresses?: string[];
  CcAddresses?: string[];
  BccAddresses?: string[];
}
interface NameValue {
  Name: string;
  Value: string;
}

/** SendEmail's parameters, as Anymail builds them (espExtra may add any other). */
export interface SendEmailParams {
  FromEmailAddress?: string;
  Destination: Destination;
  FeedbackForwardingEmailAddress?: string;
  Content: { Raw: { Data: Uint8Array } };
  EmailTags?: NameValue[];
  ConfigurationSetName?: string;
  /** Subscription management: `{ ContactListName, TopicName }` (through espExtra). */
  ListManagementOptions?: { ContactListName: string; TopicName?: string };
  [espExtra: string]: unknown;
}

/** SendBulkEmail's parameters, as Anymail builds them. */
export interface SendBulkEmailParams {
  FromEmailAddress?: string;
  ReplyToAddresses?: string[];
  FeedbackForwardingEmailAddress?: string;
  DefaultContent: { Template: { TemplateName: string; TemplateData: string } };
  BulkEmailEntries: {
    Destination: Destination;
    ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: string } };
    ReplacementHeaders?: NameValue[];
  }[];
  DefaultEmailTags?: NameValue[];
  ConfigurationSetName?: string;
  [espExtra: string]: unknown;
}

/** The parts of SES v2's answers Anymail reads. */
export interface SendEmailAnswer {
  MessageId?: string;
}
export interface SendBulkEmailAnswer {
  BulkEmailEntryResults?: { Status?: string; Error?: string; MessageId?: string }[];
}

/** SendEmail: the whole MIME message (Bcc only in Destination), plus the envelope. */
export async function buildSendEmailParams(
  message: NormalizedMessage,
  ctx: BuildContext,
): Promise<SendEmailParams> {
  const metadataJson = checkRawSend(message, ctx, "without templateId");
  const destination: Destination = {};
  if (message.to.length > 0) destination.ToAddresses = message.to.map(asciiAddrSpec);
  if (message.cc.length > 0) destination.CcAddresses = message.cc.map(asciiAddrSpec);
  if (message.bcc.length > 0) destination.BccAddresses = message.bcc.map(asciiAddrSpec);
  const params: SendEmailParams = {
    Destination: destination,
    Content: { Raw: { Data: await composeMime(message, { metadataJson }) } },
    ...envelopeParams(message, ctx),
  };
  // SES reads the sender from a single From header only ("Illegal address")
  if (message.fromAll.length > 1 && message.from) {
    params.FromEmailAddress = asciiAddrSpec(message.from);
  }
  const tag = messageTag(message.tags, ctx.settings, ctx);
  if (tag) params.EmailTags = [tag];
  return { ...params, ...message.espExtra };
}

/** SendBulkEmail: one entry per `to`, cc and bcc in each, per-entry data and headers. */
export function buildSendBulkEmailParams(
  message: NormalizedMessage,
  ctx: BuildContext,
): SendBulkEmailParams {
  // spec "Amazon's templated email APIs don't support several features" (v2 adds headers)
  if (message.attachments.length > 0) ctx.unsupported("attachments with template");
  if (message.subject) ctx.unsupported("overriding template subject");
  if (message.text || message.html || message.alternatives.length > 0) {
    ctx.unsupported("overriding template body content");
  }
  const copies: Destination = {};
  if (message.cc.length > 0) copies.CcAddresses = message.cc.map(sesAddress);
  if (message.bcc.length > 0) copies.BccAddresses = message.bcc.map(asciiAddrSpec);
  const params: SendBulkEmailParams = {
    DefaultContent: {
      Template: {
        TemplateName: String(message.templateId),
        // SES needs template data even when the template has no variables
        TemplateData: ctx.serializeJson(message.mergeGlobalData ?? {}, "mergeGlobalData"),
      },
    },
    BulkEmailEntries: message.to.map((to) => {
      const headers = entryHeaders(message, to.addrSpec, ctx);
      return {
        Destination: { ToAddresses: [sesAddress(to)], ...copies },
        ReplacementEmailContent: {
          ReplacementTemplate: {
            ReplacementTemplateData: ctx.serializeJson(
              message.mergeData?.[to.addrSpec] ?? {},
              `mergeData["${to.addrSpec}"]`,
            ),
          },
        },
        ...(headers.length > 0 ? { ReplacementHeaders: headers } : {}),
      };
    }),
  };
  Object.assign(params, envelopeParams(message, ctx));
  if (message.from) params.FromEmailAddress = sesAddress(message.from);
  if (message.replyTo.length > 0) params.ReplyToAddresses = message.replyTo.map(sesAddress);
  const tag = messageTag(message.tags, ctx.settings, ctx);
  if (tag) params.DefaultEmailTags = [tag];
  return { ...params, ...message.espExtra };
}

/** What both v2 calls take alike: the feedback address and the configuration set. */
function envelopeParams(
  message: NormalizedMessage,
  ctx: BuildContext,
): Pick<SendEmailParams, "FeedbackForwardingEmailAddress" | "ConfigurationSetName"> {
  const params: Pick<SendEmailParams, "FeedbackForwardingEmailAddress" | "ConfigurationSetName"> =
    {};
  // v2 has no Source/ReturnPath: bounces and complaints go to this address
  if (message.envelopeSender) {
    params.FeedbackForwardingEmailAddress = asciiAddrSpec(message.envelopeSender);
  }
  if (ctx.settings.configurationSetName) {
    params.ConfigurationSetName = ctx.settings.configurationSetName;
  }
  return params;
}

/** One recipient's headers: the message's, its mergeHeaders, metadata, and one X-Tag per tag. */
function entryHeaders(message: NormalizedMessage, to: string, ctx: BuildContext): NameValue[] {
  const headers = mergeHeaders(message.headers, message.mergeHeaders?.[to] ?? {});
  const list = Object.entries(headers).map(([Name, Value]) => ({ Name, Value }));
  const metadata = { ...message.metadata, ...message.mergeMetadata?.[to] };
  if (Object.keys(metadata).length > 0) {
    list.push({ Name: METADATA_HEADER, Value: ctx.serializeJson(metadata, `metadata for ${to}`) });
  }
  for (const tag of message.tags) list.push({ Name: TAG_HEADER, Value: tag });
  return list;
}

/** Every recipient of a SendEmail shares its one MessageId, queued. */
export function parseSendEmailAnswer(
  answer: SendEmailAnswer,
  message: NormalizedMessage,
  ctx: Pick<SendContext, "espName">,
): Record<string, RecipientStatus> {
  if (typeof answer.MessageId !== "string") {
    throw new AnymailAPIError(`${ctx.espName} SendEmail answered without a MessageId`, {
      espName: ctx.espName,
      response: answer,
    });
  }
  return sameStatusForAll(message, "queued", answer.MessageId);
}

/**
 * One result per entry, in the order of `to`: SUCCESS → queued, anything else → failed
 * (one refused address must not fail the others). Every entry failing alike is an error.
 */
export function parseSendBulkEmailAnswer(
  answer: SendBulkEmailAnswer,
  message: NormalizedMessage,
  ctx: Pick<SendContext, "espName">,
): Record<string, RecipientStatus> {
  const results = answer.BulkEmailEntryResults ?? [];
  if (results.length !== message.to.length) {
    throw new AnymailAPIError(
      `${ctx.espName} SendBulkEmail answered ${results.length} results for ` +
        `${message.to.length} destinations`,
      { espName: ctx.espName, response: answer },
    );
  }
  const statuses = new Set(results.map((result) => result.Status));
  if (statuses.size === 1 && !statuses.has("SUCCESS")) {
    const [first] = results;
    throw new AnymailAPIError(
      `${ctx.espName} SendBulkEmail failed: ${first.Status ?? "unknown status"}: ${first.Error ?? ""}`,
      { espName: ctx.espName, response: answer },
    );
  }
  // as v1: statuses for the `to` recipients (cc and bcc get every entry, no id of their own)
  return perToRecipient(message, (_, index) => ({
    status: results[index].Status === "SUCCESS" ? "queued" : "failed",
    messageId: results[index].MessageId ?? null,
  }));
}
