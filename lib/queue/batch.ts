/**
 * @module
 * splitBatch(): a batch send (per-recipient merge data, metadata or headers) with more `to`
 * recipients than an ESP takes in one call, as several messages of at most `size` recipients,
 * each with only its recipients' merge entries.
 */
import { AnymailUnsupportedFeature } from "../errors.js";
import { parseAddressList } from "../sender/address.js";
import type { AnymailMessage } from "../sender/message.js";

type PerRecipient = Record<string, unknown> | null | undefined;

/** The entries of `table` for the recipients in `addrSpecs` (keys compared case-insensitively). */
function only<T extends PerRecipient>(table: T, addrSpecs: ReadonlySet<string>): T {
  if (!table) return table;
  return Object.fromEntries(
    Object.entries(table).filter(([key]) => addrSpecs.has(key.toLowerCase())),
  ) as T;
}

/**
 * `message` as messages of at most `size` `to` recipients each. A message that is not a batch
 * send, or that fits, comes back alone (unchanged). Each part keeps every other field (the
 * global merge data, attachments, …); cc and bcc cannot be split, so a batch with them that
 * does not fit is refused.
 *
 * @example
 * splitBatch({ to: thousandAddresses, mergeData, templateId: "welcome" }, 500) // two messages
 */
export function splitBatch(message: AnymailMessage, size: number): AnymailMessage[] {
  if (!Number.isInteger(size) || size < 1) {
    throw new TypeError(`splitBatch needs a positive whole size, not ${size}`);
  }
  const batch = !!(message.mergeData || message.mergeMetadata || message.mergeHeaders);
  const to = parseAddressList(message.to, "to");
  if (!batch || to.length <= size) return [message];
  if (parseAddressList(message.cc, "cc").length || parseAddressList(message.bcc, "bcc").length) {
    throw new AnymailUnsupportedFeature(
      `A batch send to ${to.length} recipients with cc or bcc cannot be split into parts of ${size}: ` +
        `every part would copy them.`,
    );
  }
  const parts: AnymailMessage[] = [];
  for (let start = 0; start < to.length; start += size) {
    const chunk = to.slice(start, start + size);
    const addrSpecs = new Set(chunk.map((address) => address.addrSpec.toLowerCase()));
    parts.push({
      ...message,
      to: chunk.map(String),
      mergeData: only(message.mergeData, addrSpecs),
      mergeMetadata: only(message.mergeMetadata, addrSpecs),
      mergeHeaders: only(message.mergeHeaders, addrSpecs),
    });
  }
  return parts;
}
