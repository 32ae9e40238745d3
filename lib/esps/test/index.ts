/**
 * @module
 * The test ESP: sends nothing, records each message in `sender.outbox` with the final
 * parameters as `anymailTestParams`, and reports it "sent" under a unique message id.
 */
import { randomUUID } from "node:crypto";
import { allRecipients, type AnymailMessage } from "../../sender/message.js";
import { defineEsp, type FeatureSupport } from "../types.js";

/** Everything: the test ESP must not reject what a real ESP might accept. */
export const ALL_FEATURES: FeatureSupport = {
  envelopeSender: true,
  metadata: true,
  mergeMetadata: true,
  tags: true,
  trackOpens: true,
  trackClicks: true,
  sendAt: true,
  templateId: true,
  mergeData: true,
  mergeGlobalData: true,
  mergeHeaders: true,
  attachments: true,
  inlineImages: true,
  alternatives: true,
  replyTo: true,
  multipleFrom: true,
  spoofedTo: true,
};

const OUTBOX = "outbox";
const newOutbox = (): AnymailMessage[] => [];

export const adapter = defineEsp({
  name: "test",
  displayName: "Test",
  features: ALL_FEATURES,
  /** `sender.outbox`: the messages this sender "sent", as the caller gave them. */
  senderApi: (memo) => ({ outbox: memo(OUTBOX, newOutbox) }),
  async send(message, context) {
    context.original.anymailTestParams = message;
    context.memo(OUTBOX, newOutbox).push(context.original);
    const messageId = randomUUID();
    const recipients = Object.fromEntries(
      allRecipients(message).map((r) => [r.addrSpec, { status: "sent" as const, messageId }]),
    );
    return { recipients, espResponse: { messageId } };
  },
});
