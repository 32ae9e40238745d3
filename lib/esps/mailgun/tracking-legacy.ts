/**
 * @module
 * Mailgun's legacy (before June 2018) tracking webhooks: form fields, with the message's
 * user-variables merged in among Mailgun's own fields (Mailgun "Legacy webhooks" docs).
 */
import {
  AnymailTrackingEvent,
  type RejectReason,
  type TrackingEventType,
} from "../../events/tracking.js";

/** Legacy `event` field → normalized event type (no queued or deferred events exist). */
export const LEGACY_EVENT_TYPES = {
  delivered: "delivered",
  dropped: "rejected",
  bounced: "bounced",
  complained: "complained",
  unsubscribed: "unsubscribed",
  opened: "opened",
  clicked: "clicked",
} as const satisfies Record<string, TrackingEventType>;

/**
 * SMTP-style `code` → reject reason, for the exceptions to "400–599 is bounced, anything
 * else other" (oracle 9.0).
 */
export const LEGACY_REJECT_REASONS: Record<number, RejectReason> = {
  499: "timed_out", // unable to connect to MX (also covers invalid recipients)
  605: "bounced", // Mailgun extension: previously bounced address
  607: "spam", // Mailgun extension: previous spam complaint
};

/** Fields Mailgun documents (or sends) on opened/clicked/unsubscribed, which lack message-headers. */
const COMMON_FIELDS = [
  "event",
  "recipient",
  "domain",
  "ip",
  "country",
  "region",
  "city",
  "user-agent",
  "device-type",
  "client-type",
  "client-name",
  "client-os",
  "campaign-id",
  "campaign-name",
  "tag",
  "mailing-list",
  "timestamp",
  "token",
  "signature",
  // undocumented, but observed in real events; hence the spec's metadata-key limitation
  "body-plain",
  "h",
  "message-id",
];
const KNOWN_FIELDS: Record<string, ReadonlySet<string>> = {
  clicked: new Set([...COMMON_FIELDS, "url"]),
  opened: new Set(COMMON_FIELDS),
  unsubscribed: new Set(COMMON_FIELDS),
};
/** Security fields come after a same-named user variable; other fields come before it. */
const TRAILING_FIELDS = new Set(["signature", "timestamp", "token"]);

type Form = Record<string, string[]>;

/** An inbound route's post has a sender and no event. */
export function isInboundPost(form: Form): boolean {
  return form.event === undefined && form.sender !== undefined;
}

// user-variables may repeat a Mailgun field name: Mailgun's own value comes first
const first = (form: Form, name: string): string | null => form[name]?.[0] ?? null;

function rejectReasonOf(code: string | null): RejectReason | null {
  if (code === null || code.trim() === "") return null;
  if (/^\d+$/.test(code.trim())) {
    const status = Number(code);
    return LEGACY_REJECT_REASONS[status] ?? (status >= 400 && status < 600 ? "bounced" : "other");
  }
  // an RFC 3463 enhanced status code, "5.1.1"
  return /^[45]\./.test(code.trim()) ? "bounced" : "other";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The message's metadata. With message-headers, it is read from the X-Mailgun-Variables
 * header(s); without, it is every field Mailgun does not document for the event type.
 */
export function legacyMetadata(form: Form): Record<string, unknown> {
  const headersField = first(form, "message-headers");
  if (headersField !== null) {
    const headers = parseJson(headersField);
    const metadata: Record<string, unknown> = {};
    if (!Array.isArray(headers)) return metadata;
    for (const header of headers) {
      if (!Array.isArray(header) || header[0] !== "X-Mailgun-Variables") continue;
      const variables = parseJson(String(header[1]));
      if (typeof variables === "object" && variables !== null) Object.assign(metadata, variables);
    }
    return metadata;
  }
  const known = KNOWN_FIELDS[first(form, "event") ?? ""];
  if (!known) return {};
  const metadata: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(form)) {
    if (!known.has(name)) metadata[name] = values.at(-1);
    // a user variable named "tag" cannot be told from a tag (spec: legacy limitation)
    else if (name === "tag" || values.length < 2) continue;
    else metadata[name] = TRAILING_FIELDS.has(name) ? values[0] : values.at(-1);
  }
  return metadata;
}

/** One legacy webhook post → one event. Tolerates missing or odd fields (changelog v0.10). */
export function legacyToTrackingEvent(form: Form): AnymailTrackingEvent {
  const eventType: TrackingEventType =
    LEGACY_EVENT_TYPES[(first(form, "event") ?? "") as keyof typeof LEGACY_EVENT_TYPES] ??
    "unknown";
  const timestamp = Number(form.timestamp?.at(-1));
  const messageId = first(form, "Message-Id") ?? first(form, "message-id");
  const failure = eventType === "bounced" || eventType === "rejected";
  return new AnymailTrackingEvent({
    eventType,
    timestamp: Number.isFinite(timestamp) ? new Date(timestamp * 1000) : null,
    eventId: form.token?.at(-1) ?? null,
    recipient: first(form, "recipient"),
    // sometimes lower-case "message-id", and without the angle brackets
    messageId: messageId && !messageId.startsWith("<") ? `<${messageId}>` : messageId,
    metadata: legacyMetadata(form),
    // tags should be "tag" fields, but are sometimes the undocumented X-Mailgun-Tag
    tags: form.tag ?? form["X-Mailgun-Tag"] ?? [],
    rejectReason: failure ? rejectReasonOf(first(form, "code")) : null,
    description: first(form, "description"),
    mtaResponse: first(form, "error") ?? first(form, "notification"),
    userAgent: first(form, "user-agent"),
    clickUrl: first(form, "url"),
    espEvent: form,
  });
}
