/**
 * @module
 * A NormalizedMessage as the sender core would hand it to an adapter, for specs that call
 * an adapter's pure request-building functions directly.
 */
import { EmailAddress } from "../../lib/sender/address.js";
import type { NormalizedMessage } from "../../lib/sender/message.js";

/** From from@example.com to to@example.com, subject "Subject", text "Text"; `fields` override. */
export function normalizedMessage(fields: Partial<NormalizedMessage> = {}): NormalizedMessage {
  const from = fields.from === undefined ? new EmailAddress("from@example.com") : fields.from;
  return {
    from,
    fromAll: fields.fromAll ?? (from ? [from] : []),
    to: [new EmailAddress("to@example.com")],
    cc: [],
    bcc: [],
    replyTo: [],
    subject: "Subject",
    text: "Text",
    html: null,
    alternatives: [],
    attachments: [],
    headers: {},
    envelopeSender: null,
    metadata: null,
    mergeMetadata: null,
    tags: [],
    trackOpens: null,
    trackClicks: null,
    sendAt: null,
    espExtra: null,
    templateId: null,
    mergeData: null,
    mergeGlobalData: null,
    mergeHeaders: null,
    isBatch: false,
    ...fields,
  };
}
