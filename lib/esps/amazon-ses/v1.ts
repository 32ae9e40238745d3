/**
 * @module
 * Amazon SES v1 (the 8.1 spec's API; `apiVersion: 1`): SendRawEmail for ordinary messages,
 * SendBulkTemplatedEmail for `templateId`.
 */
import type {
  SendBulkTemplatedEmailCommandInput,
  SendBulkTemplatedEmailCommandOutput,
  SendRawEmailCommandInput,
  SendRawEmailCommandOutput,
} from "@aws-sdk/client-ses";
import { AnymailAPIError } from "../../errors.js";
import type { NormalizedMessage } from "../../sender/message.js";
import { perToRecipient, sameStatusForAll } from "../../sender/recipients.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext } from "../types.js";
import { composeMime } from "./mime.js";
import { asciiAddrSpec, checkRawSend, messageTag, sesAddress, type BuildContext } from "./parts.js";

/** The SendRawEmail parameters: the whole MIME message plus the SES envelope. */
export async function buildRawParams(
  message: NormalizedMessage,
  ctx: BuildContext,
): Promise<SendRawEmailCommandInput> {
  const settings = ctx.settings;
  const metadataJson = checkRawSend(message, ctx, "with apiVersion 1");
  const params: SendRawEmailCommandInput = { RawMessage: undefined };
  if (settings.configurationSetName) params.ConfigurationSetName = settings.configurationSetName;
  // SES can read the envelope sender from a single From address only ("Illegal address")
  const source = message.envelopeSender ?? (message.fromAll.length > 1 ? message.from : null);
  if (source) params.Source = asciiAddrSpec(source);
  params.Destinations = [...message.to, ...message.cc, ...message.bcc].map(asciiAddrSpec);
  params.RawMessage = { Data: await composeMime(message, { metadataJson }) };
  const tag = messageTag(message.tags, settings, ctx);
  if (tag) params.Tags = [tag];
  return { ...params, ...message.espExtra } as SendRawEmailCommandInput;
}

/** The SendBulkTemplatedEmail parameters: one destination per `to`, cc and bcc in each. */
export function buildTemplatedParams(
  message: NormalizedMessage,
  ctx: BuildContext,
): SendBulkTemplatedEmailCommandInput {
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
  const params: SendBulkTemplatedEmailCommandInput = {
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
  return { ...params, ...message.espExtra } as SendBulkTemplatedEmailCommandInput;
}

/** Every recipient of a raw send shares SES's one MessageId, queued. */
export function parseRawResponse(
  output: Partial<Pick<SendRawEmailCommandOutput, "MessageId">>,
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
  output: Partial<Pick<SendBulkTemplatedEmailCommandOutput, "Status">>,
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
