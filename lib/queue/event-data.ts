/**
 * @module
 * A webhook event as job data and back: tracking events field by field, inbound messages as
 * their raw MIME (or, for a message an ESP posted as parsed fields, as those fields), large
 * ones optionally in a blob store; and the job id that makes an ESP's retries one job.
 */
import { createHash } from "node:crypto";
import type { AnymailChannel } from "../events/emitter.js";
import { AnymailInboundEvent } from "../events/inbound.js";
import {
  AnymailInboundMessage,
  type InboundAttachmentInit,
  type InboundFieldsInit,
} from "../events/inbound-message.js";
import { AnymailTrackingEvent, type AnymailTrackingEventInit } from "../events/tracking.js";
import { decodeValue, encodeValue, type Encoded } from "./json.js";

/** Where inbound messages above a size go instead of Redis (e.g. an S3 bucket). */
export interface BlobStore {
  /** Stores `bytes` under a name derived from `key`; resolves to the reference `get` takes. */
  put(key: string, bytes: Buffer): Promise<string>;
  get(ref: string): Promise<Buffer>;
}

/** The message's own facts besides its MIME (set by the ESP's handler). */
const ENVELOPE = [
  "envelopeSender",
  "envelopeRecipient",
  "spamScore",
  "spamDetected",
  "strippedText",
  "strippedHtml",
] as const;

type StoredMessage = ({ mime: string } | { blob: string } | { fields: Encoded }) & {
  [key in (typeof ENVELOPE)[number]]?: string | number | boolean | null;
};

/** One queued event. */
export interface EventJobData {
  channel: AnymailChannel;
  espName: string;
  /** The ESP's event id, for reading the queue (the job id is derived from it). */
  eventId: string | null;
  /** Tracking: every field of the event. Inbound: timestamp, eventId and espEvent. */
  event: Encoded;
  /** Inbound only. */
  message?: StoredMessage;
}

export interface EventCodecOptions {
  blobStore?: BlobStore;
  /** Raw messages larger than this go to `blobStore` (when there is one). @default 1 MiB */
  blobThreshold?: number;
}

function partFields(part: AnymailInboundMessage, inline: boolean): InboundAttachmentInit {
  const charset = part.getContentCharset();
  return {
    filename: part.getFilename(),
    contentType: charset ? `${part.getContentType()}; charset=${charset}` : part.getContentType(),
    content: part.getContentBytes(),
    contentId: part.getContentId(),
    inline,
  };
}

/** A message built from an ESP's fields has no MIME to keep: its fields rebuild it. */
function messageFields(message: AnymailInboundMessage): InboundFieldsInit {
  return {
    headers: message.headers,
    from: message.fromEmail ? String(message.fromEmail) : null,
    to: message.to.length ? message.to.map(String).join(", ") : null,
    cc: message.cc.length ? message.cc.map(String).join(", ") : null,
    subject: message.subject,
    date: message.date,
    text: message.text,
    html: message.html,
    attachments: [
      // an inline part without a Content-ID is among the attachments
      ...message.attachments.map((part) => partFields(part, part.isInline())),
      ...Object.values(message.contentIdMap).map((part) => partFields(part, true)),
    ],
  };
}

async function storeMessage(
  message: AnymailInboundMessage,
  key: string,
  options: EventCodecOptions,
): Promise<StoredMessage> {
  const envelope = Object.fromEntries(ENVELOPE.map((name) => [name, message[name]]));
  // a message parsed from MIME keeps the whole raw message as its content bytes
  const raw = message.getContentBytes();
  if (raw.length === 0) return { fields: encodeValue(messageFields(message)), ...envelope };
  const { blobStore, blobThreshold = 1024 * 1024 } = options;
  if (blobStore && raw.length > blobThreshold) {
    return { blob: await blobStore.put(key, raw), ...envelope };
  }
  return { mime: raw.toString("base64"), ...envelope };
}

async function loadMessage(
  stored: StoredMessage,
  options: EventCodecOptions,
): Promise<AnymailInboundMessage> {
  let message: AnymailInboundMessage;
  if ("mime" in stored)
    message = await AnymailInboundMessage.fromRaw(Buffer.from(stored.mime, "base64"));
  else if ("blob" in stored) {
    if (!options.blobStore)
      throw new Error("a queued message is in a blob store, and none was given");
    message = await AnymailInboundMessage.fromRaw(await options.blobStore.get(stored.blob));
  } else
    message = await AnymailInboundMessage.fromFields(
      decodeValue(stored.fields) as InboundFieldsInit,
    );
  Object.assign(message, Object.fromEntries(ENVELOPE.map((name) => [name, stored[name] ?? null])));
  return message;
}

function hash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 40);
}

/**
 * The job id of an event: the same for every delivery of one ESP event, so an ESP's retries
 * and overlapping deliveries add one job. Some ESPs give one id to every event of one
 * notification (one per recipient) or none at all, so the id is combined with the type,
 * recipient and time, and an event without an id is identified by its whole content.
 */
export function eventJobId(data: EventJobData): string {
  if (data.eventId === null) {
    return `evt-${hash([data.espName, data.channel, data.event, data.message ?? null])}`;
  }
  // read from the encoded event: a tracking event's fields are top-level, its time tagged
  const event = (data.channel === "tracking" ? data.event : {}) as Record<string, Encoded>;
  const timestamp = event.timestamp as { v?: Encoded } | null | undefined;
  return `evt-${hash([
    data.espName,
    data.channel,
    data.eventId,
    event.eventType ?? null,
    event.recipient ?? null,
    timestamp?.v ?? null,
  ])}`;
}

/** An event as job data. */
export async function toJobData(
  channel: AnymailChannel,
  event: AnymailTrackingEvent | AnymailInboundEvent,
  espName: string,
  options: EventCodecOptions = {},
): Promise<EventJobData> {
  if (event instanceof AnymailInboundEvent) {
    const { timestamp, eventId, espEvent } = event;
    const encoded = encodeValue({ timestamp, eventId, espEvent }, "event");
    const key = hash([espName, eventId, encoded]);
    const message = await storeMessage(event.message, key, options);
    return { channel, espName, eventId, event: encoded, message };
  }
  return { channel, espName, eventId: event.eventId, event: encodeValue({ ...event }, "event") };
}

/** Job data back to the typed event it was made from. */
export async function fromJobData(
  data: EventJobData,
  options: EventCodecOptions = {},
): Promise<AnymailTrackingEvent | AnymailInboundEvent> {
  const fields = decodeValue(data.event) as Record<string, unknown>;
  if (data.channel === "inbound" && data.message) {
    const message = await loadMessage(data.message, options);
    return new AnymailInboundEvent({ ...fields, message, espEvent: fields.espEvent });
  }
  return new AnymailTrackingEvent(fields as unknown as AnymailTrackingEventInit);
}
