/**
 * @module
 * The parts of a multipart/form-data body as raw bytes. The router decodes form fields as
 * UTF-8; an ESP that posts fields in other charsets (and says which) re-reads them here.
 */

/** One part of a multipart body. */
export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  content: Buffer;
}

/** The boundary parameter of a multipart Content-Type header, or null. */
export function multipartBoundary(contentTypeHeader: string | undefined): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentTypeHeader ?? "");
  return match ? (match[1] ?? match[2]) : null;
}

function headerParam(header: string, param: string): string | null {
  // name="value" (RFC 7578 escapes only " CR LF, as %22 %0D %0A) or name=token
  const match = new RegExp(
    `;\\s*${param}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${param}=([^;\\s]+)`,
    "i",
  ).exec(header);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2];
}

/**
 * Splits a multipart body into its parts, bytes untouched. Returns [] when the body has no
 * such boundary; a part without a Content-Disposition name is skipped.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === "--") break; // close
    const headerStart = body.indexOf("\r\n", afterDelimiter);
    if (headerStart < 0) break;
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headerStart);
    if (next < 0) break;
    const headerEnd = body.indexOf("\r\n\r\n", headerStart);
    if (headerEnd >= 0 && headerEnd < next) {
      const headers = body
        .subarray(headerStart + 2, headerEnd)
        .toString("utf8")
        .split("\r\n");
      const header = (name: string) =>
        headers.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1);
      const disposition = header("content-disposition") ?? "";
      const name = headerParam(disposition, "name");
      if (name !== null) {
        parts.push({
          name,
          filename: headerParam(disposition, "filename"),
          contentType: header("content-type")?.trim() ?? null,
          content: body.subarray(headerEnd + 4, next),
        });
      }
    }
    start = next + 2;
  }
  return parts;
}
