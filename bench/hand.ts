/**
 * @module
 * The hand-written baseline of the build and end-to-end sections: a captured request turned
 * back into the code someone would write without a library: the payload's objects allocated
 * afresh and `JSON.stringify`d (for a multipart body, its fields written by hand into one
 * buffer), and the ESP's answer `JSON.parse`d to learn the message ids.
 */
import { randomBytes } from "node:crypto";
import { parseMultipart } from "../lib/util/multipart.js";
import type { TransportRequest } from "../lib/sender/http.js";

/** One request as the hand-written code puts it on the wire. */
export interface HandRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** A hand-written mapping allocates the payload's objects and arrays afresh each time. */
function rebuild(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebuild);
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const key in value) copy[key] = rebuild((value as Record<string, unknown>)[key]);
    return copy;
  }
  return value;
}

type Field = [name: string, value: string | { name: string; type: string; bytes: Buffer }];

/** multipart/form-data written by hand. */
function handMultipart(fields: readonly Field[]): { boundary: string; body: Buffer } {
  const boundary = `----bench${randomBytes(8).toString("hex")}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of fields) {
    if (typeof value === "string") {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        ),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.name}"\r\nContent-Type: ${value.type}\r\n\r\n`,
        ),
        value.bytes,
        Buffer.from("\r\n"),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, body: Buffer.concat(chunks) };
}

// set by the HTTP client itself, not by the code that builds a request
const TRANSPORT_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding"]);

/**
 * A builder that hand-writes `request` again, each call allocating it afresh. `request` is
 * what the sender produced (through the in-process transport, or as a server received it).
 */
export async function handBuilder(request: TransportRequest): Promise<() => HandRequest> {
  const { url, method } = request;
  const headerPairs = Object.entries(request.headers).filter(
    ([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase()),
  );
  const contentType = headerPairs.find(([name]) => name.toLowerCase() === "content-type")?.[1];
  const multipart = /^multipart\/form-data/i.test(contentType ?? "");
  if (!(request.body instanceof FormData) && !multipart) {
    const payload = JSON.parse(String(request.body)) as unknown;
    return () => ({
      url,
      method,
      headers: Object.fromEntries(headerPairs),
      body: JSON.stringify(rebuild(payload)),
    });
  }
  const fields: Field[] = [];
  if (request.body instanceof FormData) {
    for (const [name, value] of request.body.entries()) {
      fields.push([
        name,
        typeof value === "string"
          ? value
          : { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) },
      ]);
    }
  } else {
    for (const part of await parseMultipart(Buffer.from(request.body ?? ""), contentType)) {
      fields.push([
        part.name,
        part.filename === null
          ? part.content.toString("utf8")
          : { name: part.filename, type: part.contentType, bytes: part.content },
      ]);
    }
  }
  const others = headerPairs.filter(([name]) => name.toLowerCase() !== "content-type");
  return () => {
    const { boundary, body } = handMultipart(fields.map(([n, v]) => [n, v]));
    const headers = Object.fromEntries(others);
    headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
    return { url, method, headers, body };
  };
}

/** Reads an answer as any client must to learn the message ids: `JSON.parse`, no checks. */
export function readAnswer(text: string): number {
  // (an empty answer, SendGrid's bare 202, has nothing to parse)
  return text.length > 0 && JSON.parse(text) !== null ? 1 : 0;
}
