/**
 * @module
 * Amazon SNS, the carrier of every SES webhook: the HTTP message envelope and its signature
 * (SignatureVersion 1 and 2).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
import { createVerify, X509Certificate } from "node:crypto";
import { AnymailError, AnymailWebhookValidationFailure } from "../../errors.js";
import type { WebhookContext, WebhookRequest } from "../types.js";
import type { AwsSettings } from "./aws.js";

/** anymailRouter({ amazon_ses: {...} }): the webhook settings of this ESP. */
export interface AmazonSesWebhookOptions extends AwsSettings {
  /**
   * Confirm SNS subscriptions automatically when the request carried the webhook secret
   * (env AMAZON_SES_AUTO_CONFIRM_SNS_SUBSCRIPTIONS).
   * @default true
   */
  autoConfirmSnsSubscriptions?: boolean;
  /**
   * Verify each SNS message's signature against its signing certificate
   * (env AMAZON_SES_VERIFY_SNS_SIGNATURES).
   * @default true
   */
  verifySnsSignatures?: boolean;
  /** Accept messages only from these SNS topics (env AMAZON_SES_SNS_TOPIC_ARNS). @default any */
  snsTopicArns?: string[];
  /** Fetches a signing certificate's PEM (tests); default: `fetch` from the router. */
  fetchSnsCertificate?: (url: string) => Promise<string>;
}

/** The three SNS message types Anymail handles. */
export type SnsMessageType =
  "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";

/** An SNS HTTP(S) message body. */
export interface SnsMessage {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
  Subject?: string | null;
  Token?: string;
  SubscribeURL?: string;
  UnsubscribeURL?: string;
}

const MESSAGE_TYPES: readonly string[] = [
  "Notification",
  "SubscriptionConfirmation",
  "UnsubscribeConfirmation",
];

// The fields signed, in order (AWS's documented string to sign).
const SIGNED_FIELDS: Record<SnsMessageType, readonly (keyof SnsMessage)[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
  UnsubscribeConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
};

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  "1": "RSA-SHA1",
  "2": "RSA-SHA256",
};

// Certificates come only from SNS itself, over https (aws partitions incl. China).
const CERT_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const CERT_CACHE_LIMIT = 50;
const CERT_FETCH_TIMEOUT_MS = 5_000;
const certificates = new Map<string, Promise<X509Certificate>>();

/**
 * The SNS message of a request, checked against the `x-amz-sns-message-type` and
 * `x-amz-sns-message-id` headers (SNS sends both; a random post has neither).
 */
export function parseSnsMessage(request: WebhookRequest): SnsMessage {
  let body: unknown = request.json;
  if (body === undefined) {
    try {
      body = JSON.parse(request.rawBody.toString("utf8"));
    } catch (error) {
      throw new AnymailError("Amazon SES webhook: the SNS message body is not JSON", {
        espName: "Amazon SES",
        cause: error,
      });
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AnymailError("Amazon SES webhook: the SNS message body is not a JSON object", {
      espName: "Amazon SES",
    });
  }
  const message = body as Record<string, unknown>;
  const headerType = headerValue(request, "x-amz-sns-message-type");
  if (headerType !== message.Type) {
    throw new AnymailWebhookValidationFailure(
      `Amazon SES webhook: SNS header "x-amz-sns-message-type: ${headerType ?? "<missing>"}" ` +
        `doesn't match body "Type": "${String(message.Type ?? "<missing>")}"`,
      { espName: "Amazon SES" },
    );
  }
  if (!MESSAGE_TYPES.includes(String(message.Type))) {
    throw new AnymailError(
      `Amazon SES webhook: unknown SNS message type "${String(message.Type)}"`,
      {
        espName: "Amazon SES",
      },
    );
  }
  const headerId = headerValue(request, "x-amz-sns-message-id");
  if (headerId !== message.MessageId) {
    throw new AnymailWebhookValidationFailure(
      `Amazon SES webhook: SNS header "x-amz-sns-message-id: ${headerId ?? "<missing>"}" ` +
        `doesn't match body "MessageId": "${String(message.MessageId ?? "<missing>")}"`,
      { espName: "Amazon SES" },
    );
  }
  for (const field of ["TopicArn", "Message", "Timestamp"] as const) {
    if (typeof message[field] !== "string") {
      throw new AnymailError(`Amazon SES webhook: the SNS message has no "${field}"`, {
        espName: "Amazon SES",
      });
    }
  }
  return message as unknown as SnsMessage;
}

/** AWS's string to sign: `Name\nvalue\n` for each signed field present, in order. */
export function stringToSign(message: SnsMessage): string {
  let text = "";
  for (const field of SIGNED_FIELDS[message.Type]) {
    const value = message[field];
    if (value === undefined || value === null) continue;
    text += `${field}\n${String(value)}\n`;
  }
  return text;
}

/**
 * The handlers' `verify`: the topic allow-list, then the SNS signature (unless turned off).
 * Runs after basic auth, before any subscription is confirmed.
 */
export async function verifySnsRequest(
  request: WebhookRequest,
  context: WebhookContext,
): Promise<void> {
  const settings = context.settings as AmazonSesWebhookOptions;
  const message = parseSnsMessage(request);
  const allowed = settings.snsTopicArns;
  if (allowed && allowed.length > 0 && !allowed.includes(message.TopicArn)) {
    throw new AnymailWebhookValidationFailure(
      `Amazon SES webhook: SNS topic ${message.TopicArn} is not in snsTopicArns`,
      { espName: "Amazon SES" },
    );
  }
  if (settings.verifySnsSignatures === false) return;
  const algorithm = SIGNATURE_ALGORITHMS[String(message.SignatureVersion)];
  if (!algorithm) {
    throw new AnymailWebhookValidationFailure(
      `Amazon SES webhook: unsupported SNS SignatureVersion "${String(message.SignatureVersion)}"`,
      { espName: "Amazon SES" },
    );
  }
  if (typeof message.Signature !== "string" || typeof message.SigningCertURL !== "string") {
    throw new AnymailWebhookValidationFailure("Amazon SES webhook: the SNS message is not signed", {
      espName: "Amazon SES",
    });
  }
  const certificate = await signingCertificate(message.SigningCertURL, settings, context);
  const verifier = createVerify(algorithm);
  verifier.update(stringToSign(message), "utf8");
  if (!verifier.verify(certificate.publicKey, message.Signature, "base64")) {
    throw new AnymailWebhookValidationFailure(
      "Amazon SES webhook: the SNS message signature is invalid",
      { espName: "Amazon SES" },
    );
  }
}

/** The signing certificate, from an SNS https URL only, cached by URL. */
async function signingCertificate(
  url: string,
  settings: AmazonSesWebhookOptions,
  context: WebhookContext,
): Promise<X509Certificate> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw untrustedCertUrl(url);
  }
  if (parsed.protocol !== "https:" || !CERT_HOST.test(parsed.hostname) || parsed.port !== "") {
    throw untrustedCertUrl(url);
  }
  if (!parsed.pathname.endsWith(".pem")) throw untrustedCertUrl(url);
  let cached = certificates.get(parsed.href);
  if (!cached) {
    cached = loadCertificate(parsed.href, settings, context);
    if (certificates.size >= CERT_CACHE_LIMIT) certificates.clear();
    certificates.set(parsed.href, cached);
    // a failed fetch is not cached: SNS retries, and the next try fetches again
    cached.catch(() => certificates.delete(parsed.href));
  }
  const certificate = await cached;
  const now = new Date();
  if (new Date(certificate.validFrom) > now || new Date(certificate.validTo) < now) {
    throw new AnymailWebhookValidationFailure(
      "Amazon SES webhook: the SNS signing certificate is not valid now",
      { espName: "Amazon SES" },
    );
  }
  return certificate;
}

async function loadCertificate(
  url: string,
  settings: AmazonSesWebhookOptions,
  context: WebhookContext,
): Promise<X509Certificate> {
  let pem: string;
  try {
    if (settings.fetchSnsCertificate) {
      pem = await settings.fetchSnsCertificate(url);
    } else {
      // SNS allows 15 s per delivery; a stalled certificate server must not use them all
      const response = await context.fetch(url, {
        redirect: "error",
        signal: AbortSignal.timeout(CERT_FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      pem = await response.text();
    }
    return new X509Certificate(pem);
  } catch (error) {
    throw new AnymailWebhookValidationFailure(
      `Amazon SES webhook: could not load the SNS signing certificate ${url}`,
      { espName: "Amazon SES", cause: error },
    );
  }
}

function untrustedCertUrl(url: string): AnymailWebhookValidationFailure {
  return new AnymailWebhookValidationFailure(
    `Amazon SES webhook: SigningCertURL ${url} is not an https URL of Amazon SNS`,
    { espName: "Amazon SES" },
  );
}

function headerValue(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
