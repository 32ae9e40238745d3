// A Mailjet Parse API post, shaped like the sample in Mailjet's Parse API guide
// (dev.mailjet.com/email/guides/parse-api/), extended with repeated headers, an encoded
// subject, an inline image and an RFC 2231 filename.
import type { MailjetInboundPayload } from "../../../lib/esps/mailjet/inbound.js";

export const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

export const PARSE_PAYLOAD: MailjetInboundPayload = {
  Sender: "pilot@mailjet.com",
  Recipient: "passenger@mailjet.com",
  Date: "20150410T160638",
  From: "Pilot <pilot@mailjet.com>",
  Subject: "Hey! It's Friday!",
  Headers: {
    "Return-Path": ["<pilot@mailjet.com>"],
    Received: ["by 10.107.134.160 with HTTP; Fri, 10 Apr 2015 09:06:38 -0700 (PDT)", "by relay2"],
    "DKIM-Signature": [
      "v=1; a=rsa-sha256; d=mailjet.com; s=google; b=first",
      "v=1; d=1e100.net; b=second",
    ],
    "MIME-Version": ["1.0"],
    "Content-Type": ["multipart/mixed; boundary=001a1141f3c406f1b2051360f37d"],
    Date: "Fri, 10 Apr 2015 18:06:38 +0200",
    "Message-ID": "<CAE5Zh0ZpHZ6G5DC+He5426a4RkVab7uWaTDwiMcHzOR=YB3urA@mail.gmail.com>",
    Subject: "Hey! It's Friday! =?utf-8?q?=E2=9C=88?=",
    From: "Pilot <pilot@mailjet.com>",
    To: "passenger@mailjet.com, Second <second@example.com>",
    Cc: "cc@example.com",
  },
  Parts: [
    { Headers: { "Content-Type": "text/plain; charset=UTF-8" }, ContentRef: "Text-part" },
    {
      Headers: {
        "Content-Type": "text/html; charset=UTF-8",
        "Content-Transfer-Encoding": "quoted-printable",
      },
      ContentRef: "Html-part",
    },
    {
      Headers: {
        "Content-Type": "text/plain; charset=utf-8; name=helloworld.txt",
        "Content-Transfer-Encoding": "base64",
        "Content-Disposition": "attachment; filename=helloworld.txt",
      },
      ContentRef: "Attachment1",
    },
    {
      Headers: {
        "Content-Type": 'image/png; name="logo.png"',
        "Content-Transfer-Encoding": "base64",
        "Content-Disposition": 'inline; filename="logo.png"',
        "Content-ID": "<logo@example.com>",
      },
      ContentRef: "InlineAttachment1",
    },
    {
      Headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
      },
      ContentRef: "Attachment2",
    },
  ],
  "Text-part": "Hi,\n\nImportant notice: it's Friday. Friday *afternoon*, even! ✈\n",
  "Html-part": '<div dir="ltr">Hi, <img src="cid:logo@example.com"> ✈</div>\n',
  SpamAssassinScore: "0.602",
  CustomID: "helloworld",
  Payload: "{'message': 'helloworld'}",
  Attachment1: "SGVsbG8gV29ybGQh",
  InlineAttachment1: PNG.toString("base64"),
  Attachment2: Buffer.from("%PDF-1.4 résumé").toString("base64"),
};
