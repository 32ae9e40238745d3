/**
 * @module
 * The SNS signature check of both SES routes: the topic allow-list, then the message's
 * signature (SignatureVersion 1 and 2) against its signing certificate, fetched only from
 * `https://sns.<region>.amazonaws.com[.cn]/<name>.pem` and kept in a small LRU cache.
 * Any AWS account can produce a valid SNS signature, so a signature alone does not prove
 * that the call came from *your* SES (#18 item 3): see `provesSender`.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
import { createVerify, X509Certificate } from "node:crypto";
import { AnymailWebhookValidationFailure } from "../../errors.js";
import { validationFailure } from "../../util/payload.js";
import type { WebhookContext, WebhookRequest, WebhookSignature } from "../types.js";
import type { WebhookSettings } from "./index.js";
import { USER_AGENT } from "./aws.js";
import { parseSnsMessage, stringToSign } from "./sns.js";

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  "1": "RSA-SHA1",
  "2": "RSA-SHA256",
};

// Real AWS commercial and GovCloud region names ("us-east-1", "ap-southeast-5", "us-gov-west-1");
// the China regions ("cn-north-1") live under amazonaws.com.cn.
const REGION =
  "(?:af|ap|ca|eu|il|me|mx|sa|us)(?:-gov)?-(?:central|north|south|east|west|northeast|northwest|southeast|southwest)-\\d{1,2}";
const CERT_URL = new RegExp(
  `^https://sns\\.(?:${REGION}\\.amazonaws\\.com|cn-(?:north|northwest)-\\d{1,2}\\.amazonaws\\.com\\.cn)` +
    "/[A-Za-z0-9][A-Za-z0-9._-]*\\.pem$",
);
const CERT_CACHE_LIMIT = 50;
const CERT_FETCH_TIMEOUT_MS = 5_000;

/** A bounded LRU of signing certificates by URL (a pending fetch is shared by its callers). */
const certificates = new Map<string, Promise<X509Certificate>>();

/**
 * The certificate URL when it is exactly an SNS certificate URL (no port, userinfo, query
 * or fragment, nothing URL parsing would rewrite), else null. The result is the cache key.
 */
export function snsCertificateUrl(url: unknown): string | null {
  if (typeof url !== "string" || !CERT_URL.test(url)) return null;
  try {
    // the pattern leaves nothing to normalize; this guards the pattern
    return new URL(url).href === url ? url : null;
  } catch {
    return null;
  }
}

/** True when the settings name the SNS topics to accept (snsTopicArns). */
export function hasTopicAllowList(settings: WebhookSettings): boolean {
  return (settings.snsTopicArns?.length ?? 0) > 0;
}

async function verify(
  request: WebhookRequest,
  context: WebhookContext<WebhookSettings>,
): Promise<void> {
  const { settings } = context;
  const checkSignature = settings.verifySnsSignatures;
  const message = parseSnsMessage(request, context, { signed: checkSignature });
  if (hasTopicAllowList(settings) && !settings.snsTopicArns?.includes(message.TopicArn ?? "")) {
    throw validationFailure(
      context,
      `SNS topic ${message.TopicArn ?? "<missing>"} is not in snsTopicArns`,
    );
  }
  if (!checkSignature) return;
  const algorithm = SIGNATURE_ALGORITHMS[String(message.SignatureVersion)];
  if (!algorithm) {
    throw validationFailure(
      context,
      `has an unsupported SNS SignatureVersion "${String(message.SignatureVersion)}"`,
    );
  }
  if (typeof message.Signature !== "string") {
    throw validationFailure(context, "SNS message is not signed");
  }
  const certificate = await signingCertificate(message.SigningCertURL, context);
  const verifier = createVerify(algorithm);
  verifier.update(stringToSign(message), "utf8");
  if (!verifier.verify(certificate.publicKey, message.Signature, "base64")) {
    throw validationFailure(context, "SNS message signature is invalid");
  }
}

/** The signing certificate, fetched once per URL (failures are not cached: SNS retries). */
async function signingCertificate(
  rawUrl: unknown,
  context: WebhookContext<WebhookSettings>,
): Promise<X509Certificate> {
  const url = snsCertificateUrl(rawUrl);
  if (url === null) {
    throw validationFailure(
      context,
      `SigningCertURL ${JSON.stringify(String(rawUrl)).slice(0, 200)} is not an https URL of ` +
        `Amazon SNS (https://sns.<region>.amazonaws.com/<name>.pem)`,
    );
  }
  let cached = certificates.get(url);
  if (cached) {
    // most recently used goes last; the oldest is first to go
    certificates.delete(url);
  } else {
    cached = loadCertificate(url, context);
    cached.catch(() => {
      if (certificates.get(url) === cached) certificates.delete(url);
    });
  }
  certificates.set(url, cached);
  for (const oldest of certificates.keys()) {
    if (certificates.size <= CERT_CACHE_LIMIT) break;
    certificates.delete(oldest);
  }
  const certificate = await cached;
  const now = new Date();
  if (new Date(certificate.validFrom) > now || new Date(certificate.validTo) < now) {
    throw validationFailure(context, "SNS signing certificate is not valid now");
  }
  return certificate;
}

async function loadCertificate(
  url: string,
  context: WebhookContext<WebhookSettings>,
): Promise<X509Certificate> {
  let pem: string;
  try {
    const fetchCertificate = context.settings.fetchSnsCertificate;
    if (fetchCertificate) {
      pem = await fetchCertificate(url);
    } else {
      // SNS allows 15 s per delivery; a stalled certificate server must not use them all
      const response = await context.fetch(url, {
        headers: { "User-Agent": USER_AGENT },
        redirect: "error",
        signal: AbortSignal.timeout(CERT_FETCH_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      pem = await response.text();
    }
    return new X509Certificate(pem);
  } catch (error) {
    throw new AnymailWebhookValidationFailure(
      `${context.espName} webhook: could not load the SNS signing certificate ${url}`,
      { espName: context.espName, cause: error },
    );
  }
}

/**
 * Both SES routes' check. A valid SNS signature shows only that *some* AWS account sent
 * the call; it proves the sender only with a topic allow-list (snsTopicArns), so without
 * one (and without basic auth) the router warns that the webhooks are open.
 */
export const signature: WebhookSignature<WebhookSettings> = {
  // the topic allow-list and the header checks run even with signatures off
  enabled: () => true,
  provesSender: (settings) => settings.verifySnsSignatures && hasTopicAllowList(settings),
  verify,
};
