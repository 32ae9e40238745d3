// Mailgun in the send kit: a multipart form to /v3/<domain>/messages (Mailgun "Sending" API).
import type { HttpSendProfile } from "../../helpers/describe-http-send.js";
import { parseAddresses, sentMessage } from "../../helpers/describe-http-send.js";

export const profile: HttpSendProfile = {
  esp: "mailgun",
  options: (url) => ({ apiKey: "kit-mailgun-key", apiUrl: `${url}/v3` }),
  success: () => ({
    status: 200,
    body: { id: "<20240102030405.1.ABCDEF@mg.example.com>", message: "Queued. Thank you." },
    sendStatus: "queued",
    messageId: "<20240102030405.1.ABCDEF@mg.example.com>",
  }),
  error: (text) => ({ status: 400, body: { message: text } }),
  read(request) {
    const form = request.form ?? {};
    const all = (name: string) => (form[name] ?? []).flatMap((value) => parseAddresses(value));
    const one = (name: string) => form[name]?.[0] ?? null;
    const headers: Record<string, string> = {};
    const metadata: Record<string, unknown> = {};
    for (const [name, values] of Object.entries(form)) {
      if (name.startsWith("h:")) headers[name.slice(2).toLowerCase()] = values[0];
      if (name.startsWith("v:")) metadata[name.slice(2)] = values[0];
    }
    const files = request.files ?? [];
    return sentMessage({
      from: all("from")[0] ?? null,
      to: all("to"),
      cc: all("cc"),
      bcc: all("bcc"),
      replyTo: parseAddresses(form["h:Reply-To"]?.[0]),
      subject: one("subject"),
      text: one("text"),
      html: one("html"),
      headers,
      attachments: files
        .filter((f) => f.fieldName === "attachment")
        .map((f) => ({ filename: f.filename, contentType: f.contentType, content: f.content })),
      // Mailgun takes an inline file's name as its Content-ID
      inlineImages: files
        .filter((f) => f.fieldName === "inline")
        .map((f) => ({ cid: f.filename, content: f.content })),
      tags: form["o:tag"] ?? [],
      metadata,
    });
  },
};
