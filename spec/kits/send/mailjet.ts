// Mailjet in the send kit: Send API v3.1 JSON, `Globals` plus one entry in `Messages`.
import type { HttpSendProfile, SentAddress } from "../../helpers/describe-http-send.js";
import {
  base64,
  fromEmailObject,
  lowerHeaders,
  sentMessage,
} from "../../helpers/describe-http-send.js";

type Obj = Record<string, unknown>;
const list = (value: unknown): SentAddress[] =>
  Array.isArray(value) ? value.map((a) => fromEmailObject(a, "Email", "Name")) : [];

export const profile: HttpSendProfile = {
  esp: "mailjet",
  options: (url) => ({ apiKey: "kit-public", secretKey: "kit-secret", apiUrl: `${url}/v3.1` }),
  // MessageIDs exceed 2^53, so the answer is raw JSON text (every recipient listed under To)
  success: (recipients) => ({
    status: 200,
    headers: { "content-type": "application/json" },
    body:
      '{"Messages":[{"Status":"success","CustomID":"","To":[' +
      recipients
        .map(
          (email, i) =>
            `{"Email":${JSON.stringify(email)},"MessageUUID":"uuid-${i}",` +
            `"MessageID":28823037615171174${i},"MessageHref":"https://api.mailjet.com/v3/REST/message/28823037615171174${i}"}`,
        )
        .join(",") +
      '],"Cc":[],"Bcc":[]}]}',
    sendStatus: "sent",
    messageId: "288230376151711740",
  }),
  error: (text) => ({
    status: 400,
    body: {
      ErrorIdentifier: "kit-error-id",
      ErrorCode: "mj-0003",
      StatusCode: 400,
      ErrorMessage: text,
    },
  }),
  read(request) {
    const body = request.json as { Globals?: Obj; Messages?: Obj[] };
    const m: Obj = { ...body.Globals, ...body.Messages?.[0] };
    const files = (value: unknown) => (Array.isArray(value) ? (value as Obj[]) : []);
    const payload = m.EventPayload;
    return sentMessage({
      from: m.From ? fromEmailObject(m.From, "Email", "Name") : null,
      to: list(m.To),
      cc: list(m.Cc),
      bcc: list(m.Bcc),
      replyTo: m.ReplyTo ? [fromEmailObject(m.ReplyTo, "Email", "Name")] : [],
      subject: (m.Subject as string) ?? null,
      text: (m.TextPart as string) ?? null,
      html: (m.HTMLPart as string) ?? null,
      headers: lowerHeaders(m.Headers),
      attachments: files(m.Attachments).map((a) => ({
        filename: a.Filename as string,
        contentType: a.ContentType as string,
        content: base64(a.Base64Content),
      })),
      inlineImages: files(m.InlinedAttachments).map((a) => ({
        cid: a.ContentID as string,
        content: base64(a.Base64Content),
      })),
      tags: m.CustomCampaign ? [m.CustomCampaign as string] : [],
      metadata: typeof payload === "string" ? (JSON.parse(payload) as Obj) : {},
    });
  },
};
