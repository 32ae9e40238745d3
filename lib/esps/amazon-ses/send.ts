/**
 * @module
 * Amazon SES sending through the AWS SDK (SES v1 API, as the spec): SendRawEmail for
 * ordinary messages, SendBulkTemplatedEmail for `templateId`.
 */
import { domainToASCII } from "node:url";
import type {
  SendBulkTemplatedEmailCommandInput,
  SendBulkTemplatedEmailCommandOutput,
  SendRawEmailCommandInput,
  SendRawEmailCommandOutput,
  SESClient,
} from "@aws-sdk/client-ses";
import { AnymailAPIError, AnymailConfigurationError } from "../../errors.js";
import { formatAddress, type EmailAddress } from "../../sender/address.js";
import { type AnymailMessage, type NormalizedMessage } from "../../sender/message.js";
import { perToRecipient, sameStatusForAll } from "../../sender/recipients.js";
import type { RecipientStatus } from "../../sender/status.js";
import { encodeMimeWords, isPrintableAscii } from "../../util/mime-words.js";
import type { SendContext, SendResult } from "../types.js";
import { clientConfig, loadSdk, toApiError, withAnymailUserAgent } from "./aws.js";
import type { SendSettings } from "./index.js";
import { composeMime } from "./mime.js";

type SesContext = SendContext<SendSettings>;
type BuildContext = Pick<
  SesContext,
  "espName" | "settings" | "original" | "unsupported" | "serializeJson"
>;

/** One SES v1 call: the operation and its parameters. */
export type SesRequest =
  | { operation: "SendRawEmail"; params: SendRawEmailCommandInput }
  | { operation: "SendBulkTemplatedEmail"; params: SendBulkTemplatedEmailCommandInput };

/** The SDK's answer to that call. */
export type SesResponse =
  | { operation: "SendRawEmail"; output: SendRawEmailCommandOutput }
  | { operation: "SendBulkTemplatedEmail"; output: SendBulkTemplatedEmailCommandOutput };

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
export async function send(message: NormalizedMessage, ctx: SesContext): Promise<SendResult> {
  const request = await buildRequest(message, ctx);
  const client = await ctx.memo("amazon-ses-client", () => createSesClient(ctx.settings));
  const sdk = await loadSdk("ses", ctx.settings);
  let response: SesResponse;
  try {
    response =
      request.operation === "SendRawEmail"
        ? { ...request, output: await client.send(new sdk.SendRawEmailCommand(request.params)) }
        : {
            ...request,
            output: await client.send(new sdk.SendBulkTemplatedEmailCommand(request.params)),
          };
  } catch (error) {
    throw toApiError(error, request.operation, ctx.espName);
  }
  return { recipients: parseResponse(response, message, ctx), espResponse: response.output };
}

/** The SES call for a message (no I/O): SendBulkTemplatedEmail with a template, else SendRawEmail. */
export async function buildRequest(
  message: NormalizedMessage,
  ctx: BuildContext,
): Promise<SesRequest> {
  return message.templateId !== null
    ? { operation: "SendBulkTemplatedEmail", params: buildTemplatedParams(message, ctx) }
    : { operation: "SendRawEmail", params: await buildRawParams(message, ctx) };
}

/** The SDK's answer → per-recipient statuses. */
export function parseResponse(
  response: SesResponse,
  message: NormalizedMessage,
  ctx: Pick<SesContext, "espName">,
): Record<string, RecipientStatus> {
  return response.operation === "SendRawEmail"
    ? parseRawResponse(response.output, message, ctx)
    : parseTemplatedResponse(response.output, message, ctx);
}

/** The SendRawEmail parameters: the whole MIME message plus the SES envelope. */
export async function buildRawParams(
  message: NormalizedMessage,
  ctx: BuildContext,
): Promise<SendRawEmailCommandInput> {
  const settings = ctx.settings;
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
  output: SendRawEmailCommandOutput,
  message: NormalizedMessage,
  ctx: Pick<SesContext, "espName">,
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
  output: SendBulkTemplatedEmailCommandOutput,
  message: NormalizedMessage,
  ctx: Pick<SesContext, "espName">,
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

async function createSesClient(settings: SendSettings): Promise<SESClient> {
  const { SESClient } = await loadSdk("ses", settings);
  return withAnymailUserAgent(new SESClient(clientConfig(settings)));
}

/** The single SES Message Tag from `messageTagName` and the message's one tag, or null. */
function messageTag(
  tags: readonly string[],
  settings: SendSettings,
  ctx: BuildContext,
): { Name: string; Value: string } | null {
  const name = settings.messageTagName;
  if (!name || tags.length === 0) return null;
  if (!MESSAGE_TAG_CHARS.test(name)) {
    throw new AnymailConfigurationError(
      `${ctx.espName} messageTagName "${name}" may use only letters, digits, "_" and "-"`,
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
function checkNoStandardDefaults(message: NormalizedMessage, ctx: BuildContext): void {
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
    ctx.unsupported(`send defaults for "${field}" with ${ctx.espName}`);
  }
}

/** addr-spec with an IDN domain in Punycode, as SES requires for envelope addresses. */
function asciiAddrSpec(address: EmailAddress): string {
  const ascii = domainToASCII(address.domain);
  return ascii ? `${address.username}@${ascii}` : address.addrSpec;
}

/**
 * A full address for SES's API fields, display name kept (#17 item 7): printable ASCII names
 * quoted as RFC 5322 needs, others RFC 2047-encoded, the domain in Punycode.
 */
export function sesAddress(address: EmailAddress): string {
  const name = address.displayName;
  const addrSpec = asciiAddrSpec(address);
  if (isPrintableAscii(name)) return formatAddress(name, addrSpec);
  return `${encodeMimeWords(name)} <${addrSpec}>`;
}
