/**
 * @module
 * The send step every JSON API shares: build the request (pure), POST it through the
 * sender's HTTP client, read the answer (pure). An ESP's `send.ts` writes the two pure
 * halves and joins them with `sendJson`.
 */
import type { SendContext, SendResult } from "../esps/types.js";
import type { HttpResponse } from "./http.js";
import type { NormalizedMessage } from "./message.js";

/** One JSON API call, as `buildRequest` returns it. */
export interface JsonRequest {
  url: string;
  headers?: Record<string, string>;
  /** Serialized by `ctx.http.postJson` (with the JSON-safety check). */
  body: unknown;
}

/**
 * `send` from its two pure halves.
 *
 * @example
 * export const send = sendJson(buildRequest, parseResponse);
 */
export function sendJson<Ctx extends SendContext<never>>(
  buildRequest: (message: NormalizedMessage, ctx: Ctx) => JsonRequest,
  parseResponse: (response: HttpResponse, message: NormalizedMessage, ctx: Ctx) => SendResult,
): (message: NormalizedMessage, ctx: Ctx) => Promise<SendResult> {
  return async function send(message, ctx) {
    const { url, headers, body } = buildRequest(message, ctx);
    const response = await ctx.http.postJson(url, body, headers);
    return parseResponse(response, message, ctx);
  };
}
