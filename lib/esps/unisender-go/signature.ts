/**
 * @module
 * Unisender Go signs a webhook with its body's `auth` field: the hex MD5 of the raw body in
 * which that `auth` value is replaced by the API key. The replacement is done on the raw
 * bytes, so nothing depends on how Unisender Go serializes its JSON. Several API keys are
 * tried (rotation).
 */
import { createHash } from "node:crypto";
import { constantTimeEqual } from "../../util/crypto.js";
import { validationFailure } from "../../util/payload.js";
import { isRecord } from "../../util/records.js";
import type { WebhookSignature } from "../types.js";
import type { WebhookSettings } from "./index.js";

/** `body` with every occurrence of `find` replaced by `replacement`. */
function replaceBytes(body: Buffer, find: Buffer, replacement: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = body.indexOf(find); at >= 0; at = body.indexOf(find, start)) {
    parts.push(body.subarray(start, at), replacement);
    start = at + find.length;
  }
  parts.push(body.subarray(start));
  return Buffer.concat(parts);
}

/** The `auth` value Unisender Go computes for `body` (whose auth field holds `auth`). */
export function unisenderAuth(body: Buffer, auth: string, apiKey: string): string {
  const signed = replaceBytes(body, Buffer.from(auth), Buffer.from(apiKey));
  return createHash("md5").update(signed).digest("hex");
}

/** The check, on when an API key is configured for webhooks. */
export const signature: WebhookSignature<WebhookSettings> = {
  enabled: (settings) => (settings.apiKey?.length ?? 0) > 0,
  verify(request, context) {
    const auth = isRecord(request.json) ? request.json.auth : undefined;
    if (typeof auth !== "string" || !/^[0-9a-f]{32}$/i.test(auth)) {
      throw validationFailure(context, "called without an auth field");
    }
    const keys = context.settings.apiKey ?? [];
    const valid = keys.some((key) =>
      constantTimeEqual(auth.toLowerCase(), unisenderAuth(request.rawBody, auth, key)),
    );
    if (!valid) {
      throw validationFailure(
        context,
        "called with incorrect signature (check the apiKey setting: the key of the " +
          "project whose webhook this is)",
      );
    }
  },
};
