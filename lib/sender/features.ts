/**
 * @module
 * Enforces an adapter's declared FeatureSupport in one place: a feature the ESP cannot
 * express raises AnymailUnsupportedFeature, or is dropped/degraded when ignored.
 */
import type { FeatureSupport } from "../esps/types.js";
import { headerKey, type NormalizedMessage } from "./message.js";

/** Reports one unsupported feature; returns only when the caller ignores unsupported features. */
export type Unsupported = (feature: string) => void;

/** Checks (and, when ignored, strips) every feature the ESP lacks. Mutates `message`. */
export function enforceFeatures(
  message: NormalizedMessage,
  features: FeatureSupport,
  unsupported: Unsupported,
): void {
  if (message.fromAll.length > 1 && !features.multipleFrom) {
    unsupported("multiple from addresses");
    message.fromAll = message.fromAll.slice(0, 1);
  }
  const toHeader = headerKey(message.headers, "To");
  if (toHeader && !features.spoofedTo) {
    unsupported("spoofing the To header");
    delete message.headers[toHeader];
  }
  if (message.replyTo.length > 0 && !features.replyTo) {
    unsupported("replyTo");
    message.replyTo = [];
  } else if (message.replyTo.length > 1 && features.replyTo === "single") {
    unsupported("multiple replyTo addresses");
    message.replyTo = message.replyTo.slice(0, 1);
  }
  if (message.envelopeSender && !features.envelopeSender) {
    unsupported("envelopeSender");
    message.envelopeSender = null;
  }
  if (message.metadata && !features.metadata) {
    unsupported("metadata");
    message.metadata = null;
  }
  if (message.mergeMetadata && !features.mergeMetadata) {
    unsupported("mergeMetadata");
    message.mergeMetadata = null;
  }
  if (message.tags.length > 0 && !features.tags) {
    unsupported("tags");
    message.tags = [];
  } else if (message.tags.length > 1 && features.tags === "single") {
    unsupported("multiple tags");
    message.tags = message.tags.slice(0, 1);
  }
  if (message.trackOpens !== null && !features.trackOpens) {
    unsupported("trackOpens");
    message.trackOpens = null;
  }
  if (message.trackClicks !== null && !features.trackClicks) {
    unsupported("trackClicks");
    message.trackClicks = null;
  }
  if (message.sendAt && !features.sendAt) {
    unsupported("sendAt");
    message.sendAt = null;
  }
  if (message.templateId !== null && !features.templateId) {
    unsupported("templateId");
    message.templateId = null;
  }
  if (message.mergeData && !features.mergeData) {
    unsupported("mergeData");
    message.mergeData = null;
  }
  if (message.mergeGlobalData && !features.mergeGlobalData) {
    unsupported("mergeGlobalData");
    message.mergeGlobalData = null;
  }
  if (message.mergeHeaders && !features.mergeHeaders) {
    unsupported("mergeHeaders");
    message.mergeHeaders = null;
  }
  message.isBatch =
    message.mergeData !== null || message.mergeMetadata !== null || message.mergeHeaders !== null;

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
