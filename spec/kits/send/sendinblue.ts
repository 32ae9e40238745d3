// Sendinblue (Brevo) in the send kit: /v3/smtp/email JSON; metadata travels in the
// X-Mailin-custom header; attachments carry no content type (Brevo infers it from the name).
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
const MESSAGE_ID = "<202401020304.12345678901@smtp-relay.mailin.fr>";

export const profile: HttpSendProfile = {
  esp: "sendinblue",
  options: (url) => ({ apiKey: "kit-brevo-key", apiUrl: `${url}/v3/` }),
  success: () => ({
    status: 201,
    body: { messageId: MESSAGE_ID },
    sendStatus: "queued",
    messageId: MESSAGE_ID,
  }),
  error: (text) => ({ status: 400, body: { code: "invalid_parameter", message: text } }),
  read(request) {
    const m = request.json as Obj;
    const headers = lowerHeaders(m.headers);
    const custom = headers["x-mailin-custom"];
    const attachments = Array.isArray(m.attachment) ? (m.attachment as Obj[]) : [];
    return sentMessage({
      from: m.sender ? fromEmailObject(m.sender) : null,
      to: list(m.to),
      cc: list(m.cc),
      bcc: list(m.bcc),
      replyTo: m.replyTo ? [fromEmailObject(m.replyTo)] : [],
      subject: (m.subject as string) ?? null,
      text: (m.textContent as string) ?? null,
      html: (m.htmlContent as string) ?? null,
      headers,
      attachments: attachments.map((a) => ({
        filename: (a.name as string) ?? null,
        contentType: null,
        content: base64(a.content),
      })),
      tags: (m.tags as string[]) ?? [],
      metadata: custom ? (JSON.parse(custom) as Obj) : {},
    });
  },
};
