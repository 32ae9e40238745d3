/**
 * @module
 * MIME samples written for the inbound-message tests (each built by hand to exercise one
 * feature; bytes that are not ASCII are given as hex or base64 so the file stays UTF-8).
 */

const crlf = (lines: string[]) => lines.join("\r\n");

/** multipart/alternative with text and HTML, several recipients and repeated headers. */
export const ALTERNATIVE = crlf([
  "Received: from mail.example.org by mx.example.com; Mon, 23 Nov 2026 10:00:02 +0000",
  "Received: from [10.0.0.1] by mail.example.org; Mon, 23 Nov 2026 10:00:01 +0000",
  "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=one; b=AAAA",
  "DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=two; b=BBBB",
  'From: "Dr. Justin Customer, CPA" <jcustomer@example.org>',
  "To: Support <support@example.com>, second@example.com",
  "Cc: =?utf-8?q?Ren=C3=A9e?= <renee@example.net>",
  "Reply-To: replies@example.org",
  "Subject: Question about my order",
  "Date: Mon, 23 Nov 2026 11:00:00 +0100",
  "Message-ID: <order-1234@mail.example.org>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/alternative; boundary="alt"',
  "",
  "--alt",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Where is my order?",
  "--alt",
  "Content-Type: text/html; charset=utf-8",
  "",
  "<p>Where is my <b>order</b>?</p>",
  "--alt--",
  "",
]);

/** multipart/related (HTML with two inline images) inside multipart/mixed with a PDF. */
export const RELATED = crlf([
  "From: designer@example.org",
  "To: inbox@example.com",
  "Subject: Logo drafts",
  "Date: Tue, 24 Nov 2026 08:30:00 -0500",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="mixed"',
  "",
  "--mixed",
  'Content-Type: multipart/related; boundary="rel"',
  "",
  "--rel",
  "Content-Type: text/html; charset=us-ascii",
  "",
  '<p>Option A: <img src="cid:logo-a@example.org"> B: <img src="cid:logo-b"></p>',
  "--rel",
  'Content-Type: image/png; name="a.png"',
  "Content-Transfer-Encoding: base64",
  "Content-ID: <logo-a@example.org>",
  'Content-Disposition: inline; filename="a.png"',
  "",
  "iVBORw0KGgoAAAANSUhEUg==",
  "--rel",
  "Content-Type: image/gif",
  "Content-Transfer-Encoding: base64",
  "Content-ID: <logo-b>",
  "",
  "R0lGODlhAQABAAAAACw=",
  "--rel--",
  "--mixed",
  'Content-Type: application/pdf; name="brief.pdf"',
  "Content-Transfer-Encoding: base64",
  'Content-Disposition: attachment; filename="brief.pdf"',
  "",
  "JVBERi0xLjQK",
  "--mixed--",
  "",
]);

/** Attachments named in RFC 2231, RFC 2047 and raw UTF-8. */
export const NON_ASCII_FILENAMES = crlf([
  "From: sender@example.org",
  "To: inbox@example.com",
  "Subject: files",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="m"',
  "",
  "--m",
  "Content-Type: text/plain",
  "",
  "see attached",
  "--m",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%82%AC.txt",
  "",
  "CV",
  "--m",
  "Content-Type: application/octet-stream",
  'Content-Disposition: attachment; filename="=?utf-8?b?5pel5pys6KqeLmJpbg==?="',
  "Content-Transfer-Encoding: base64",
  "",
  "AAECAw==",
  "--m",
  "Content-Type: application/octet-stream",
  'Content-Disposition: attachment; filename="../../etc/passwd"',
  "",
  "root",
  "--m--",
  "",
]);

/** Bodies in ISO-8859-1 (quoted-printable), windows-1252 (8bit) and Shift_JIS (base64). */
export const LATIN1 = crlf([
  "From: =?iso-8859-1?q?Fran=E7ois?= <francois@example.fr>",
  "To: inbox@example.com",
  "Subject: =?ISO-8859-1?Q?R=E9ponse_=E0_votre_demande?=",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=ISO-8859-1",
  "Content-Transfer-Encoding: quoted-printable",
  "",
  "Voil=E0 le caf=E9 cr=E8me br=FBl=E9e.",
  "",
]);

export const WINDOWS_1252 = Buffer.concat([
  Buffer.from(
    crlf([
      "From: office@example.com",
      "To: inbox@example.com",
      "Subject: quote",
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=windows-1252",
      "Content-Transfer-Encoding: 8bit",
      "",
      "",
    ]),
  ),
  // "Fiancée’s “résumé” costs €5 – naïve"
  Buffer.from("4669616e63e9659273209372e973756de99420636f7374732080352096206e61ef7665", "hex"),
  Buffer.from("\r\n"),
]);

export const SHIFT_JIS = crlf([
  "From: =?shift_jis?b?k/qWe4zqgsyMj5a8?= <tanaka@example.jp>",
  "To: inbox@example.com",
  "Subject: =?shift_jis?b?k/qWe4zqgsyMj5a8?=",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=Shift_JIS",
  "Content-Transfer-Encoding: base64",
  "",
  "grGC8YLJgr+CzYFBkKKKRYFCk1mVdILwim2URoK1gsSCrYK+grOCooFC",
  "",
]);

/** Encoded words: a UTF-8 emoji split across two words, Q and B mixed, folded. */
export const ENCODED_WORDS = crlf([
  "From: =?utf-8?b?R3LDvMOfZSBhdXMgS8O2bG4g4pyT?= <koeln@example.de>",
  "To: inbox@example.com",
  "Subject: =?utf-8?b?UsOpdW5pb24g8J8=?=",
  " =?utf-8?b?mIAgw6AgWsO8cmljaA==?= (today)",
  "X-Comment: plain =?iso-8859-1?q?caf=E9?= and =?utf-8?q?th=C3=A9?= end",
  "",
  "body",
  "",
]);

/** A message forwarded as a message/rfc822 attachment that has an attachment of its own. */
export const FORWARDED = crlf([
  "From: forwarder@example.org",
  "To: inbox@example.com",
  "Subject: Fwd: invoice",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="outer"',
  "",
  "--outer",
  "Content-Type: text/plain",
  "",
  "See the forwarded message.",
  "--outer",
  "Content-Type: message/rfc822",
  'Content-Disposition: attachment; filename="invoice.eml"',
  "",
  "From: Billing <billing@vendor.example>",
  "To: forwarder@example.org",
  "Subject: =?utf-8?q?Invoice_=E2=84=96_42?=",
  "Date: Wed, 18 Nov 2026 09:15:00 +0000",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="inner"',
  "",
  "--inner",
  "Content-Type: text/plain; charset=utf-8",
  "",
  "Your invoice is attached.",
  "--inner",
  "Content-Type: text/csv; charset=utf-8",
  'Content-Disposition: attachment; filename="lines.csv"',
  "",
  "item,price",
  "--inner--",
  "--outer--",
  "",
]);

/** No From, a Date that is not a date, no Subject. */
export const BROKEN = crlf([
  "To: not an address at all",
  "Date: sometime last week",
  "",
  "Just a body.",
  "",
]);
