// Scaleway TEM in the send kit: v1alpha1 /emails JSON, one answer entry per recipient;
// Reply-To, metadata and tags travel in additional_headers.
import type { HttpSendProfile, SentAddress } from "../../helpers/describe-http-send.js";
import {
  base64,
  fromEmailObject,
  parseAddresses,
  sentMessage,
} from "../../helpers/describe-http-send.js";

type Obj = Record<string, unknown>;
const list = (value: unknown): SentAddress[] =>
  Array.isArray(value) ? value.map((a) => fromEmailObject(a)) : [];

export const profile: HttpSendProfile = {
  esp: "scaleway",
  options: (url) => ({ secretKey: "kit-scw-secret", projectId: "kit-project", apiUrl: url }),
  success: (recipients) => ({
    status: 200,
    body: {
      emails: recipients.map((rcpt, i) => ({
        id: `kit-scw-${i}`,
        message_id: `msg-${i}`,
        project_id: "kit-project",
        mail_from: "from@example.com",
        rcpt_to: rcpt,
        mail_rcpt: rcpt,
        rcpt_type: "to",
        subject: "Kit subject",
        created_at: "2024-05-01T12:00:00Z",
        updated_at: "2024-05-01T12:00:00Z",
        status: "sending",
        try_count: 0,
        last_tries: [],
        flags: [],
      })),
    },
    sendStatus: "queued",
    messageId: "kit-scw-0",
  }),
  error: (text) => ({
    status: 400,
    body: { message: text, type: "invalid_arguments", details: [] },
  }),
  read(request) {
    const m = request.json as Obj;
    const headers: Record<string, string> = {};
    for (const h of (m.additional_headers as Obj[]) ?? []) {
      headers[String(h.key).toLowerCase()] = String(h.value);
    }
    const files = Array.isArray(m.attachments) ? (m.attachments as Obj[]) : [];
    return sentMessage({
      from: m.from ? fromEmailObject(m.from) : null,
      to: list(m.to),
      cc: list(m.cc),
      bcc: list(m.bcc),
      replyTo: parseAddresses(headers["reply-to"]),
      subject: (m.subject as string) ?? null,
      text: (m.text as string) ?? null,
      html: (m.html as string) ?? null,
      headers,
      attachments: files.map((a) => ({
        filename: (a.name as string) ?? null,
        contentType: (a.type as string) ?? null,
        content: base64(a.content),
      })),
      tags: headers["x-tags"] ? (JSON.parse(headers["x-tags"]) as string[]) : [],
      metadata: headers["x-metadata"] ? (JSON.parse(headers["x-metadata"]) as Obj) : {},
    });
  },
};
