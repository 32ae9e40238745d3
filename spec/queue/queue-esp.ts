/**
 * @module
 * The ESP the queue tests post to: tracking events as a JSON array (times, metadata, big
 * ids, ids shared across recipients), inbound messages as raw MIME or as parsed fields.
 * Also the small waiting helpers the queue tests share.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { AnymailTrackingEvent, type TrackingEventType } from "../../lib/events/tracking.js";
import { AnymailInboundEvent } from "../../lib/events/inbound.js";
import { AnymailInboundMessage, type InboundFieldsInit } from "../../lib/events/inbound-message.js";
import type { EspAdapter } from "../../lib/esps/types.js";

export interface QueueTestEvent {
  type: TrackingEventType;
  id?: string;
  recipient?: string;
  /** Epoch ms. */
  at?: number;
  metadata?: Record<string, unknown>;
  tags?: string[];
}

export const queueTestEsp: EspAdapter = {
  name: "queuetest",
  displayName: "Queue Test",
  features: {},
  tracking: {
    handle: (request) =>
      (request.json as QueueTestEvent[]).map(
        (event) =>
          new AnymailTrackingEvent({
            eventType: event.type,
            eventId: event.id,
            recipient: event.recipient,
            timestamp: event.at === undefined ? null : new Date(event.at),
            metadata: event.metadata,
            tags: event.tags,
            espEvent: event,
          }),
      ),
  },
  inbound: {
    async handle(request) {
      const message =
        request.contentType === "message/rfc822"
          ? await AnymailInboundMessage.fromRaw(request.rawBody)
          : await AnymailInboundMessage.fromFields(request.json as InboundFieldsInit);
      message.envelopeSender = (request.headers["x-envelope-sender"] as string) ?? null;
      message.spamScore = 1.5;
      return [
        new AnymailInboundEvent({
          eventId: (request.headers["x-event-id"] as string) ?? null,
          timestamp: new Date(1_700_000_000_000),
          message,
          espEvent: { received: new Date(1_700_000_000_000), size: request.rawBody.length },
        }),
      ];
    },
  },
};

let queues = 0;
/** A queue name no other test uses. */
export function freshQueueName(): string {
  return `anymail-test-${process.pid}-${++queues}`;
}

/** Resolves once `check()` is true; rejects after `timeout` ms. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeout = 8000,
  what = "a condition",
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const RAW_MESSAGE = [
  "From: Sender Name <sender@example.com>",
  "To: Recipient <inbound@example.com>",
  "Subject: =?utf-8?q?Caf=C3=A9_report?=",
  "Date: Tue, 14 Nov 2023 22:13:20 +0000",
  "Message-ID: <abc@example.com>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="BOUNDARY"',
  "",
  "--BOUNDARY",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Hello café",
  "--BOUNDARY",
  'Content-Type: application/octet-stream; name="data.bin"',
  'Content-Disposition: attachment; filename="data.bin"',
  "Content-Transfer-Encoding: base64",
  "",
  Buffer.from([0, 1, 2, 250, 255]).toString("base64"),
  "--BOUNDARY--",
  "",
].join("\r\n");
