/**
 * @module
 * The parts of a multipart/form-data body as raw bytes. The router decodes form fields as
 * UTF-8; an ESP that posts fields in other charsets (and says which) re-reads them here.
 */
import type busboy from "busboy";
import { lazyRequire } from "./lazy-require.js";

const loadBusboy = lazyRequire<typeof busboy>("busboy");

/** One part of a multipart body. */
export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string;
  content: Buffer;
}

/**
 * Splits a multipart/form-data body into its named parts, bytes untouched, in body order.
 * Resolves [] when the Content-Type is not multipart/form-data with a boundary; a body cut short
 * yields the parts that were complete.
 *
 * busboy decodes a field in the charset its part header names, else in `defCharset`:
 * latin1 maps bytes 1:1, so the field's bytes come back with `Buffer.from(value, "latin1")`.
 * (A part naming a non-latin1 charset of its own would be decoded in it; ESPs that post
 * fields in several charsets name them in a separate field instead.)
 *
 * @example
 * const parts = await parseMultipart(request.rawBody, request.headers["content-type"]);
 */
export function parseMultipart(
  body: Buffer,
  contentType: string | undefined,
): Promise<MultipartPart[]> {
  // busboy reads urlencoded bodies too; those are the router's to decode
  if (!/^\s*multipart\/form-data\s*(;|$)/i.test(contentType ?? "")) return Promise.resolve([]);
  let parser: busboy.Busboy;
  try {
    parser = loadBusboy()({
      headers: { "content-type": contentType },
      defCharset: "latin1",
      defParamCharset: "utf8",
      // the router bounds the body; no part is cut shorter than it (busboy's field default is 1 MiB)
      limits: { fieldSize: body.length, fieldNameSize: body.length },
    });
  } catch {
    return Promise.resolve([]); // no boundary
  }
  const parts: { part: MultipartPart; complete: boolean }[] = [];
  return new Promise((resolve) => {
    const done = () => resolve(parts.filter((entry) => entry.complete).map(({ part }) => part));
    parser.on("field", (name, value, info) => {
      if (name === undefined) return; // a part without a Content-Disposition name
      const content = Buffer.from(value, "latin1");
      parts.push({
        part: { name, filename: null, contentType: info.mimeType, content },
        complete: true,
      });
    });
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      const entry = {
        part: {
          name,
          filename: info.filename ?? null,
          contentType: info.mimeType,
          content: Buffer.alloc(0),
        },
        complete: false,
      };
      if (name !== undefined) parts.push(entry);
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        entry.part.content = Buffer.concat(chunks);
        entry.complete = true;
      });
      stream.on("error", () => undefined); // the parser reports it too
    });
    parser.on("close", done);
    parser.on("error", done);
    parser.end(body);
  });
}
