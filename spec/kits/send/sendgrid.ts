// SendGrid in the send kit: v3 /mail/send JSON; the message id is the client's own
// anymail_id custom arg (SendGrid answers 202 with an empty body).
import type { CapturedRequest } from "../../helpers/capture-server.js";
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
const personalization = (request: CapturedRequest) =>
  ((request.json as Obj).personalizations as Obj[])[0];

export const profile: HttpSendProfile = {
  esp: "sendgrid",
  options: (url) => ({ apiKey: "kit-sendgrid-key", apiUrl: `${url}/v3` }),
  success: () => ({
    status: 202,
    body: "",
    sendStatus: "queued",
    messageId: (request) => String((personalization(request).custom_args as Obj).anymail_id),
  }),
  error: (text) => ({
    status: 400,
    body: { errors: [{ message: text, field: "from.email", help: null }] },
  }),
  read(request) {
    const m = request.json as Obj;
    const p = personalization(request);
    const content = Array.isArray(m.content) ? (m.content as Obj[]) : [];
    const part = (type: string) => (content.find((c) => c.type === type)?.value as string) ?? null;
    const attachments = Array.isArray(m.attachments) ? (m.attachments as Obj[]) : [];
    const inline = (a: Obj) => a.disposition === "inline";
    return sentMessage({
      from: m.from ? fromEmailObject(m.from) : null,
      to: list(p.to),
      cc: list(p.cc),
      bcc: list(p.bcc),
      replyTo: m.reply_to_list
        ? list(m.reply_to_list)
        : m.reply_to
          ? [fromEmailObject(m.reply_to)]
          : [],
      subject: (m.subject as string) ?? null,
      text: part("text/plain"),
      html: part("text/html"),
      headers: lowerHeaders({ ...(m.headers as Obj), ...(p.headers as Obj) }),
      attachments: attachments
        .filter((a) => !inline(a))
        .map((a) => ({
          filename: (a.filename as string) ?? null,
          contentType: a.type as string,
          content: base64(a.content),
        })),
      inlineImages: attachments
        .filter(inline)
        .map((a) => ({ cid: a.content_id as string, content: base64(a.content) })),
      tags: (m.categories as string[]) ?? [],
      metadata: { ...(m.custom_args as Obj), ...(p.custom_args as Obj) },
    });
  },
};
