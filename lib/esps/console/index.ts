/**
 * @module
 * The console ESP: prints each message, readably, to a stream (stdout by default)
 * instead of sending it. For development.
 */
import { randomUUID } from "node:crypto";
import { allRecipients, type NormalizedMessage } from "../../sender/message.js";
import { ALL_FEATURES } from "../test/index.js";
import { setting } from "../../settings.js";
import { defineEsp } from "../types.js";

type Writable = { write(chunk: string): unknown };

/** The readable text of a message: headers, Anymail extras, bodies, attachment list. */
export function formatMessage(message: NormalizedMessage, messageId: string): string {
  const lines: string[] = [];
  const line = (name: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value) && value.length === 0) return;
    lines.push(
      `${name}: ${Array.isArray(value) ? value.join(", ") : typeof value === "object" ? JSON.stringify(value) : String(value)}`,
    );
  };
  line("Message-ID", messageId);
  line("From", message.fromAll.map(String));
  line("To", message.to.map(String));
  line("Cc", message.cc.map(String));
  line("Bcc", message.bcc.map(String));
  line("Reply-To", message.replyTo.map(String));
  line("Subject", message.subject);
  for (const [name, value] of Object.entries(message.headers)) line(name, value);
  line("Envelope-Sender", message.envelopeSender?.toString());
  line("Tags", message.tags);
  line("Metadata", message.metadata);
  line("Track-Opens", message.trackOpens);
  line("Track-Clicks", message.trackClicks);
  line("Send-At", message.sendAt?.toISOString());
  line("Template-ID", message.templateId);
  line("Merge-Data", message.mergeData);
  line("Merge-Global-Data", message.mergeGlobalData);
  line("Merge-Metadata", message.mergeMetadata);
  line("ESP-Extra", message.espExtra);
  const body = (title: string, text: string | null) => {
    if (text !== null) lines.push("", `----- ${title} -----`, text);
  };
  body("text/plain", message.text);
  body("text/html", message.html);
  for (const alt of message.alternatives) body(alt.contentType, alt.content);
  if (message.attachments.length > 0) {
    lines.push("", "----- attachments -----");
    for (const a of message.attachments) {
      const cid = a.cid ? `, cid ${a.cid}` : "";
      lines.push(
        `${a.filename ?? "(no filename)"} (${a.contentType}, ${a.content.length} bytes${a.inline ? ", inline" : ""}${cid})`,
      );
    }
  }
  return lines.join("\n");
}

function writable(value: unknown): Writable {
  if (typeof (value as Partial<Writable> | null)?.write === "function") return value as Writable;
  throw new TypeError("must be a writable stream (an object with a write method)");
}

export const adapter = defineEsp({
  name: "console",
  displayName: "Console",
  settings: {
    /** The stream to print to (an option only). @default process.stdout */
    stream: setting.custom(writable),
  },
  features: ALL_FEATURES,
  async send(message, context) {
    const stream = context.settings.stream ?? process.stdout;
    const messageId = randomUUID();
    stream.write(`${"=".repeat(70)}\n${formatMessage(message, messageId)}\n${"=".repeat(70)}\n`);
    const recipients = Object.fromEntries(
      allRecipients(message).map((r) => [r.addrSpec, { status: "sent" as const, messageId }]),
    );
    return { recipients, espResponse: { messageId } };
  },
});
