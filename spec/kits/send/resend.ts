// Resend in the send kit: /emails JSON with address strings; metadata and tags travel as
// X-Metadata and X-Tags headers.
import type { HttpSendProfile } from "../../helpers/describe-http-send.js";
import {
  base64,
  lowerHeaders,
  parseAddresses,
  sentMessage,
} from "../../helpers/describe-http-send.js";

type Obj = Record<string, unknown>;
const addresses = (value: unknown) =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => parseAddresses(String(a)));
const ID = "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794";

export const profile: HttpSendProfile = {
  esp: "resend",
  options: (url) => ({ apiKey: "kit-resend-key", apiUrl: url }),
  success: () => ({ status: 200, body: { id: ID }, sendStatus: "queued", messageId: ID }),
  error: (text) => ({
    status: 422,
    body: { statusCode: 422, name: "validation_error", message: text },
  }),
  read(request) {
    const m = request.json as Obj;
    const headers = lowerHeaders(m.headers);
    const files = Array.isArray(m.attachments) ? (m.attachments as Obj[]) : [];
    return sentMessage({
      from: addresses(m.from)[0] ?? null,
      to: addresses(m.to),
      cc: addresses(m.cc),
      bcc: addresses(m.bcc),
      replyTo: addresses(m.reply_to),
      subject: (m.subject as string) ?? null,
      text: (m.text as string) ?? null,
      html: (m.html as string) ?? null,
      headers,
      attachments: files
        .filter((a) => !a.content_id)
        .map((a) => ({
          filename: (a.filename as string) ?? null,
          contentType: (a.content_type as string) ?? null,
          content: base64(a.content),
        })),
      inlineImages: files
        .filter((a) => a.content_id)
        .map((a) => ({ cid: a.content_id as string, content: base64(a.content) })),
      tags: headers["x-tags"] ? (JSON.parse(headers["x-tags"]) as string[]) : [],
      metadata: headers["x-metadata"] ? (JSON.parse(headers["x-metadata"]) as Obj) : {},
    });
  },
};
