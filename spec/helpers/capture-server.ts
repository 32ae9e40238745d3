/**
 * @module
 * A loopback HTTP server that stands in for an ESP's API: it records every request
 * (method, path, headers, raw body, and the body parsed as JSON, form or multipart) and
 * answers with a canned status and body.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedFile {
  fieldName: string;
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface CapturedRequest {
  method: string;
  /** Path with query string. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** urlencoded or multipart fields; every value of a repeated field, in order. */
  form?: Record<string, string[]>;
  files?: CapturedFile[];
}

export interface CannedResponse {
  status: number;
  body: string | Buffer | object;
  headers?: Record<string, string>;
  /** Never answer (to test timeouts). */
  hang?: boolean;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(request: CapturedRequest): Promise<void> {
  const type = request.headers["content-type"] ?? "";
  if (/json/i.test(type)) {
    try {
      request.json = JSON.parse(request.rawBody.toString("utf8"));
    } catch {
      // not JSON after all: the raw body is still there
    }
  } else if (/application\/x-www-form-urlencoded/i.test(type)) {
    request.form = {};
    for (const [name, value] of new URLSearchParams(request.rawBody.toString("utf8"))) {
      (request.form[name] ??= []).push(value);
    }
  } else if (/multipart\/form-data/i.test(type)) {
    // the web-standard multipart parser, from the same fetch implementation
    const formData = await new Response(request.rawBody, {
      headers: { "content-type": type },
    }).formData();
    request.form = {};
    request.files = [];
    for (const [name, value] of formData.entries()) {
      if (typeof value === "string") (request.form[name] ??= []).push(value);
      else {
        request.files.push({
          fieldName: name,
          filename: value.name,
          contentType: value.type,
          content: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
  }
}

export class CaptureServer {
  readonly requests: CapturedRequest[] = [];
  private readonly queue: CannedResponse[] = [];
  private fallback: CannedResponse = { status: 200, body: {} };
  private readonly server: Server;
  url = "";

  constructor() {
    this.server = createServer((req, res) => {
      void (async () => {
        const rawBody = await readBody(req);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
        }
        const request: CapturedRequest = {
          method: req.method ?? "",
          path: req.url ?? "",
          headers,
          rawBody,
        };
        await parseBody(request);
        this.requests.push(request);
        const canned = this.queue.shift() ?? this.fallback;
        if (canned.hang) return;
        const isJson = typeof canned.body === "object" && !Buffer.isBuffer(canned.body);
        const body = isJson ? JSON.stringify(canned.body) : (canned.body as string | Buffer);
        res.writeHead(canned.status, {
          "content-type": isJson ? "application/json" : "text/plain",
          ...canned.headers,
        });
        res.end(body);
      })();
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  /** Answer every following request with this (until changed). */
  respond(
    status: number,
    body: CannedResponse["body"] = {},
    headers?: Record<string, string>,
  ): this {
    this.fallback = { status, body, headers };
    return this;
  }

  /** Answer the next request with this, once. */
  respondOnce(
    status: number,
    body: CannedResponse["body"] = {},
    headers?: Record<string, string>,
  ): this {
    this.queue.push({ status, body, headers });
    return this;
  }

  /** The next request gets no answer at all. */
  hangOnce(): this {
    this.queue.push({ status: 0, body: "", hang: true });
    return this;
  }

  /** The last request received; throws when there is none. */
  last(): CapturedRequest {
    const request = this.requests.at(-1);
    if (!request) throw new Error("the capture server received no request");
    return request;
  }

  reset(): this {
    this.requests.length = 0;
    this.queue.length = 0;
    this.fallback = { status: 200, body: {} };
    return this;
  }

  /** How many distinct TCP connections have been opened. */
  get connectionCount(): number {
    return this.connections;
  }
  private connections = 0;

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** @internal */
  trackConnections(): this {
    this.server.on("connection", () => this.connections++);
    return this;
  }
}

/** Starts a capture server on a free loopback port. */
export async function startCaptureServer(): Promise<CaptureServer> {
  return new CaptureServer().trackConnections().listen();
}

/**
 * Registers mocha hooks in the enclosing `describe`: a capture server started before its
 * tests and closed after, reset before each test to answer `status` with `body`. Returns a
 * getter for the server (it exists only once the hooks have run).
 *
 * @example
 * const server = useCaptureServer(200, { id: "queued" });
 * const sender = () => createSender("mailgun", { apiUrl: `${server().url}/v3`, … });
 */
export function useCaptureServer(
  status = 200,
  body: CannedResponse["body"] = {},
): () => CaptureServer {
  let server: CaptureServer | undefined;
  before(async () => {
    server = await startCaptureServer();
  });
  after(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.reset().respond(status, body);
  });
  return () => {
    if (!server) throw new Error("useCaptureServer: the server starts in a before hook");
    return server;
  };
}
