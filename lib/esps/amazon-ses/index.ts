/**
 * @module
 * Amazon SES: sending through the AWS SDK, tracking and inbound webhooks over Amazon SNS.
 */
import type { EspAdapter } from "../types.js";
import { checkSesInstalled } from "./aws.js";
import { inboundHandler } from "./inbound.js";
import { sendMessage } from "./send.js";
import { trackingHandler } from "./tracking.js";

export const amazonSes = {
  name: "amazon_ses",
  displayName: "Amazon SES",
  settings: {
    clientParams: {},
    sessionParams: {},
    configurationSetName: {},
    messageTagName: {},
    sdk: {},
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
    autoConfirmSnsSubscriptions: { default: true },
    verifySnsSignatures: { default: true },
    snsTopicArns: { list: true },
    clientParams: {},
    sessionParams: {},
    sdk: {},
    fetchSnsCertificate: {},
  },
  signatureChecked: (settings) => settings.verifySnsSignatures !== false,
  // SNS sends basic auth credentials only after a 401 challenge
  basicAuthChallenge: true,
  tracking: trackingHandler,
  inbound: inboundHandler,
} satisfies EspAdapter;
