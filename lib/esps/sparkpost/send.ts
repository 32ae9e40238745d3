/**
 * @module
 * SparkPost sending: one normalized message → one `POST <apiUrl>/transmissions/` request,
 * and SparkPost's accepted/rejected totals → per-recipient statuses.
 * @see https://developers.sparkpost.com/api/transmissions/
 */
import { AnymailAPIError } from "../../errors.js";
import type { HttpResponse } from "../../sender/http.js";
import type { NormalizedMessage } from "../../sender/message.js";
import { sameStatusForAll } from "../../sender/recipients.js";
import type { SendStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import { isRecord } from "../../util/records.js";
import type { SendSettings } from "./index.js";
import { buildTransmission, sentRecipientCount } from "./transmission.js";

type Context = SendContext<SendSettings>;

/** The adapter's `send`: build, post, parse. */
export async function send(message: NormalizedMessage, ctx: Context): Promise<SendResult> {
  const { url, headers, body } = buildRequest(message, ctx);
  const response = await ctx.http.postJson(url, body, headers);
  return parseResponse(response, message, ctx);
}

/** The transmissions call for one message (pure: no I/O). */
export function buildRequest(
  message: NormalizedMessage,
  ctx: Pick<Context, "settings" | "unsupported">,
): { url: string; headers: Record<string, string>; body: Record<string, unknown> } {
  const { apiKey, subaccount, apiUrl } = ctx.settings;
  // SparkPost takes the bare key, no scheme
  const headers: Record<string, string> = { Authorization: apiKey };
  // (null reaches here when an option explicitly clears it)
  if (subaccount !== undefined && subaccount !== null && subaccount !== "") {
    headers["X-MSYS-SUBACCOUNT"] = `${subaccount}`;
  }
  return {
    url: `${apiUrl.replace(/\/+$/, "")}/transmissions/`,
    headers,
    body: buildTransmission(message, ctx),
  };
}

/** `results` of a successful transmissions call; null when the answer has none. */
function readResults(body: unknown): { id: string; accepted: number; rejected: number } | null {
  const results = isRecord(body) ? body.results : undefined;
  if (!isRecord(results)) return null;
  const { id, total_accepted_recipients: accepted, total_rejected_recipients: rejected } = results;
  if (typeof id !== "string" && typeof id !== "number") return null;
  if (typeof accepted !== "number" || typeof rejected !== "number") return null;
  return { id: String(id), accepted, rejected };
}

/**
 * Per-recipient statuses from SparkPost's totals. SparkPost does not say *which* recipients
 * were refused, so all are "queued" when every one was accepted, "rejected" when every one
 * was refused, and "unknown" for a mix (or totals that do not add up: an answer with an id
 * was accepted, so it is never an error).
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: Pick<Context, "espName">,
): SendResult {
  const results = readResults(response.json);
  if (!results) {
    throw new AnymailAPIError(
      `${ctx.espName}: invalid API response format (expected "results" with "id" and ` +
        `recipient totals): ${response.text.slice(0, 500)}`,
      {
        espName: ctx.espName,
        statusCode: response.status,
        response: response.toEspResponse(),
      },
    );
  }
  // the number of `recipients` entries sent (cc/bcc copies included); null when espExtra
  // replaced them (a stored list)
  const sent = sentRecipientCount(message);
  const { accepted, rejected } = results;
  const allAccepted = sent === null ? accepted > 0 : accepted === sent;
  const allRejected = sent === null ? rejected > 0 : rejected === sent;
  const status: SendStatus =
    allAccepted && rejected === 0
      ? "queued"
      : allRejected && accepted === 0
        ? "rejected"
        : "unknown";
  return {
    recipients: sameStatusForAll(message, status, results.id),
    espResponse: response.toEspResponse(),
  };
}
