// MailerSend in the send kit: /v1/email JSON; it answers 202 with the id in X-Message-Id.
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
const MESSAGE_ID = "63ad4f5e2f4e6d6c1d0a1b2c";

export const profile: HttpSendProfile = {
  esp: "mailersend",
  options: (url) => ({ apiToken: "kit-mailersend-token", apiUrl: `${url}/v1/` }),
  success: () => ({
    status: 202,
    body: "",
    headers: { "x-message-id": MESSAGE_ID, "content-type": "text/html; charset=UTF-8" },
    sendStatus: "queued",
    messageId: MESSAGE_ID,
  }),
  error: (text) => ({
    status: 422,
    body: { message: text, errors: { "from.email": [text] } },
  }),
  read(request) {
    const m = request.json as Obj;
    const files = Array.isArray(m.attachments) ? (m.attachments as Obj[]) : [];
    const inline = (a: Obj) => a.disposition === "inline";
    return sentMessage({
      from: m.from ? fromEmailObject(m.from) : null,
      to: list(m.to),
      cc: list(m.cc),
      bcc: list(m.bcc),
      replyTo: m.reply_to ? [fromEmailObject(m.reply_to)] : [],
      subject: (m.subject as string) ?? null,
      text: (m.text as string) ?? null,
      html: (m.html as string) ?? null,
      headers: lowerHeaders(m.headers),
      // MailerSend takes no content type: it goes by the file name
      attachments: files
        .filter((a) => !inline(a))
        .map((a) => ({
          filename: (a.filename as string) ?? null,
          contentType: null,
          content: base64(a.content),
        })),
      inlineImages: files
        .filter(inline)
        .map((a) => ({ cid: a.id as string, content: base64(a.content) })),
      tags: (m.tags as string[]) ?? [],
    });
  },
};
