/**
 * @module
 * Reads raw MIME with mailparser's streaming MailParser: headers, attachments (content
 * collected), and the message's own text and HTML bodies. mailparser's joined `text`/`html`
 * mix every inline part (and, for HTML-only mail, text generated from the HTML); the spec
 * wants the first text/plain and the first text/html body part as sent, so those are taken
 * from the parse tree.
 */
import { Readable } from "node:stream";
import type { AddressObject, AttachmentStream, HeaderLines, Headers } from "mailparser";
import { mimeLimitError, mimeLimits } from "./mime-limits.js";
import { lazyImport } from "../util/lazy-require.js";

/**
 * mailparser (and its html-to-text, linkify-it, iconv-lite…), loaded with the first message
 * read, not with `import("anymail")`.
 */
export const loadMailparser = lazyImport(() => import("mailparser"));

/** An attachment with its content read into memory. */
export type ReadAttachment = Omit<AttachmentStream, "content" | "release"> & { content: Buffer };

export interface ReadMime {
  headers: Headers;
  headerLines: HeaderLines;
  from?: AddressObject;
  to?: AddressObject | AddressObject[];
  cc?: AddressObject | AddressObject[];
  bcc?: AddressObject | AddressObject[];
  attachments: ReadAttachment[];
  /** The first non-attachment text/plain part, or null. */
  text: string | null;
  /** The first non-attachment text/html part, or null. */
  html: string | null;
}

/** The parts of mailparser's (internal) parse tree used here. */
interface TreeNode {
  contentType?: string;
  isAttachment?: boolean;
  textContent?: string;
  children?: TreeNode[];
}

/**
 * mailparser given one large Buffer holds several copies of it while splitting lines; fed
 * as a stream of 4 MiB views (no copies) its peak memory stays below simpleParser's.
 * bench/inbound.ts's 13.7 MiB message, CPU time vs simpleParser: ~1.3x in 256 KiB slices
 * (each base64 slice under ~1 MiB becomes a string Node copies into the V8 heap), ~1.0x in
 * 4 MiB ones, ~0.9x whole (libbase64 scans every chunk without "=" padding to its start).
 * A first parse's peak RSS growth is lower in 4 MiB slices than whole or in simpleParser
 * (45, 42 and 54 MiB with mailparser loaded; 108, 137 and 201 MiB for a 43 MiB message), but
 * over repeated parses the whole message's peak was 1.0–2.75x simpleParser's, 4 MiB ones'
 * 0.14–0.48x: 4 MiB keeps the memory and gives up the tenth of the time.
 */
export const SLICE_BYTES = 4 * 1024 * 1024;

function inSlices(bytes: Buffer): Readable {
  return Readable.from(
    (function* slices() {
      for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) {
        yield bytes.subarray(offset, offset + SLICE_BYTES);
      }
    })(),
    { objectMode: false },
  );
}

/**
 * An attachment's decoded chunks as one Buffer. A single chunk (a small attachment, or one
 * decoded from a single slice) is taken as it is, unless it is a view into Node's shared
 * pool: copying it would only double the memory it takes.
 */
function joinChunks(chunks: Buffer[], length: number): Buffer {
  if (chunks.length === 1 && chunks[0].byteLength === chunks[0].buffer.byteLength) {
    return chunks[0];
  }
  return Buffer.concat(chunks, length);
}

/** Depth first, in document order: the first body part of a content type. */
function firstBody(node: TreeNode | undefined, contentType: string): string | null {
  if (!node) return null;
  if (node.contentType === contentType && !node.isAttachment && node.textContent !== undefined) {
    return node.textContent;
  }
  for (const child of node.children ?? []) {
    const found = firstBody(child, contentType);
    if (found !== null) return found;
  }
  return null;
}

/**
 * Parses raw MIME bytes, within the MIME limits in force (`withMimeLimits`); a message past
 * them rejects with AnymailInboundTooLarge.
 */
export async function readMime(bytes: Buffer): Promise<ReadMime> {
  const limits = mimeLimits();
  const { MailParser } = await loadMailparser();
  const parser = new MailParser({
    maxHeadSize: limits.headerBytes,
    maxChildNodes: limits.parts,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    // no MD5 of every attachment: its checksum is not read here
    checksumAlgo: false,
  });
  const attachments: ReadAttachment[] = [];
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(mimeLimitError(error, limits));
    };
    parser.on("error", fail);
    parser.on("data", (data: { type: string }) => {
      if (data.type !== "attachment") return;
      const stream = data as AttachmentStream;
      const chunks: Buffer[] = [];
      let length = 0;
      stream.content.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
      });
      stream.content.on("end", () => {
        const { content: _content, release, ...rest } = stream;
        attachments.push({ ...rest, content: joinChunks(chunks, length) });
        release?.();
      });
    });
    parser.on("end", () => {
      if (settled) return;
      settled = true;
      const tree = (parser as unknown as { tree?: TreeNode | false }).tree || undefined;
      resolve({
        headers: parser.headers || new Map(),
        headerLines: parser.headerLines || [],
        from: parser.from,
        to: parser.to,
        cc: parser.cc,
        bcc: parser.bcc,
        attachments,
        text: firstBody(tree, "text/plain"),
        html: firstBody(tree, "text/html"),
      });
    });
    inSlices(bytes).on("error", fail).pipe(parser);
  });
}
