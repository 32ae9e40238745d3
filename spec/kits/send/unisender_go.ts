// Unisender Go in the send kit: /email/send.json JSON. Recipients are the envelope; the To
// and Cc headers say who is shown; the message id is the client's own per-recipient
// anymail_id metadata.
import type { CapturedRequest } from "../../helpers/capture-server.js";
import type { HttpSendProfile, SentAddress } from "../../helpers/describe-http-send.js";
import {
  base64,
  fromEmailObject,
  lowerHeaders,
  parseAddresses,
  sentMessage,
} from "../../helpers/describe-http-send.js";

type Obj = Record<string, unknown>;
const messageOf = (request: CapturedRequest) => (request.json as { message: Obj }).message;

export const profile: HttpSendProfile = {
  esp: "unisender_go",
  options: (url) => ({ apiKey: "kit-unisender-key", apiUrl: `${url}/en/transactional/api/v1/` }),
  success: (recipients) => ({
    status: 200,
    body: { status: "success", job_id: "1ZymBc-00041N-9X", emails: recipients, failed_emails: {} },
    sendStatus: "queued",
    messageId: (request) => {
      const first = (messageOf(request).recipients as Obj[])[0];
      return String((first.metadata as Obj).anymail_id);
    },
  }),
  error: (text) => ({ status: 400, body: { status: "error", message: text, code: 102 } }),
  read(request) {
    const m = messageOf(request);
    const headers = lowerHeaders(m.headers);
    const envelope = ((m.recipients as Obj[]) ?? []).map((r) => String(r.email));
    const to: SentAddress[] = headers.to
      ? parseAddresses(headers.to)
      : envelope.map((email) => ({ email, name: null }));
    const cc = parseAddresses(headers.cc);
    const shown = new Set([...to, ...cc].map((a) => a.email));
    delete headers.to;
    delete headers.cc;
    const body = (m.body as Obj) ?? {};
    const files = (value: unknown) => (Array.isArray(value) ? (value as Obj[]) : []);
    const metadata = { ...(m.global_metadata as Obj) };
    return sentMessage({
      from: m.from_email
        ? { email: String(m.from_email), name: (m.from_name as string) || null }
        : null,
      to,
      cc,
      bcc: envelope.filter((email) => !shown.has(email)).map((email) => ({ email, name: null })),
      replyTo: m.reply_to ? [fromEmailObject({ email: m.reply_to, name: m.reply_to_name })] : [],
      subject: (m.subject as string) ?? null,
      text: (body.plaintext as string) ?? null,
      html: (body.html as string) ?? null,
      headers,
      attachments: files(m.attachments).map((a) => ({
        filename: (a.name as string) ?? null,
        contentType: (a.type as string) ?? null,
        content: base64(a.content),
      })),
      // Unisender Go names an inline image by its Content-ID
      inlineImages: files(m.inline_attachments).map((a) => ({
        cid: a.name as string,
        content: base64(a.content),
      })),
      tags: (m.tags as string[]) ?? [],
      metadata,
    });
  },
};
