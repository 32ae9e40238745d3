/**
 * @module
 * Postmark's send answer → per-recipient statuses. Postmark checks recipients at send
 * time and says which it refused only in its human-readable `Message`, so that text is read.
 */
import type { EmailAddress } from "../../sender/address.js";
import { apiResponseError, type HttpResponse } from "../../sender/http.js";
import type { NormalizedMessage } from "../../sender/message.js";
import type { RecipientStatus } from "../../sender/status.js";
import type { SendContext, SendResult } from "../types.js";
import type { PostmarkRequest } from "./send.js";

/** Postmark API error codes that concern recipients rather than the whole call. */
export const ERROR_CODES = {
  ok: 0,
  /** "Invalid email request": also used for malformed To/Cc/Bcc addresses */
  invalidRequest: 300,
  /** every recipient is inactive (hard-bounced, complained or suppressed) */
  inactiveRecipient: 406,
} as const;

/** One entry of Postmark's answer (an object for single sends, an array for batches). */
export interface PostmarkSendResponse {
  /** Absent from "accepted, but delivery may be delayed" answers. */
  ErrorCode?: number;
  Message: string;
  MessageID?: string;
  To?: string;
  SubmittedAt?: string;
}

// "Message OK, but will not deliver to these inactive addresses: a@x.com, b@y.com. Inactive recipients are …"
// "You tried to send to a recipient that has been marked as inactive.\nFound inactive addresses: a@x.com.\nInactive recipients are …"
const INACTIVE_LIST = /inactive addresses:\s*(.*?)\.\s*Inactive recipients/is;
// "Invalid 'To' address: 'x'." / "Error parsing 'Cc': Illegal email domain 'd' in address 'x'."
// "Error parsing 'Bcc': Illegal email address 'x'. It must contain the '@' symbol."
const RECIPIENT_ERROR = /^(?:Invalid|Error\s+parsing)\s+'(?:To|Cc|Bcc)'/i;
const QUOTED_ADDRESS = /address:?\s*'(.+?)'(?=\.|\s|$)/gi;

/** Recipient statuses keyed by the addr-spec as the caller wrote it; lookups ignore case. */
class RecipientTable {
  readonly statuses: Record<string, RecipientStatus> = {};
  private readonly keys = new Map<string, string>();

  constructor(recipients: readonly EmailAddress[]) {
    for (const recipient of recipients) this.set(recipient.addrSpec, "unknown", null);
  }

  /** Sets a status; returns false when Postmark named an address the message did not have. */
  set(addrSpec: string, status: RecipientStatus["status"], messageId: string | null): boolean {
    const lower = addrSpec.toLowerCase();
    const key = this.keys.get(lower);
    if (key === undefined && status !== "unknown") return false;
    this.keys.set(lower, key ?? addrSpec);
    this.statuses[key ?? addrSpec] = { status, messageId };
    return true;
  }

  /** Marks a recipient "failed" unless something else is already known of it. */
  fail(addrSpec: string): void {
    const key = this.keys.get(addrSpec.toLowerCase());
    if (key !== undefined && this.statuses[key].status === "unknown") this.set(key, "failed", null);
  }
}

function isSendResponse(value: unknown): value is PostmarkSendResponse {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  // ErrorCode may be missing when Postmark accepted but delays the message
  const code = entry.ErrorCode;
  return (code === undefined || typeof code === "number") && typeof entry.Message === "string";
}

/**
 * "Message accepted, but delivery may be delayed." (a paused or throttled message stream):
 * HTTP 200 with Message, MessageID and To but no ErrorCode. Accepted, so never an error
 * (a retry would send twice); queued rather than sent.
 */
function isDelayed(entry: PostmarkSendResponse): boolean {
  return entry.ErrorCode === undefined || /delivery may be delayed/i.test(entry.Message);
}

function inactiveAddresses(text: string): string[] {
  const match = INACTIVE_LIST.exec(text);
  if (!match) return [];
  return match[1]
    .split(",")
    .map((address) => address.trim())
    .filter(Boolean);
}

function invalidAddresses(text: string): string[] {
  return [...text.matchAll(QUOTED_ADDRESS)].map(([, quoted]) => {
    const angle = /<([^>]+)>\s*$/.exec(quoted);
    return (angle ? angle[1] : quoted).trim();
  });
}

/** Addresses in Postmark's echoed To (used only if its batch answer is not one per message). */
function addrSpecsIn(text: string): string[] {
  return text.match(/[^\s<>,;"']+@[^\s<>,;"']+/g) ?? [];
}

/**
 * Maps Postmark's answer to a status for every to, cc and bcc recipient. Refused
 * recipients are "rejected" (inactive) or "invalid" (malformed); any other Postmark error
 * is an AnymailAPIError carrying Postmark's message.
 */
export function parseResponse(
  response: HttpResponse,
  message: NormalizedMessage,
  ctx: Pick<SendContext, "espName">,
  request: Pick<PostmarkRequest, "toPerMessage"> = { toPerMessage: [message.to] },
): SendResult {
  return {
    recipients: recipientStatuses(response, message, ctx.espName, request.toPerMessage),
    espResponse: response.toEspResponse(),
  };
}

function recipientStatuses(
  response: HttpResponse,
  message: NormalizedMessage,
  espName: string,
  toPerMessage: readonly (readonly EmailAddress[])[],
): Record<string, RecipientStatus> {
  const all = [...message.to, ...message.cc, ...message.bcc];
  const table = new RecipientTable(all);
  const parsed = response.json;
  const entries = Array.isArray(parsed) ? parsed : [parsed];
  const alignedBatch = entries.length === toPerMessage.length;

  entries.forEach((entry, index) => {
    if (!isSendResponse(entry)) {
      throw apiResponseError(
        response,
        espName,
        `invalid ${espName} API response format: ${response.text.slice(0, 500)}`,
      );
    }
    const { ErrorCode: code = ERROR_CODES.ok, Message: text } = entry;
    if (code === ERROR_CODES.ok) {
      const status = isDelayed(entry) ? "queued" : "sent";
      if (typeof entry.MessageID !== "string") {
        throw apiResponseError(
          response,
          espName,
          `${espName} accepted the message without a MessageID`,
        );
      }
      const tos = alignedBatch
        ? toPerMessage[index].map((to) => to.addrSpec)
        : addrSpecsIn(entry.To ?? "");
      // Postmark's answer names neither cc nor bcc: they went with every message
      for (const addrSpec of [...tos, ...[...message.cc, ...message.bcc].map((r) => r.addrSpec)]) {
        table.set(addrSpec, status, entry.MessageID);
      }
      for (const addrSpec of inactiveAddresses(text)) table.set(addrSpec, "rejected", null);
      return;
    }
    const refused =
      code === ERROR_CODES.inactiveRecipient
        ? inactiveAddresses(text).map((a) => table.set(a, "rejected", null))
        : code === ERROR_CODES.invalidRequest && RECIPIENT_ERROR.test(text)
          ? invalidAddresses(text).map((a) => table.set(a, "invalid", null))
          : [];
    // nothing was sent; unless Postmark named which of our recipients it refused, say why
    if (!refused.includes(true)) {
      throw apiResponseError(response, espName, `${espName} error ${code}: ${text}`);
    }
    // the others of this message were not sent either (django-anymail 9.0 leaves them "unknown")
    const others = alignedBatch ? [...toPerMessage[index], ...message.cc, ...message.bcc] : all;
    for (const recipient of others) table.fail(recipient.addrSpec);
  });
  return table.statuses;
}
