/**
 * @module
 * attachInlineImage / attachInlineImageFile: attach an image with a fresh Content-ID and
 * an inline disposition, and return the id for `<img src="cid:…">`.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { AnymailMessage } from "./message.js";

// Magic numbers of the image types mail clients show inline.
const SIGNATURES: ReadonlyArray<[subtype: string, test: (b: Buffer) => boolean]> = [
  [
    "png",
    (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  ],
  ["jpeg", (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ["gif", (b) => b.subarray(0, 4).toString("latin1") === "GIF8"],
  [
    "webp",
    (b) =>
      b.subarray(0, 4).toString("latin1") === "RIFF" &&
      b.subarray(8, 12).toString("latin1") === "WEBP",
  ],
  ["bmp", (b) => b.subarray(0, 2).toString("latin1") === "BM"],
  ["tiff", (b) => ["II*\0", "MM\0*"].includes(b.subarray(0, 4).toString("latin1"))],
  ["svg+xml", (b) => /^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(b.subarray(0, 512).toString("utf8"))],
];

/** The image subtype detected from the content's magic number ("png"), or "octet-stream". */
export function detectImageSubtype(content: Buffer): string {
  return SIGNATURES.find(([, test]) => test(content))?.[0] ?? "octet-stream";
}

let sequence = 0;

/** A new unique Content-ID (no angle brackets); the domain is "inline" unless given (spec 4.0). */
export function makeContentId(idstring = "img", domain = "inline"): string {
  sequence = (sequence + 1) % 1e9;
  const unique = `${Date.now()}.${process.pid}.${sequence}.${randomBytes(6).toString("hex")}`;
  return `${unique}.${idstring}@${domain}`;
}

/**
 * Attaches raw image data as an inline image and returns its Content-ID.
 * @example
 * const cid = attachInlineImage(message, pngBytes, "logo.png");
 * message.html = `<img src="cid:${cid}">`;
 */
export function attachInlineImage(
  message: AnymailMessage,
  content: Buffer | Uint8Array,
  filename?: string | null,
  subtype?: string | null,
  idstring = "img",
  domain?: string | null,
): string {
  const bytes = Buffer.from(content);
  const cid = makeContentId(idstring, domain ?? "inline");
  message.attachments = [
    ...(message.attachments ?? []),
    {
      filename: filename ?? null,
      content: bytes,
      contentType: `image/${subtype ?? detectImageSubtype(bytes)}`,
      cid,
      contentDisposition: "inline",
    },
  ];
  return cid;
}

/**
 * Attaches an image file as an inline image (filename: the file's basename) and returns its Content-ID.
 * @example
 * const cid = await attachInlineImageFile(message, "static/logo.png");
 */
export async function attachInlineImageFile(
  message: AnymailMessage,
  path: string,
  subtype?: string | null,
  idstring = "img",
  domain?: string | null,
): Promise<string> {
  const content = await readFile(path);
  return attachInlineImage(message, content, basename(path), subtype, idstring, domain);
}
