/**
 * @module
 * Amazon SES v1 (the 8.1 spec's API; `apiVersion: 1`): SendRawEmail for ordinary messages,
 * SendBulkTemplatedEmail for `templateId`. The parameter shapes are written out here so
 * that no published type names the optional @aws-sdk packages.
 */
import { AnymailAPIError } from "../../errors.js";
import type { NormalizedMessage } from "../../sender/message.js";
import { perToRecipient, sameStatusForAll } from "../../sender/recipients.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext } from "../types.js";
import { composeMime } from "./mime.js";
import { asciiAddrSpec, checkRawSend, messageTag, sesAddress, type BuildContext } from "./parts.js";

interface NameValue {
  Name: string;
  Value: string;
}

/** SendRawEmail's parameters, as Anymail builds them (espExtra may add any other). */
export interface SendRawEmailParams {
  Source?: string;
  Destinations?: string[];
  RawMessage: { Data: Uint8Array } | undefined;
  ConfigurationSetName?: string;
  Tags?: NameValue[];
  [espExtra: string]: unknown;
}

/** SendBulkTemplatedEmail's parameters, as Anymail builds them. */
export interface SendBulkTemplatedEmailParams {
  Source: string | undefined;
  Template: string;
  DefaultTemplateData: string | undefined;
  Destinations:
    | {
        Destination: { ToAddresses: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
        ReplacementTemplateData: string;
      }[]
    | undefined;
  ConfigurationSetName?: string;
  ReplyToAddresses?: string[];
  ReturnPath?: string;
  DefaultTags?: NameValue[];
  [espExtra: string]: unknown;
}

/** The parts of SES v1's answers Anymail reads. */
export interface SendRawEmailAnswer {
  MessageId?: string;
}
export interface SendBulkTemplatedEmailAnswer {
  Status?: { Status?: string; MessageId?: string }[];
}

/** The SendRawEmail parameters: the whole MIME message plus the SES envelope. */
export async function buildRawParams(
  message: NormalizedMessage,
  ctx: BuildContext,
): Promise<SendRawEmailParams> {
  const settings = ctx.settings;
  const metadataJson = checkRawSend(message, ctx, "with apiVersion 1");
  const params: SendRawEmailParams = { RawMessage: undefined };
  if (settings.configurationSetName) params.ConfigurationSetName = settings.configurationSetName;
  // SES can read the envelope sender from a single From address only ("Illegal address")
  const source = message.envelopeSender ?? (message.fromAll.length > 1 ? message.from : null);
  if (source) params.Source = asciiAddrSpec(source);
  params.Destinations = [...message.to, ...message.cc, ...message.bcc].map(asciiAddrSpec);
  params.RawMessage = { Data: await composeMime(message, { metadataJson }) };
  const tag = messageTag(message.tags, settings, ctx);
  if (tag) params.Tags = [tag];
  return { ...params, ...message.espExtra };
}

/** The SendBulkTemplatedEmail parameters: one destination per `to`, cc and bcc in each. */
export function buildTemplatedParams(
  message: NormalizedMessage,
  ctx: BuildContext,
): SendBulkTemplatedEmailParams {
  const settings = ctx.settings;
  // spec "Amazon's templated email APIs don't support several features"
  if (message.attachments.length > 0) ctx.unsupported("attachments with template");
  if (Object.keys(message.headers).length > 0) ctx.unsupported("extra headers with template");
  if (message.subject) ctx.unsupported("overriding template subject");
  if (message.text || message.html || message.alternatives.length > 0) {
    ctx.unsupported("overriding template body content");
  }
  if (message.metadata !== null) ctx.unsupported("metadata with template");
  if (message.mergeMetadata !== null) ctx.unsupported("mergeMetadata with apiVersion 1");
  if (message.mergeHeaders !== null) ctx.unsupported("mergeHeaders with apiVersion 1");
  if (message.tags.length > 0 && !settings.messageTagName) {
    ctx.unsupported("tags with template (unless using the messageTagName setting)");
  }

  const copies: { CcAddresses?: string[]; BccAddresses?: string[] } = {};
  if (message.cc.length > 0) copies.CcAddresses = message.cc.map(sesAddress);
  if (message.bcc.length > 0) copies.BccAddresses = message.bcc.map(sesAddress);
  const params: SendBulkTemplatedEmailParams = {
    Source: undefined,
    Template: String(message.templateId),
    DefaultTemplateData: undefined,
    Destinations: undefined,
  };
  if (settings.configurationSetName) params.ConfigurationSetName = settings.configurationSetName;
  if (message.from) params.Source = sesAddress(message.from);
  if (message.replyTo.length > 0) params.ReplyToAddresses = message.replyTo.map(sesAddress);
  if (message.envelopeSender) params.ReturnPath = asciiAddrSpec(message.envelopeSender);
  params.Destinations = message.to.map((to) => ({
    Destination: { ToAddresses: [sesAddress(to)], ...copies },
    ReplacementTemplateData: ctx.serializeJson(
      message.mergeData?.[to.addrSpec] ?? {},
      `mergeData["${to.addrSpec}"]`,
    ),
  }));
  // required by the SES API even when the template needs no defaults
  params.DefaultTemplateData = ctx.serializeJson(message.mergeGlobalData ?? {}, "mergeGlobalData");
  const tag = messageTag(message.tags, settings, ctx);
  if (tag) params.DefaultTags = [tag];
  return { ...params, ...message.espExtra };
}

/** Every recipient of a raw send shares SES's one MessageId, queued. */
export function parseRawResponse(
  output: SendRawEmailAnswer,
  message: NormalizedMessage,
  ctx: Pick<SendContext, "espName">,
): Record<string, RecipientStatus> {
  const messageId = output.MessageId;
  if (typeof messageId !== "string") {
    throw new AnymailAPIError(`${ctx.espName} SendRawEmail answered without a MessageId`, {
      espName: ctx.espName,
      response: output,
    });
  }
  return sameStatusForAll(message, "queued", messageId);
}

/** SES answers one status per destination, in the order of `to`. */
export function parseTemplatedResponse(
  output: SendBulkTemplatedEmailAnswer,
  message: NormalizedMessage,
  ctx: Pick<SendContext, "espName">,
): Record<string, RecipientStatus> {
  const statuses = output.Status ?? [];
  if (statuses.length !== message.to.length) {
    throw new AnymailAPIError(
      `${ctx.espName} SendBulkTemplatedEmail answered ${statuses.length} statuses ` +
        `for ${message.to.length} destinations`,
      { espName: ctx.espName, response: output },
    );
  }
  return perToRecipient(message, (_, index) => {
    const { Status: status, MessageId: messageId } = statuses[index];
    return { status: status === "Success" ? "queued" : "failed", messageId: messageId ?? null };
  });
}
