/**
 * @module
 * Amazon SES: sending through the AWS SDK, tracking and inbound webhooks over Amazon SNS.
 * Spec: esps/amazon_ses.txt; #18 item 3 for what an SNS signature does not prove.
 */
import { setting, type SettingsOf } from "../../settings.js";
import { isRecord } from "../../util/records.js";
import { defineEsp, lazyCode } from "../types.js";
import { checkSesInstalled, type AmazonSesSdkModules } from "./aws.js";

function awsParams(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  throw new TypeError("must be an object of AWS SDK client parameters");
}

function sdkModules(value: unknown): AmazonSesSdkModules {
  if (isRecord(value)) return value;
  throw new TypeError("must be an object of AWS SDK modules ({ ses, sns, s3 })");
}

function apiVersion(value: unknown): 1 | 2 {
  if (value === 1 || value === 2) return value;
  throw new TypeError("must be 1 (the SES v1 API) or 2 (SES v2, the default)");
}

function certificateFetcher(value: unknown): (url: string) => Promise<string> {
  if (typeof value === "function") return value as (url: string) => Promise<string>;
  throw new TypeError("must be a function from a certificate URL to its PEM text");
}

/** What every AWS client is built from (both tables have them). */
const AWS_SETTINGS = {
  /** Extra client config (region, credentials, endpoint, maxAttempts, requestHandler …). */
  clientParams: setting.custom(awsParams, { optionOnly: false }),
  /** The SDK v3 stand-in for a boto3 Session: `profile`, `region`, `credentials`. */
  sessionParams: setting.custom(awsParams, { optionOnly: false }),
  /** SDK modules to use instead of importing them (bundles; tests). */
  sdk: setting.custom(sdkModules),
} as const;

export const SEND_SETTINGS = {
  ...AWS_SETTINGS,
  /** Which SES API sends: 2 (SESv2 SendEmail/SendBulkEmail, default) or 1 (the 8.1 spec's). */
  apiVersion: setting.custom(apiVersion, { optionOnly: false, default: 2 }),
  /** Configuration Set for every send; `espExtra.ConfigurationSetName` overrides it. */
  configurationSetName: setting.string(),
  /** Also send the message's single tag as the SES Message Tag with this name. */
  messageTagName: setting.string(),
} as const;
export const WEBHOOK_SETTINGS = {
  ...AWS_SETTINGS,
  /** Confirm SNS subscriptions that carried the webhook secret. */
  autoConfirmSnsSubscriptions: setting.boolean({ default: true }),
  /** Check each SNS message's signature against its signing certificate. */
  verifySnsSignatures: setting.boolean({ default: true }),
  /** Accept messages only from these SNS topics; recommended (#18 item 3). */
  snsTopicArns: setting.stringList(),
  /** Fetches a signing certificate's PEM (tests); default: the router's `fetch`. */
  fetchSnsCertificate: setting.custom(certificateFetcher),
} as const;
export type SendSettings = SettingsOf<typeof SEND_SETTINGS>;
export type WebhookSettings = SettingsOf<typeof WEBHOOK_SETTINGS>;

export const adapter = defineEsp({
  name: "amazon_ses",
  displayName: "Amazon SES",
  settings: SEND_SETTINGS,
  webhookSettings: WEBHOOK_SETTINGS,
  features: {
    envelopeSender: true,
    metadata: true,
    // SES v2 SendBulkEmail carries per-entry headers (X-Metadata); v1 refuses it in buildRequest
    mergeMetadata: true,
    tags: true,
    // per-message tracking only through espExtra.ConfigurationSetName
    trackOpens: false,
    trackClicks: false,
    sendAt: false,
    templateId: true,
    mergeData: true,
    mergeGlobalData: true,
    mergeHeaders: true,
    attachments: true,
    inlineImages: true,
    alternatives: true,
    replyTo: true,
    multipleFrom: true,
    spoofedTo: true,
  },
  checkInstalled: checkSesInstalled,
  ...lazyCode(() => import("./code.js"), { send: true, tracking: true, inbound: true }),
  // SNS sends basic auth credentials only after a 401 challenge
  basicAuthChallenge: true,
});
