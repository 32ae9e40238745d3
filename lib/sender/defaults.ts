/**
 * @module
 * Merging send defaults into a message, as a table: one rule per field (spec "Global send
 * defaults"). `null` on the message drops a default; `undefined` takes it.
 */
import { deepMerge, isPlainObject, setOwn, shallowMerge } from "../util/deep-merge.js";
import { mergeHeaders, type AnymailMessage, type SendDefaults } from "./message.js";

type MergeRule =
  | "last" // the message's value replaces the default
  | "concat" // lists: defaults first
  | "merge" // objects: the message's keys win
  | "headers" // objects with case-insensitive keys
  | "perRecipient" // objects of objects: merged one level deep, per recipient
  | "deep"; // objects merged recursively (espExtra)

type Field = keyof SendDefaults;

export const MERGE_RULES = {
  from: "last",
  to: "concat",
  cc: "concat",
  bcc: "concat",
  replyTo: "concat",
  subject: "last",
  text: "last",
  html: "last",
  alternatives: "concat",
  attachments: "concat",
  headers: "headers",
  envelopeSender: "last",
  metadata: "merge",
  mergeMetadata: "perRecipient",
  tags: "concat",
  trackOpens: "last",
  trackClicks: "last",
  sendAt: "last",
  espExtra: "deep",
  templateId: "last",
  mergeData: "perRecipient",
  mergeGlobalData: "merge",
  mergeHeaders: "perRecipient",
} as const satisfies Record<Field, MergeRule>;

type Obj = Record<string, unknown>;

function isEmpty(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false;
  return true;
}

function combine(rule: MergeRule, base: unknown, over: unknown): unknown {
  switch (rule) {
    case "last":
      return over;
    case "concat":
      return [...(Array.isArray(base) ? base : [base]), ...(Array.isArray(over) ? over : [over])];
    case "merge":
      return shallowMerge(base as Obj, over as Obj);
    case "headers":
      return mergeHeaders(base as Obj, over as Obj);
    case "perRecipient": {
      const out: Obj = shallowMerge(base as Obj);
      for (const [key, value] of Object.entries(over as Obj)) {
        const prior = Object.hasOwn(out, key) ? out[key] : undefined;
        setOwn(
          out,
          key,
          isPlainObject(prior) && isPlainObject(value) ? shallowMerge(prior, value) : value,
        );
      }
      return out;
    }
    case "deep":
      return deepMerge(base as Obj, over as Obj);
  }
}

/**
 * The message's fields merged over the defaults (ESP-specific defaults already applied
 * over the global ones by the caller). Returns a new object; the message is not changed.
 */
export function applySendDefaults(message: AnymailMessage, defaults: SendDefaults): SendDefaults {
  // nothing to merge (the common case): normalization only reads the message
  if (isEmpty(defaults)) return message;
  const merged: Record<string, unknown> = {};
  for (const field of Object.keys(MERGE_RULES) as Field[]) {
    const own = message[field];
    const fallback = defaults[field];
    if (own === null) merged[field] = null;
    else if (own === undefined) merged[field] = fallback;
    else if (fallback === undefined || fallback === null) merged[field] = own;
    else merged[field] = combine(MERGE_RULES[field], fallback, own);
  }
  return merged as SendDefaults;
}
