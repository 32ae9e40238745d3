/**
 * @module
 * Amazon SES sending through the AWS SDK: SES v2 by default (SendEmail, SendBulkEmail for
 * `templateId`), or the 8.1 spec's v1 API with `apiVersion: 1` (SendRawEmail,
 * SendBulkTemplatedEmail). One SDK client per sender.
 */
import type { NormalizedMessage } from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import { clientConfig, loadSdk, toApiError, withAnymailUserAgent } from "./aws.js";
import type { SendSettings } from "./index.js";
import type { BuildContext } from "./parts.js";
import {
  buildRawParams,
  buildTemplatedParams,
  parseRawResponse,
  parseTemplatedResponse,
  type SendBulkTemplatedEmailAnswer,
  type SendBulkTemplatedEmailParams,
  type SendRawEmailAnswer,
  type SendRawEmailParams,
} from "./v1.js";
import {
  buildSendBulkEmailParams,
  buildSendEmailParams,
  parseSendBulkEmailAnswer,
  parseSendEmailAnswer,
  type SendBulkEmailAnswer,
  type SendBulkEmailParams,
  type SendEmailAnswer,
  type SendEmailParams,
} from "./v2.js";

type SesContext = SendContext<SendSettings>;

/** One SES call: the operation (of the configured API version) and its parameters. */
export type SesRequest =
  | { operation: "SendEmail"; params: SendEmailParams }
  | { operation: "SendBulkEmail"; params: SendBulkEmailParams }
  | { operation: "SendRawEmail"; params: SendRawEmailParams }
  | { operation: "SendBulkTemplatedEmail"; params: SendBulkTemplatedEmailParams };

/** The SDK's answer to that call (the parts Anymail reads are typed). */
export type SesResponse = { operation: SesRequest["operation"]; output: object };

/** Sends one message; the adapter's `send`. */
export async function send(message: NormalizedMessage, ctx: SesContext): Promise<SendResult> {
  const request = await buildRequest(message, ctx);
  let output: object;
  try {
    output = await callSdk(request, ctx);
  } catch (error) {
    throw toApiError(error, request.operation, ctx.espName);
  }
  const response = { operation: request.operation, output };
  return { recipients: parseResponse(response, message, ctx), espResponse: output };
}

/** The SES call for a message (no I/O). */
export async function buildRequest(
  message: NormalizedMessage,
  ctx: BuildContext,
): Promise<SesRequest> {
  const templated = message.templateId !== null;
  if (ctx.settings.apiVersion === 1) {
    return templated
      ? { operation: "SendBulkTemplatedEmail", params: buildTemplatedParams(message, ctx) }
      : { operation: "SendRawEmail", params: await buildRawParams(message, ctx) };
  }
  return templated
    ? { operation: "SendBulkEmail", params: buildSendBulkEmailParams(message, ctx) }
    : { operation: "SendEmail", params: await buildSendEmailParams(message, ctx) };
}

/** The SDK's answer → per-recipient statuses. */
export function parseResponse(
  response: SesResponse,
  message: NormalizedMessage,
  ctx: Pick<SesContext, "espName">,
): Record<string, RecipientStatus> {
  const { output } = response;
  switch (response.operation) {
    case "SendEmail":
      return parseSendEmailAnswer(output as SendEmailAnswer, message, ctx);
    case "SendBulkEmail":
      return parseSendBulkEmailAnswer(output as SendBulkEmailAnswer, message, ctx);
    case "SendRawEmail":
      return parseRawResponse(output as SendRawEmailAnswer, message, ctx);
    case "SendBulkTemplatedEmail":
      return parseTemplatedResponse(output as SendBulkTemplatedEmailAnswer, message, ctx);
  }
}

/** Sends the command through this sender's client of the configured API version. */
async function callSdk(request: SesRequest, ctx: SesContext): Promise<object> {
  const { settings } = ctx;
  if (request.operation === "SendEmail" || request.operation === "SendBulkEmail") {
    const sdk = (await loadSdk("sesv2", settings)) as typeof import("@aws-sdk/client-sesv2");
    const client = await ctx.memo("amazon-ses-v2-client", () =>
      withAnymailUserAgent(new sdk.SESv2Client(clientConfig(settings))),
    );
    // the params match the SDK's input shapes (v2.ts spells them out without SDK types)
    return request.operation === "SendEmail"
      ? client.send(new sdk.SendEmailCommand(request.params as never))
      : client.send(new sdk.SendBulkEmailCommand(request.params as never));
  }
  const sdk = (await loadSdk("ses", settings)) as typeof import("@aws-sdk/client-ses");
  const client = await ctx.memo("amazon-ses-client", () =>
    withAnymailUserAgent(new sdk.SESClient(clientConfig(settings))),
  );
  return request.operation === "SendRawEmail"
    ? client.send(new sdk.SendRawEmailCommand(request.params as never))
    : client.send(new sdk.SendBulkTemplatedEmailCommand(request.params as never));
}
