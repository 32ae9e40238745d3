// Postal in the send kit: /api/v1/send/message JSON with address strings; errors come as
// HTTP 200 with an error status.
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

export const profile: HttpSendProfile = {
  esp: "postal",
  options: (url) => ({ apiKey: "kit-postal-key", apiUrl: url }),
  success: (recipients) => ({
    status: 200,
    body: {
      status: "success",
      time: 0.12,
      flags: {},
      data: {
        message_id: "kit-postal@rp.postal.example.com",
        messages: Object.fromEntries(
          recipients.map((a, i) => [a, { id: 1000 + i, token: `t${i}` }]),
        ),
      },
    },
    sendStatus: "queued",
    messageId: "1000",
  }),
  error: (text) => ({
    status: 200,
    body: {
      status: "parameter-error",
      time: 0.01,
      flags: {},
      data: { code: "KitError", message: text },
    },
  }),
  read(request) {
    const m = request.json as Obj;
    const files = Array.isArray(m.attachments) ? (m.attachments as Obj[]) : [];
    return sentMessage({
      from: addresses(m.from)[0] ?? null,
      to: addresses(m.to),
      cc: addresses(m.cc),
      bcc: addresses(m.bcc),
      replyTo: addresses(m.reply_to),
      subject: (m.subject as string) ?? null,
      text: (m.plain_body as string) ?? null,
      html: (m.html_body as string) ?? null,
      headers: lowerHeaders(m.headers),
      attachments: files.map((a) => ({
        filename: (a.name as string) ?? null,
        contentType: (a.content_type as string) ?? null,
        content: base64(a.data),
      })),
      tags: m.tag ? [m.tag as string] : [],
    });
  },
};
