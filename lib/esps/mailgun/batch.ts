/**
 * @module
 * Mailgun's two data channels, and how Anymail's metadata and merge features map onto them.
 *
 * - "Custom data" (`v:KEY` fields) reaches tracking webhooks as user-variables, and fills
 *   `{{ KEY }}` in stored handlebars templates. It is the same for every recipient.
 * - "Recipient variables" (`recipient-variables`, JSON keyed by `to` address) hold
 *   per-recipient values, usable as `%recipient.KEY%` almost anywhere in the message. Sending
 *   them turns on Mailgun's batch mode: each `to` gets its own copy.
 *
 * Per-recipient custom data goes through an indirection: `v:KEY = %recipient.v:KEY%`
 * (spec esps/mailgun.txt "Anymail prepends v:"). Merge data feeds custom data the same way
 * only for stored templates, whose `{{ }}` substitutions read custom data, never recipient
 * variables (spec "Limitations with stored handlebars templates").
 */
import { getHeader, type JsonObject, type NormalizedMessage } from "../../sender/message.js";
import { setOwn, shallowMerge } from "../../util/deep-merge.js";

/** Recipient-variable prefix for per-recipient metadata (spec: "Anymail prepends v:"). */
const METADATA_PREFIX = "v:";
/** Recipient-variable prefix for per-recipient headers. */
const HEADER_PREFIX = "h:";

/** What the batch mapping adds to the form. */
export interface MailgunCustomData {
  /** `v:KEY` custom data: key (without `v:`) → value. */
  customData: JsonObject;
  /** Header overrides: header name → value (a `%recipient.…%` reference in batches). */
  headers: Record<string, string>;
  /** Per-`to` recipient variables; null when the send is not a batch. */
  recipientVariables: Record<string, JsonObject> | null;
  /** Problems the caller must hear about (templateId limits); empty when none. */
  unsupported: string[];
}

const reference = (key: string): string => `%recipient.${key}%`;

/** Every key used by any recipient, in first-seen order. */
function keysOf(perRecipient: Record<string, Record<string, unknown>>): string[] {
  const keys = new Set<string>();
  for (const data of Object.values(perRecipient))
    for (const key of Object.keys(data)) keys.add(key);
  return [...keys];
}

function isComplex(value: unknown): boolean {
  return typeof value === "object" && value !== null && !(value instanceof Date);
}

/**
 * Builds custom data and recipient variables from a message's metadata and merge fields.
 *
 * @example
 * buildCustomData(message).recipientVariables // { "alice@example.com": { name: "Alice" } }
 */
export function buildCustomData(message: NormalizedMessage): MailgunCustomData {
  const customData: JsonObject = shallowMerge(message.metadata);
  const headers: Record<string, string> = {};
  const unsupported: string[] = [];
  const toEmails = message.to.map((address) => address.addrSpec);
  const variables: Record<string, JsonObject> = {};
  // fills each `to`'s recipient variables in place (one object per recipient, no copies)
  const forEachTo = (fill: (email: string, into: JsonObject) => void): void => {
    for (const email of toEmails) fill(email, (variables[email] ??= {}));
  };

  const mergeMetadata = message.mergeMetadata ?? {};
  const metadataKeys = keysOf(mergeMetadata);
  if (metadataKeys.length > 0) {
    for (const key of metadataKeys) customData[key] = reference(METADATA_PREFIX + key);
    forEachTo((email, into) => {
      const own = mergeMetadata[email] ?? {};
      // a key missing for this recipient falls back to metadata, else "" (spec
      // "merge_metadata values default to empty string")
      for (const key of metadataKeys) {
        into[METADATA_PREFIX + key] = key in own ? own[key] : (message.metadata?.[key] ?? "");
      }
    });
  }

  const mergeData = message.mergeData ?? {};
  const globalData = message.mergeGlobalData ?? {};
  const mergeKeys = [...new Set([...keysOf(mergeData), ...Object.keys(globalData)])];
  if (mergeKeys.length > 0) {
    // Mailgun has no global merge data: copy it to every recipient (spec "emulates")
    forEachTo((email, into) => {
      const own = mergeData[email] ?? {};
      for (const key of mergeKeys)
        setOwn(into, key, key in own ? own[key] : (globalData[key] ?? ""));
    });
    if (message.templateId !== null) {
      const clashes = mergeKeys.filter((key) => key in customData);
      if (clashes.length > 0) {
        unsupported.push(
          `conflicting mergeData and metadata keys (${clashes.map((k) => `'${k}'`).join(", ")}) ` +
            `when using templateId`,
        );
      }
      const complex = mergeKeys.filter(
        (key) =>
          isComplex(globalData[key]) || Object.values(mergeData).some((d) => isComplex(d[key])),
      );
      if (complex.length > 0) {
        // confirmed with Mailgun support 8/2019 (spec): batch template data must be simple
        unsupported.push(
          `complex mergeData values (${complex.map((k) => `'${k}'`).join(", ")}) ` +
            `with templateId (use strings or numbers)`,
        );
      }
      for (const key of mergeKeys) customData[key] = reference(key);
    }
  }

  const mergeHeaders = message.mergeHeaders ?? {};
  const headerNames = keysOf(mergeHeaders);
  if (headerNames.length > 0) {
    for (const name of headerNames) headers[name] = reference(HEADER_PREFIX + name);
    forEachTo((email, into) => {
      const own = mergeHeaders[email] ?? {};
      for (const name of headerNames) {
        into[HEADER_PREFIX + name] = own[name] ?? getHeader(message.headers, name) ?? "";
      }
    });
  }

  const batch = message.isBatch || Object.keys(variables).length > 0;
  return { customData, headers, recipientVariables: batch ? variables : null, unsupported };
}
