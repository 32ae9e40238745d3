// Mandrill in the send kit: /messages/send.json, the key in the JSON body.
import type { HttpSendProfile } from "../../helpers/describe-http-send.js";
import {
  base64,
  fromEmailObject,
  lowerHeaders,
  parseAddresses,
  sentMessage,
} from "../../helpers/describe-http-send.js";

type Obj = Record<string, unknown>;

export const profile: HttpSendProfile = {
  esp: "mandrill",
  options: (url) => ({ apiKey: "kit-mandrill-key", apiUrl: `${url}/api/1.0` }),
  success: (recipients) => ({
    status: 200,
    body: recipients.map((email, i) => ({
      email,
      status: "sent",
      _id: `kit-mandrill-id-${i}`,
      reject_reason: null,
    })),
    sendStatus: "sent",
    messageId: "kit-mandrill-id-0",
  }),
  error: (text) => ({
    status: 500,
    body: { status: "error", code: -2, name: "ValidationError", message: text },
  }),
  read(request) {
    const m = (request.json as { message: Obj }).message;
    const to = Array.isArray(m.to) ? (m.to as Obj[]) : [];
    const ofType = (type: string) =>
      to.filter((r) => (r.type ?? "to") === type).map((r) => fromEmailObject(r));
    const headers = lowerHeaders(m.headers);
    const files = (value: unknown) => (Array.isArray(value) ? (value as Obj[]) : []);
    return sentMessage({
      from: m.from_email ? fromEmailObject({ email: m.from_email, name: m.from_name }) : null,
      to: ofType("to"),
      cc: ofType("cc"),
      bcc: ofType("bcc"),
      replyTo: parseAddresses(headers["reply-to"]),
      subject: (m.subject as string) ?? null,
      text: (m.text as string) ?? null,
      html: (m.html as string) ?? null,
      headers,
      attachments: files(m.attachments).map((a) => ({
        filename: a.name as string,
        contentType: a.type as string,
        content: base64(a.content),
      })),
      // Mandrill names an image by its Content-ID
      inlineImages: files(m.images).map((a) => ({
        cid: a.name as string,
        content: base64(a.content),
      })),
      tags: (m.tags as string[]) ?? [],
      metadata: (m.metadata as Obj) ?? {},
    });
  },
};
