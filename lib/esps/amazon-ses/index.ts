/**
 * @module
 * Amazon SES: sending through the AWS SDK, tracking and inbound webhooks over Amazon SNS.
 */
import { setting } from "../../settings.js";
import { defineEsp } from "../types.js";
import { isRecord } from "../../util/records.js";
import { checkSesInstalled, type AmazonSesSdkModules } from "./aws.js";
import { inboundHandler } from "./inbound.js";
import { sendMessage } from "./send.js";
import { trackingHandler } from "./tracking.js";

function awsParams(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  throw new TypeError("must be an object of AWS SDK client parameters");
}

function sdkModules(value: unknown): AmazonSesSdkModules {
  if (isRecord(value)) return value as AmazonSesSdkModules;
  throw new TypeError("must be an object of AWS SDK modules ({ ses, sns, s3 })");
}

function certificateFetcher(value: unknown): (url: string) => Promise<string> {
  if (typeof value === "function") return value as (url: string) => Promise<string>;
  throw new TypeError("must be a function from a certificate URL to its PEM text");
}

export const adapter = defineEsp({
  name: "amazon_ses",
  displayName: "Amazon SES",
  settings: {
    clientParams: setting.custom(awsParams, { optionOnly: false }),
    sessionParams: setting.custom(awsParams, { optionOnly: false }),
    configurationSetName: setting.string(),
    messageTagName: setting.string(),
    sdk: setting.custom(sdkModules),
  },
  features: {
    envelopeSender: true,
    metadata: true,
    // batch sends (SendBulkTemplatedEmail) cannot carry the X-Metadata header
    mergeMetadata: false,
    tags: true,
    // per-message tracking only through espExtra.ConfigurationSetName
    trackOpens: false,
    trackClicks: false,
    sendAt: false,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true,
    mergeHeaders: false,
    attachments: true,
    inlineImages: true,
    alternatives: true,
    replyTo: true,
    multipleFrom: true,
    spoofedTo: true,
  },
  checkInstalled: checkSesInstalled,
  send: sendMessage,
  webhookSettings: {
    autoConfirmSnsSubscriptions: setting.boolean({ default: true }),
    verifySnsSignatures: setting.boolean({ default: true }),
    snsTopicArns: setting.stringList(),
    clientParams: setting.custom(awsParams, { optionOnly: false }),
    sessionParams: setting.custom(awsParams, { optionOnly: false }),
    sdk: setting.custom(sdkModules),
    fetchSnsCertificate: setting.custom(certificateFetcher),
  },
  // SNS sends basic auth credentials only after a 401 challenge
  basicAuthChallenge: true,
  tracking: trackingHandler,
  inbound: inboundHandler,
});
