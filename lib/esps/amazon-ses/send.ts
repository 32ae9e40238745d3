/**
 * @module
 * Amazon SES sending through the AWS SDK (SES v1 API, as the spec): SendRawEmail for
 * ordinary messages, SendBulkTemplatedEmail for `templateId`.
 */
import { domainToASCII } from "node:url";
// SDK types only inside this file's functions: published declarations never name the SDK
import type {
  SendBulkTemplatedEmailCommandInput,
  SendBulkTemplatedEmailCommandOutput,
  SendRawEmailCommandInput,
  SendRawEmailCommandOutput,
  SESClient,
} from "@aws-sdk/client-ses";
import mimeFuncs from "nodemailer/lib/mime-funcs/index.js";
import { AnymailAPIError, AnymailConfigurationError } from "../../errors.js";
import { formatAddress, type EmailAddress } from "../../sender/address.js";
import {
  allRecipients,
  type AnymailMessage,
  type NormalizedMessage,
} from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import { clientConfig, loadSdk, toApiError, type AwsSettings } from "./aws.js";
import { composeMime } from "./mime.js";

type SesModule = typeof import("@aws-sdk/client-ses");

/** createSender("amazon_ses", options): the settings of this ESP. */
export interface AmazonSesOptions extends AwsSettings {
  /**
   * Configuration Set for every send (env AMAZON_SES_CONFIGURATION_SET_NAME);
   * `espExtra.ConfigurationSetName` overrides it per message.
   * @default none
   */
  configurationSetName?: string;
  /**
   * Also send the message's single tag as the SES Message Tag with this name
   * (env AMAZON_SES_MESSAGE_TAG_NAME).
   * @default none
   */
  messageTagName?: string;
}

// SES Message Tag names and values: "A-Z a-z 0-9 - and _ only", at most 256 characters.
const MESSAGE_TAG_CHARS = /^[A-Za-z0-9_-]{1,256}$/;

// Standard message fields that SES takes only from the message itself (spec "No global
// send defaults for non-Anymail options"); a send default for one is unsupported.
const STANDARD_FIELDS = [
  "from",
  "to",
  "cc",
  "bcc",
  "replyTo",
  "subject",
  "text",
  "html",
  "alternatives",
  "attachments",
  "headers",
] as const satisfies readonly (keyof AnymailMessage & keyof NormalizedMessage)[];

// Fields a caller may also give as a header of the same name.
const HEADER_NAMES: Partial<Record<(typeof STANDARD_FIELDS)[number], string>> = {
  from: "from",
  replyTo: "reply-to",
};

/** Sends one message; the adapter's `send`. */
export async function sendMessage(
  message: NormalizedMessage,
  ctx: SendContext,
): Promise<SendResult> {
  const settings = ctx.settings as AmazonSesOptions;
  const client = await ctx.memo("amazon-ses-client", () => createSesClient(settings));
  const { SendRawEmailCommand, SendBulkTemplatedEmailCommand } = await loadSdk<SesModule>(
    "ses",
    settings,
  );
  if (message.templateId !== null) {
    const params = buildTemplatedParams(message, ctx);
    const output = await callSes(
      () => client.send(new SendBulkTemplatedEmailCommand(params)),
      "SendBulkTemplatedEmail",
    );
    return { recipients: parseTemplatedResponse(output, message), espResponse: output };
  }
  const params = await buildRawParams(message, ctx);
  const output = await callSes(() => client.send(new SendRawEmailCommand(params)), "SendRawEmail");
  return { recipients: parseRawResponse(output, message), espResponse: output };
}

/** The SendRawEmail parameters: the whole MIME message plus the SES envelope. */
async function buildRawParams(
  message: NormalizedMessage,
  ctx: SendContext,
): Promise<SendRawEmailCommandInput> {
  const settings = ctx.settings as AmazonSesOptions;
  checkNoStandardDefaults(message, ctx);
  if (message.mergeData !== null) ctx.unsupported("mergeData without templateId");
  if (message.mergeGlobalData !== null) ctx.unsupported("mergeGlobalData without templateId");

  const metadataJson =
    message.metadata === null ? null : ctx.serializeJson(message.metadata, "metadata");
  const params: SendRawEmailCommandInput = { RawMessage: undefined };
  if (settings.configurationSetName) params.ConfigurationSetName = settings.configurationSetName;
  // SES can read the envelope sender from a single From address only ("Illegal address")
  const source = message.envelopeSender ?? (message.fromAll.length > 1 ? message.from : null);
  if (source) params.Source = asciiAddrSpec(source);
  params.Destinations = allRecipients(message).map(asciiAddrSpec);
  params.RawMessage = { Data: await composeMime(message, { metadataJson }) };
  const tag = messageTag(message.tags, settings, ctx);
  if (tag) params.Tags = [tag];
  return { ...params, ...message.espExtra } as SendRawEmailCommandInput;
}

/** The SendBulkTemplatedEmail parameters: one destination per `to`, cc and bcc in each. */
function buildTemplatedParams(
  message: NormalizedMessage,
  ctx: SendContext,
): SendBulkTemplatedEmailCommandInput {
  const settings = ctx.settings as AmazonSesOptions;
  // spec "Amazon's templated email APIs don't support several features"
  if (message.attachments.length > 0) ctx.unsupported("attachments with template");
  if (Object.keys(message.headers).length > 0) ctx.unsupported("extra headers with template");
  if (message.subject) ctx.unsupported("overriding template subject");
  if (message.text || message.html || message.alternatives.length > 0) {
    ctx.unsupported("overriding template body content");
  }
  if (message.metadata !== null) ctx.unsupported("metadata with template");
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
function parseRawResponse(
  output: SendRawEmailCommandOutput,
  message: NormalizedMessage,
): Record<string, RecipientStatus> {
  const messageId = output.MessageId;
  if (typeof messageId !== "string") {
    throw new AnymailAPIError("Amazon SES SendRawEmail answered without a MessageId", {
      espName: "Amazon SES",
      response: output,
    });
  }
  const recipients: Record<string, RecipientStatus> = {};
  for (const recipient of allRecipients(message)) {
    recipients[recipient.addrSpec] = { status: "queued", messageId };
  }
  return recipients;
}

/** SES answers one status per destination, in the order of `to`. */
function parseTemplatedResponse(
  output: SendBulkTemplatedEmailCommandOutput,
  message: NormalizedMessage,
): Record<string, RecipientStatus> {
  const statuses = output.Status ?? [];
  if (statuses.length !== message.to.length) {
    throw new AnymailAPIError(
      `Amazon SES SendBulkTemplatedEmail answered ${statuses.length} statuses ` +
        `for ${message.to.length} destinations`,
      { espName: "Amazon SES", response: output },
    );
  }
  const recipients: Record<string, RecipientStatus> = {};
  message.to.forEach((to, index) => {
    const { Status: status, MessageId: messageId } = statuses[index];
    recipients[to.addrSpec] = {
      status: status === "Success" ? "queued" : "failed",
      messageId: messageId ?? null,
    };
  });
  return recipients;
}

async function createSesClient(settings: AmazonSesOptions): Promise<SESClient> {
  const { SESClient } = await loadSdk<SesModule>("ses", settings);
  return new SESClient(clientConfig(settings));
}

async function callSes<T>(call: () => Promise<T>, operation: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toApiError(error, operation);
  }
}

/** The single SES Message Tag from `messageTagName` and the message's one tag, or null. */
function messageTag(
  tags: readonly string[],
  settings: AmazonSesOptions,
  ctx: SendContext,
): { Name: string; Value: string } | null {
  const name = settings.messageTagName;
  if (!name || tags.length === 0) return null;
  if (!MESSAGE_TAG_CHARS.test(name)) {
    throw new AnymailConfigurationError(
      `Amazon SES messageTagName "${name}" may use only letters, digits, "_" and "-"`,
      { espName: ctx.espName },
    );
  }
  if (tags.length > 1) ctx.unsupported("multiple tags with the messageTagName setting");
  if (!MESSAGE_TAG_CHARS.test(tags[0])) {
    ctx.unsupported(`tag "${tags[0]}" as an SES Message Tag (letters, digits, "_" and "-" only)`);
    return null;
  }
  return { Name: name, Value: tags[0] };
}

/** Standard fields filled only by send defaults are unsupported (spec; 8.1 raises too). */
function checkNoStandardDefaults(message: NormalizedMessage, ctx: SendContext): void {
  const original = ctx.original;
  const headerNames = Object.keys(original.headers ?? {}).map((name) => name.toLowerCase());
  for (const field of STANDARD_FIELDS) {
    const value = message[field];
    const present = Array.isArray(value)
      ? value.length > 0
      : typeof value === "object" && value !== null
        ? Object.keys(value).length > 0
        : value !== null && value !== "";
    if (!present || original[field] !== undefined) continue;
    const header = HEADER_NAMES[field];
    if (header && headerNames.includes(header)) continue;
    ctx.unsupported(`send defaults for "${field}" with Amazon SES`);
  }
}

/** addr-spec with an IDN domain in Punycode, as SES requires for envelope addresses. */
function asciiAddrSpec(address: EmailAddress): string {
  const ascii = domainToASCII(address.domain);
  return ascii ? `${address.username}@${ascii}` : address.addrSpec;
}

/** A full address for SES's API fields: non-ASCII display names RFC 2047-encoded. */
function sesAddress(address: EmailAddress): string {
  const name = address.displayName;
  const addrSpec = asciiAddrSpec(address);
  if (/^[\x20-\x7e]*$/.test(name)) return formatAddress(name, addrSpec);
  return `${mimeFuncs.encodeWords(name, "B", 52)} <${addrSpec}>`;
}
