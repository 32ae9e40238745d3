/**
 * @module
 * What the page shows: the events received (newest first, bounded), the messages sent from
 * the page, and the link between them (an event whose message id is one the page sent).
 */
import { randomUUID } from "node:crypto";
import sanitizeHtml from "sanitize-html";
import type {
  AnymailInboundEvent,
  AnymailInboundMessage,
  AnymailMessage,
  AnymailTrackingEvent,
} from "anymail";

export interface RecipientRow {
  email: string;
  status: string;
  messageId: string | null;
}

export interface Preview {
  subject: string | null;
  headers: [string, string][];
  text: string | null;
  html: string | null;
  attachments: { filename: string; contentType: string; size: number }[];
  /** The console ESP's printout of the message, when sent through it. */
  printed?: string;
}

export interface SentMessage {
  id: string;
  sentAt: string;
  esp: string;
  subject: string;
  statusLine: string;
  recipients: RecipientRow[];
  preview: Preview;
}

export interface InboundView {
  from: string | null;
  to: string[];
  subject: string | null;
  text: string | null;
  /** Sanitized: no scripts, styles, event handlers or remote images. */
  html: string | null;
  attachments: { index: number; filename: string | null; contentType: string; size: number }[];
}

/** One received event as the page lists it. */
export interface StoredEvent {
  id: string;
  channel: "tracking" | "inbound";
  espName: string;
  receivedAt: string;
  eventType: string;
  recipient: string | null;
  messageId: string | null;
  rejectReason: string | null;
  /** The normalized event (without espEvent), as JSON. */
  event: Record<string, unknown>;
  espEvent: unknown;
  inbound?: InboundView;
  /** The message sent from this page that the event is about. */
  sent?: { id: string; subject: string };
}

const MAX_EVENTS = 200;
const MAX_SENT = 50;
const MAX_RAW_CHARS = 50_000;

// angle brackets are optional in message ids (Mailgun adds them, Postmark does not)
const idKey = (id: string) => id.trim().replace(/^<|>$/g, "");

export class EventLog {
  readonly events: StoredEvent[] = [];
  /** Events received since start (the list itself is bounded). */
  total = 0;
  readonly #sent = new Map<string, SentMessage>();
  readonly #byMessageId = new Map<string, SentMessage>();
  readonly #inbound = new Map<string, AnymailInboundEvent>();
  readonly #printed = new Map<string, string>();
  readonly #watchers = new Set<(event: StoredEvent) => void>();

  subscribe(watcher: (event: StoredEvent) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  add(
    channel: StoredEvent["channel"],
    event: AnymailTrackingEvent | AnymailInboundEvent,
    espName: string,
  ): StoredEvent {
    const { espEvent, ...fields } = event as unknown as Record<string, unknown>;
    const tracking = channel === "tracking" ? (event as AnymailTrackingEvent) : undefined;
    const inbound = channel === "inbound" ? (event as AnymailInboundEvent) : undefined;
    const messageId = tracking?.messageId ?? null;
    const sent = messageId ? this.#byMessageId.get(idKey(messageId)) : undefined;
    const stored: StoredEvent = {
      id: randomUUID(),
      channel,
      espName,
      receivedAt: new Date().toISOString(),
      eventType: event.eventType,
      recipient: tracking?.recipient ?? inbound?.message.envelopeRecipient ?? null,
      messageId,
      rejectReason: tracking?.rejectReason ?? null,
      event: inbound ? inboundFields(inbound) : (toJson(fields) as Record<string, unknown>),
      espEvent: rawJson(espEvent),
      ...(inbound ? { inbound: inboundView(inbound.message) } : {}),
      ...(sent ? { sent: { id: sent.id, subject: sent.subject } } : {}),
    };
    if (inbound) this.#inbound.set(stored.id, inbound);
    this.events.unshift(stored);
    this.total += 1;
    for (const old of this.events.splice(MAX_EVENTS)) this.#inbound.delete(old.id);
    for (const watcher of this.#watchers) watcher(stored);
    return stored;
  }

  attachment(eventId: string, index: number): AnymailInboundMessage | undefined {
    return this.#inbound.get(eventId)?.message.attachments[index];
  }

  /** Keeps the console ESP's printout of each message, by its Message-ID line. */
  rememberPrinted(chunk: string): void {
    const id = /^Message-ID: (.+)$/m.exec(chunk)?.[1];
    if (!id) return;
    this.#printed.set(idKey(id), chunk.replace(/^=+\n|\n=+\n?$/g, ""));
    for (const old of [...this.#printed.keys()].slice(0, -MAX_SENT)) this.#printed.delete(old);
  }

  addSent(fields: Omit<SentMessage, "id" | "sentAt">): SentMessage {
    const sent: SentMessage = { id: randomUUID(), sentAt: new Date().toISOString(), ...fields };
    for (const r of sent.recipients) {
      if (!r.messageId) continue;
      this.#byMessageId.set(idKey(r.messageId), sent);
      const printed = this.#printed.get(idKey(r.messageId));
      if (printed) sent.preview.printed = printed;
    }
    this.#sent.set(sent.id, sent);
    for (const old of [...this.#sent.values()].slice(0, -MAX_SENT)) {
      this.#sent.delete(old.id);
      for (const r of old.recipients) if (r.messageId) this.#byMessageId.delete(idKey(r.messageId));
    }
    return sent;
  }

  sent(id: string): SentMessage | undefined {
    return this.#sent.get(id);
  }
}

/** "Queued for 2 recipients · message id …", from the per-recipient statuses. */
export function statusLine(recipients: RecipientRow[]): string {
  const count = (n: number) => `${n} recipient${n === 1 ? "" : "s"}`;
  const byStatus = new Map<string, number>();
  for (const r of recipients) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const words: Record<string, string> = {
    sent: "Sent to",
    queued: "Queued for",
    rejected: "Rejected for",
    invalid: "Invalid for",
    failed: "Failed for",
    unknown: "Unknown status for",
  };
  const parts = [...byStatus].map(([status, n]) => `${words[status] ?? status} ${count(n)}`);
  const ids = [...new Set(recipients.map((r) => r.messageId).filter(Boolean))];
  if (ids.length === 1) parts.push(`message id ${ids[0]}`);
  else if (ids.length > 1) parts.push(`${ids.length} message ids`);
  return parts.join(" · ") || "No recipients";
}

/** What was sent, for the preview: the message as the form gave it. */
export function previewOf(
  message: AnymailMessage,
  file: { originalname: string; mimetype: string; size: number } | undefined,
): Preview {
  const list = (value: unknown) => (Array.isArray(value) ? value.join(", ") : String(value ?? ""));
  const headers: [string, string][] = [];
  const add = (name: string, value: unknown) => {
    const text = list(value);
    if (text) headers.push([name, text]);
  };
  add("From", message.from);
  add("To", message.to);
  add("Cc", message.cc);
  add("Subject", message.subject);
  add("Tags", message.tags);
  if (message.metadata) add("Metadata", JSON.stringify(message.metadata));
  return {
    subject: message.subject ?? null,
    headers,
    text: message.text ?? null,
    html: message.html ?? null,
    attachments: file
      ? [{ filename: file.originalname, contentType: file.mimetype, size: file.size }]
      : [],
  };
}

function inboundFields(event: AnymailInboundEvent): Record<string, unknown> {
  const m = event.message;
  return toJson({
    eventType: event.eventType,
    timestamp: event.timestamp,
    eventId: event.eventId,
    from: m.fromEmail?.toString() ?? null,
    to: m.to.map(String),
    subject: m.subject,
    envelopeSender: m.envelopeSender,
    envelopeRecipient: m.envelopeRecipient,
    spamDetected: m.spamDetected,
    spamScore: m.spamScore,
    attachments: m.attachments.length,
  }) as Record<string, unknown>;
}

function inboundView(m: AnymailInboundMessage): InboundView {
  return {
    from: m.fromEmail?.toString() ?? null,
    to: m.to.map(String),
    subject: m.subject,
    text: m.text,
    html: m.html === null ? null : sanitizeHtml(m.html, SANITIZE),
    attachments: m.attachments.map((a, index) => ({
      index,
      filename: a.getFilename(),
      contentType: a.getContentType(),
      size: a.getContentBytes().length,
    })),
  };
}

// sanitize-html's defaults (no script, style, iframe, on* attributes), plus images that are
// inline data only: a remote image would tell the sender the message was opened
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, "img"],
  allowedAttributes: { ...sanitizeHtml.defaults.allowedAttributes, img: ["src", "alt"] },
  allowedSchemesByTag: { img: ["data"] },
};

function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) ?? "null") as unknown;
}

/** The raw ESP event as JSON, cut short when huge (inbound MIME can be megabytes). */
function rawJson(value: unknown): unknown {
  let text: string | undefined;
  try {
    // a Buffer reaches the replacer already as { type: "Buffer", data: [...] }
    text = JSON.stringify(value, (_key, v: unknown) => {
      const buffer = v as { type?: unknown; data?: unknown };
      return buffer?.type === "Buffer" && Array.isArray(buffer.data)
        ? `<${buffer.data.length} bytes>`
        : v;
    });
  } catch {
    return String(value);
  }
  if (text === undefined) return null;
  if (text.length > MAX_RAW_CHARS) return `${text.slice(0, MAX_RAW_CHARS)}… (cut)`;
  return JSON.parse(text) as unknown;
}
