// Mailtrap in the send kit: Email Sending API /api/send JSON.
import type { HttpSendProfile, SentAddress } from "../../helpers/describe-http-send.js";
import {
  base64,
  fromEmailObject,
  lowerHeaders,
  sentMessage,
} from "../../helpers/describe-http-send.js";

type Obj = Record<string, unknown>;
const list = (value: unknown): SentAddress[] =>
  Array.isArray(value) ? value.map((a) => fromEmailObject(a)) : [];

export const profile: HttpSendProfile = {
  esp: "mailtrap",
  options: (url) => ({ apiToken: "kit-mailtrap-token", apiUrl: `${url}/api/` }),
  success: (recipients) => ({
    status: 200,
    body: { success: true, message_ids: recipients.map((_, i) => `kit-mailtrap-${i}`) },
    sendStatus: "queued",
    messageId: "kit-mailtrap-0",
  }),
  error: (text) => ({ status: 400, body: { success: false, errors: [text] } }),
  read(request) {
    const m = request.json as Obj;
    const files = Array.isArray(m.attachments) ? (m.attachments as Obj[]) : [];
    const inline = (a: Obj) => a.disposition === "inline";
    const replyTo = m.reply_to;
    return sentMessage({
      from: m.from ? fromEmailObject(m.from) : null,
      to: list(m.to),
      cc: list(m.cc),
      bcc: list(m.bcc),
      replyTo: Array.isArray(replyTo) ? list(replyTo) : replyTo ? [fromEmailObject(replyTo)] : [],
      subject: (m.subject as string) ?? null,
      text: (m.text as string) ?? null,
      html: (m.html as string) ?? null,
      headers: lowerHeaders(m.headers),
      attachments: files
        .filter((a) => !inline(a))
        .map((a) => ({
          filename: (a.filename as string) ?? null,
          contentType: (a.type as string) ?? null,
          content: base64(a.content),
        })),
      inlineImages: files
        .filter(inline)
        .map((a) => ({ cid: a.content_id as string, content: base64(a.content) })),
      tags: m.category ? [m.category as string] : [],
      metadata: (m.custom_variables as Obj) ?? {},
    });
  },
};
