/**
 * @module
 * SparkPost sending: one normalized message → one `POST <apiUrl>/transmissions/` request,
 * and SparkPost's accepted/rejected totals → per-recipient statuses.
 * @see https://developers.sparkpost.com/api/transmissions/
 */
import { AnymailAPIError } from "../../errors.js";
import { setting, type SettingSpecs } from "../../settings.js";
import type { HttpRequest } from "../../sender/http.js";
import type { NormalizedMessage } from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import { buildTransmission } from "./transmission.js";

/** Options of `createSender("sparkpost", options)`. */
export interface SparkPostOptions {
  /**
   * An API key with at least the "Transmissions: Read/Write" permission.
   * Env: ANYMAIL_SPARKPOST_API_KEY, then SPARKPOST_API_KEY.
   */
  apiKey: string;
  /**
   * A subaccount's numeric id, to send on its behalf with the master account's key
   * (sent as the X-MSYS-SUBACCOUNT header). Not needed with a subaccount's own key.
   * Env: ANYMAIL_SPARKPOST_SUBACCOUNT.
   */
  subaccount?: string | number;
  /**
   * The full, versioned API endpoint, e.g. "https://api.eu.sparkpost.com/api/v1" for
   * SparkPost EU, or an Enterprise endpoint. Env: ANYMAIL_SPARKPOST_API_URL.
   * @default "https://api.sparkpost.com/api/v1"
   */
  apiUrl?: string;
}

export const DEFAULT_API_URL = "https://api.sparkpost.com/api/v1";

export const SEND_SETTINGS = {
  apiKey: setting.string({ required: true, espKey: true, secret: true }),
  // SparkPost's subaccount ids are numbers; the header takes their text
  subaccount: setting.custom(
    (value) => {
      if (typeof value === "number" || typeof value === "string") return value;
      throw new TypeError("must be a subaccount id (a number or string)");
    },
    { optionOnly: false },
  ),
  apiUrl: setting.string({ default: DEFAULT_API_URL }),
} as const satisfies SettingSpecs;

/** The parts of SendContext that building a request needs. */
export type BuildContext = Pick<SendContext, "settings" | "unsupported">;

/** The HTTP request for one message (pure: no I/O). */
export function buildRequest(message: NormalizedMessage, ctx: BuildContext): HttpRequest {
  const { apiKey, subaccount, apiUrl } = ctx.settings;
  const headers: Record<string, string> = {
    // SparkPost takes the bare key, no scheme
    Authorization: String(apiKey),
    "Content-Type": "application/json",
  };
  if (subaccount !== undefined && subaccount !== null && subaccount !== "") {
    headers["X-MSYS-SUBACCOUNT"] = String(subaccount);
  }
  const base = String(apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, "");
  return {
    method: "POST",
    url: `${base}/transmissions/`,
    headers,
    json: buildTransmission(message, ctx),
  };
}

/** `results` of a successful transmissions call. */
interface SparkPostResults {
  id: string;
  total_accepted_recipients: number;
  total_rejected_recipients: number;
}

function readResults(body: unknown): SparkPostResults | null {
  if (body === null || typeof body !== "object") return null;
  const results = (body as { results?: unknown }).results;
  if (results === null || typeof results !== "object") return null;
  const {
    id,
    total_accepted_recipients: accepted,
    total_rejected_recipients: rejected,
  } = results as Record<string, unknown>;
  if (typeof id !== "string" && typeof id !== "number") return null;
  if (typeof accepted !== "number" || typeof rejected !== "number") return null;
  return {
    id: String(id),
    total_accepted_recipients: accepted,
    total_rejected_recipients: rejected,
  };
}

/**
 * Per-recipient statuses from SparkPost's totals. SparkPost does not say *which* recipients
 * were refused, so all are "queued" when every one was accepted, "rejected" when every one
 * was refused, and "unknown" for a mix. `sentCount` is the number of entries in the
 * request's `recipients` (cc/bcc copies included), or null when espExtra replaced them with
 * something else (a stored list).
 */
export function parseResponse(
  body: unknown,
  message: NormalizedMessage,
  sentCount: number | null,
): Record<string, RecipientStatus> | null {
  const results = readResults(body);
  if (!results) return null;
  const accepted = results.total_accepted_recipients;
  const rejected = results.total_rejected_recipients;
  const allAccepted = sentCount === null ? accepted > 0 : accepted === sentCount;
  const allRejected = sentCount === null ? rejected > 0 : rejected === sentCount;
  const status =
    allAccepted && rejected === 0
      ? "queued"
      : allRejected && accepted === 0
        ? "rejected"
        : "unknown";
  const recipients: Record<string, RecipientStatus> = {};
  for (const address of [...message.to, ...message.cc, ...message.bcc]) {
    recipients[address.addrSpec] = { status, messageId: results.id };
  }
  return recipients;
}

/** The adapter's `send`: build, post, parse. */
export async function send(message: NormalizedMessage, ctx: SendContext): Promise<SendResult> {
  const request = buildRequest(message, ctx);
  const response = await ctx.http.request(request);
  const sent = (request.json as { recipients?: unknown }).recipients;
  const recipients = parseResponse(
    response.json,
    message,
    Array.isArray(sent) ? sent.length : null,
  );
  if (!recipients) {
    throw new AnymailAPIError(
      `${ctx.espName}: invalid API response format (expected "results" with "id" and ` +
        `recipient totals): ${response.text.slice(0, 500)}`,
      { espName: ctx.espName, statusCode: response.status, response: response.toEspResponse() },
    );
  }
  return { recipients, espResponse: response.toEspResponse() };
}
