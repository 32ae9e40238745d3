/**
 * @module
 * Mandrill's webhook signature: `X-Mandrill-Signature` = base64 HMAC-SHA1, keyed with the
 * webhook key, over the exact URL Mandrill posted to followed by every POST field's name
 * and value, sorted by name (Mandrill KB "Authenticating webhook requests").
 */
import { createHmac } from "node:crypto";
import { AnymailConfigurationError } from "../../errors.js";
import { constantTimeEqual } from "../../util/crypto.js";
import { validationFailure, webhookHeader } from "../../util/payload.js";
import type { WebhookRequest, WebhookSignature } from "../types.js";
import type { WebhookSettings } from "./index.js";

/**
 * The signature Mandrill computes for a URL and its decoded POST fields. Every own key
 * counts, `__proto__` included: pass a null-prototype table (as `signedFields` builds).
 */
export function computeSignature(key: string, url: string, fields: Record<string, string>): string {
  const hmac = createHmac("sha1", key).update(url, "utf8");
  // code-point order, as Mandrill (PHP ksort) and django-anymail (Python sorted) use. Each
  // piece goes to the HMAC as it is: the signed string is never built, which for a
  // thousand-event batch was a copy of the whole body (issue #19). Decoded form fields hold
  // no lone surrogates, so their UTF-8 pieces join into the UTF-8 of the joined string.
  for (const name of Object.keys(fields).sort(compareCodePoints)) {
    hmac.update(name, "utf8").update(fields[name], "utf8");
  }
  return hmac.digest("base64");
}

/**
 * The fields Mandrill signed: a repeated field counts with its last value. A null-prototype
 * table, so a field named `__proto__` is signed like any other (#18 item 6): in a plain
 * object it would set the prototype and silently drop out of the signed string.
 */
export function signedFields(
  form: Readonly<Record<string, readonly string[]>>,
): Record<string, string> {
  const fields = Object.create(null) as Record<string, string>;
  for (const name of Object.keys(form)) {
    const values = form[name];
    if (values.length > 0) fields[name] = values[values.length - 1];
  }
  return fields;
}

/**
 * The URL Mandrill signed: the configured `webhookUrl`, else the request's public URL (which
 * honours X-Forwarded-* only where the app trusts its proxy), with the basic-auth
 * credentials put back in, since Mandrill signs the URL exactly as it was entered.
 */
export function signedUrl(request: WebhookRequest, webhookUrl?: string): string {
  if (webhookUrl) return webhookUrl;
  const { protocol, host, pathname, search } = request.url;
  const credentials = basicAuthCredentials(webhookHeader(request, "authorization"));
  return `${protocol}//${credentials === null ? "" : `${credentials}@`}${host}${pathname}${search}`;
}

/** Mandrill signs every webhook post; without the key every post is refused. */
export const signature: WebhookSignature<WebhookSettings> = {
  enabled: () => true,
  verify(request, context) {
    const key = context.settings.webhookKey;
    if (!key) {
      // the router logs this message with its 400 answer
      throw new AnymailConfigurationError(
        `${context.espName}: missing required setting "webhookKey" (Mandrill's webhook ` +
          `authentication key). Pass it as anymailRouter({ mandrill: { webhookKey } }), or set ` +
          `ANYMAIL_MANDRILL_WEBHOOK_KEY or MANDRILL_WEBHOOK_KEY in the environment.`,
        { espName: context.espName },
      );
    }
    const given = webhookHeader(request, "x-mandrill-signature");
    if (given === undefined) {
      throw validationFailure(context, "X-Mandrill-Signature header missing from the POST");
    }
    const url = signedUrl(request, context.settings.webhookUrl);
    const expected = computeSignature(key, url, signedFields(request.form ?? {}));
    if (!constantTimeEqual(given, expected)) {
      throw validationFailure(
        context,
        `called with incorrect signature (for url ${hideCredentials(url)}). If that is not ` +
          `the URL entered in Mandrill, set the Mandrill webhookUrl option to it (or configure ` +
          `Express's trust proxy setting for your proxy).`,
      );
    }
  },
};

/** "user:pass" from a Basic authorization header, or null. */
function basicAuthCredentials(header: string | undefined): string | null {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  return decoded.includes(":") ? decoded : null;
}

/** The URL for an error message: never show the basic-auth secret. */
function hideCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1[credentials]@");
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
