/**
 * @module
 * Enforces an adapter's declared FeatureSupport in one place, as a table: each row names a
 * feature, says when a message uses it, whether the ESP's declaration allows that use, and
 * how to drop it when unsupported features are ignored.
 */
import type { FeatureSupport } from "../esps/types.js";
import { headerKey, type NormalizedMessage } from "./message.js";

/** Reports one unsupported feature; returns only when the caller ignores unsupported features. */
export type Unsupported = (feature: string) => void;

interface FeatureRule {
  /** The phrase in "<ESP> does not support <feature>". */
  feature: string;
  /** True when the message uses the feature in a way `features` does not allow. */
  refused(message: NormalizedMessage, features: FeatureSupport): boolean;
  /** Removes (or narrows) the feature, when unsupported features are ignored. */
  drop(message: NormalizedMessage): void;
}

/** A feature declared `true` (or any truthy form) supports every use of it. */
function simple<K extends keyof FeatureSupport & keyof NormalizedMessage>(
  key: K,
  used: (message: NormalizedMessage) => boolean,
  cleared: NormalizedMessage[K],
): FeatureRule {
  return {
    feature: key,
    refused: (message, features) => used(message) && !features[key],
    drop: (message) => {
      message[key] = cleared;
    },
  };
}

const present = (value: unknown): boolean => value !== null && value !== undefined;

/** The rules, in the order their errors are reported. */
const FEATURE_RULES: readonly FeatureRule[] = [
  {
    feature: "multiple from addresses",
    refused: (m, f) => m.fromAll.length > 1 && !f.multipleFrom,
    drop: (m) => void (m.fromAll = m.fromAll.slice(0, 1)),
  },
  {
    feature: "spoofing the To header",
    refused: (m, f) => headerKey(m.headers, "To") !== undefined && !f.spoofedTo,
    drop: (m) => void delete m.headers[headerKey(m.headers, "To") as string],
  },
  simple("replyTo", (m) => m.replyTo.length > 0, []),
  {
    feature: "multiple replyTo addresses",
    refused: (m, f) => m.replyTo.length > 1 && f.replyTo === "single",
    drop: (m) => void (m.replyTo = m.replyTo.slice(0, 1)),
  },
  simple("envelopeSender", (m) => present(m.envelopeSender), null),
  simple("metadata", (m) => present(m.metadata), null),
  simple("mergeMetadata", (m) => present(m.mergeMetadata), null),
  simple("tags", (m) => m.tags.length > 0, []),
  {
    feature: "multiple tags",
    refused: (m, f) => m.tags.length > 1 && f.tags === "single",
    drop: (m) => void (m.tags = m.tags.slice(0, 1)),
  },
  simple("trackOpens", (m) => m.trackOpens !== null, null),
  simple("trackClicks", (m) => m.trackClicks !== null, null),
  simple("sendAt", (m) => present(m.sendAt), null),
  simple("templateId", (m) => m.templateId !== null, null),
  simple("mergeData", (m) => present(m.mergeData), null),
  {
    // "withTemplate": the ESP substitutes merge data only into a stored template
    feature: "mergeData without a templateId",
    refused: (m, f) => present(m.mergeData) && f.mergeData === "withTemplate" && !m.templateId,
    drop: (m) => void (m.mergeData = null),
  },
  simple("mergeGlobalData", (m) => present(m.mergeGlobalData), null),
  {
    feature: "mergeGlobalData without a templateId",
    refused: (m, f) =>
      present(m.mergeGlobalData) && f.mergeGlobalData === "withTemplate" && !m.templateId,
    drop: (m) => void (m.mergeGlobalData = null),
  },
  simple("mergeHeaders", (m) => present(m.mergeHeaders), null),
];

/** Checks (and, when ignored, strips) every feature the ESP lacks. Mutates `message`. */
export function enforceFeatures(
  message: NormalizedMessage,
  features: FeatureSupport,
  unsupported: Unsupported,
): void {
  for (const rule of FEATURE_RULES) {
    if (!rule.refused(message, features)) continue;
    unsupported(rule.feature);
    rule.drop(message);
  }
  message.isBatch =
    message.mergeData !== null || message.mergeMetadata !== null || message.mergeHeaders !== null;

  // alternatives, inline images and attachments are checked per part
  const accepted = features.alternatives;
  message.alternatives = message.alternatives.filter((alt) => {
    const type = alt.contentType.toLowerCase();
    if (accepted === true || (Array.isArray(accepted) && accepted.includes(type))) return true;
    unsupported(`alternative part with type ${type}`);
    return false;
  });
  if (message.attachments.some((a) => a.inline) && !features.inlineImages) {
    unsupported("inline images");
    message.attachments = message.attachments.map((a) => ({ ...a, inline: false }));
  }
  if (message.attachments.length > 0 && !features.attachments) {
    unsupported("attachments");
    message.attachments = [];
  }
}
