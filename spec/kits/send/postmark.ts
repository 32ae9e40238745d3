// Postmark in the send kit: /email JSON with address strings and a cid: ContentID.
import type { HttpSendProfile } from "../../helpers/describe-http-send.js";
import {
  base64,
  lowerHeaders,
  parseAddresses,
  sentMessage,
} from "../../helpers/describe-http-send.js";

type Obj = Record<string, unknown>;
const MESSAGE_ID = "0a129aee-e1cd-480d-b08d-4f48548ff48d";

export const profile: HttpSendProfile = {
  esp: "postmark",
  options: (url) => ({ serverToken: "kit-server-token", apiUrl: url }),
  success: (recipients) => ({
    status: 200,
    body: {
      To: recipients.join(", "),
      SubmittedAt: "2024-01-02T03:04:05.1234567-05:00",
      MessageID: MESSAGE_ID,
      ErrorCode: 0,
      Message: "OK",
    },
    sendStatus: "sent",
    messageId: MESSAGE_ID,
  }),
  error: (text) => ({ status: 422, body: { ErrorCode: 300, Message: text } }),
  read(request) {
    const m = request.json as Obj;
    const attachments = Array.isArray(m.Attachments) ? (m.Attachments as Obj[]) : [];
    return sentMessage({
      from: parseAddresses(m.From as string)[0] ?? null,
      to: parseAddresses(m.To as string),
      cc: parseAddresses(m.Cc as string),
      bcc: parseAddresses(m.Bcc as string),
      replyTo: parseAddresses(m.ReplyTo as string),
      subject: (m.Subject as string) ?? null,
      text: (m.TextBody as string) ?? null,
      html: (m.HtmlBody as string) ?? null,
      headers: lowerHeaders(m.Headers),
      attachments: attachments
        .filter((a) => !a.ContentID)
        .map((a) => ({
          filename: a.Name as string,
          contentType: a.ContentType as string,
          content: base64(a.Content),
        })),
      inlineImages: attachments
        .filter((a) => a.ContentID)
        .map((a) => ({
          cid: String(a.ContentID).replace(/^cid:/, ""),
          content: base64(a.Content),
        })),
      tags: m.Tag ? [m.Tag as string] : [],
      metadata: (m.Metadata as Obj) ?? {},
    });
  },
};
