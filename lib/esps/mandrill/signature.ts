/**
 * @module
 * Mandrill's webhook signature: `X-Mandrill-Signature` = base64 HMAC-SHA1, keyed with the
 * webhook key, over the exact URL Mandrill posted to followed by every POST field's name
 * and value, sorted by name (Mandrill KB "Authenticating webhook requests").
 */
import { createHmac } from "node:crypto";
import { AnymailConfigurationError, AnymailWebhookValidationFailure } from "../../errors.js";
import { constantTimeEqual } from "../../util/crypto.js";
import type { WebhookContext, WebhookRequest } from "../types.js";

/** Webhook options of `anymailRouter({ mandrill: { … } })`. */
export interface MandrillWebhookOptions {
  /**
   * The "webhook authentication key" Mandrill shows once it has checked the URL.
   * Env: ANYMAIL_MANDRILL_WEBHOOK_KEY, then MANDRILL_WEBHOOK_KEY.
   */
  webhookKey?: string;
  /**
   * The exact public URL entered in Mandrill, when the server sees another one (a proxy
   * that Express's `trust proxy` does not describe). Env: ANYMAIL_MANDRILL_WEBHOOK_URL.
   */
  webhookUrl?: string;
}

/** The signature Mandrill computes for a URL and its decoded POST fields. */
export function computeSignature(key: string, url: string, fields: Record<string, string>): string {
  let signed = url;
  // code-point order, as Mandrill (PHP ksort) and django-anymail (Python sorted) use
  for (const name of Object.keys(fields).sort(compareCodePoints)) signed += name + fields[name];
  return createHmac("sha1", key).update(signed, "utf8").digest("base64");
}

/**
 * The URL Mandrill signed: the configured `webhookUrl`, else the public URL of the request
 * (as Express's `trust proxy` reconstructs it), with the basic-auth credentials put back
 * in, since Mandrill signs the URL exactly as it was entered, credentials included.
 */
export function signedUrl(request: WebhookRequest, webhookUrl?: string): string {
  if (webhookUrl) return webhookUrl;
  const { protocol, host, pathname, search } = request.url;
  const credentials = basicAuthCredentials(request.headers.authorization);
  return `${protocol}//${credentials === null ? "" : `${credentials}@`}${host}${pathname}${search}`;
}

/** Checks a Mandrill webhook call; throws AnymailWebhookValidationFailure when it fails. */
export function verifySignature(request: WebhookRequest, context: WebhookContext): void {
  // an env value that looks like a number arrives parsed (settings.ts): the key is its text
  const rawKey = context.settings.webhookKey;
  const key = typeof rawKey === "number" ? String(rawKey) : rawKey;
  if (typeof key !== "string" || key === "") {
    // the router logs this message with its 400 answer
    const message =
      'Mandrill: missing required setting "webhookKey" (Mandrill\'s webhook authentication key). ' +
      "Pass it as anymailRouter({ mandrill: { webhookKey } }), or set " +
      "ANYMAIL_MANDRILL_WEBHOOK_KEY or MANDRILL_WEBHOOK_KEY in the environment.";
    throw new AnymailConfigurationError(message, { espName: context.espName });
  }
  const signature = firstHeader(request.headers["x-mandrill-signature"]);
  if (signature === undefined) {
    throw new AnymailWebhookValidationFailure(
      "Mandrill: X-Mandrill-Signature header missing from webhook POST",
      { espName: context.espName },
    );
  }
  const webhookUrl =
    typeof context.settings.webhookUrl === "string" ? context.settings.webhookUrl : "";
  const url = signedUrl(request, webhookUrl);
  const expected = computeSignature(key, url, lastValues(request.form ?? {}));
  if (!constantTimeEqual(signature, expected)) {
    throw new AnymailWebhookValidationFailure(
      `Mandrill webhook called with incorrect signature (for url ${hideCredentials(url)}). ` +
        "If that is not the URL entered in Mandrill, set the Mandrill webhookUrl option " +
        "to it, or configure Express's trust proxy setting.",
      { espName: context.espName },
    );
  }
}

/** A repeated field counts with its last value, as in the form Mandrill signs. */
function lastValues(form: Record<string, string[]>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, values] of Object.entries(form)) {
    if (values.length > 0) fields[name] = values[values.length - 1];
  }
  return fields;
}

/** "user:pass" from a Basic authorization header, or null. */
function basicAuthCredentials(header: string | string[] | undefined): string | null {
  const match = /^Basic\s+(\S+)\s*$/i.exec(firstHeader(header) ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  return decoded.includes(":") ? decoded : null;
}

/** The URL for an error message: never show the basic-auth secret. */
function hideCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1[credentials]@");
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i].codePointAt(0) ?? 0) - (right[i].codePointAt(0) ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}
