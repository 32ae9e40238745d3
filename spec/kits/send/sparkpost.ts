// SparkPost in the send kit: /transmissions JSON. Envelope recipients are `recipients`; the
// To header is `header_to`, Cc a header, and bcc are the recipients in neither.
import type { HttpSendProfile, SentAddress } from "../../helpers/describe-http-send.js";
import {
  base64,
  lowerHeaders,
  parseAddresses,
  sentMessage,
} from "../../helpers/describe-http-send.js";

type Obj = Record<string, unknown>;
const TRANSMISSION_ID = "11668787484950529";

export const profile: HttpSendProfile = {
  esp: "sparkpost",
  options: (url) => ({ apiKey: "kit-sparkpost-key", apiUrl: `${url}/api/v1` }),
  success: (recipients) => ({
    status: 200,
    body: {
      results: {
        total_rejected_recipients: 0,
        total_accepted_recipients: recipients.length,
        id: TRANSMISSION_ID,
      },
    },
    sendStatus: "queued",
    messageId: TRANSMISSION_ID,
  }),
  error: (text) => ({
    status: 400,
    body: { errors: [{ message: text, description: "Kit description", code: "1902" }] },
  }),
  read(request) {
    const body = request.json as Obj;
    const c = body.content as Obj;
    const headers = lowerHeaders(c.headers);
    const envelope = ((body.recipients as Obj[]) ?? []).map((r) => r.address as Obj);
    const headerTo = envelope.find((a) => typeof a.header_to === "string")?.header_to as
      string | undefined;
    const to: SentAddress[] = headerTo
      ? parseAddresses(headerTo)
      : envelope.map((a) => ({ email: String(a.email), name: (a.name as string) ?? null }));
    const cc = parseAddresses(headers.cc);
    const shown = new Set([...to, ...cc].map((a) => a.email));
    delete headers.cc;
    const files = (value: unknown) => (Array.isArray(value) ? (value as Obj[]) : []);
    const from = c.from;
    return sentMessage({
      from:
        typeof from === "string"
          ? (parseAddresses(from)[0] ?? null)
          : from
            ? { email: String((from as Obj).email), name: ((from as Obj).name as string) ?? null }
            : null,
      to,
      cc,
      bcc: envelope
        .filter((a) => !shown.has(String(a.email)))
        .map((a) => ({ email: String(a.email), name: null })),
      replyTo: parseAddresses(c.reply_to as string),
      subject: (c.subject as string) ?? null,
      text: (c.text as string) ?? null,
      html: (c.html as string) ?? null,
      headers,
      attachments: files(c.attachments).map((a) => ({
        filename: a.name as string,
        contentType: a.type as string,
        content: base64(a.data),
      })),
      // SparkPost names an inline image by its Content-ID
      inlineImages: files(c.inline_images).map((a) => ({
        cid: a.name as string,
        content: base64(a.data),
      })),
      tags: body.campaign_id ? [body.campaign_id as string] : [],
      metadata: (body.metadata as Obj) ?? {},
    });
  },
};
