// Loopback stand-ins for AWS endpoints: a recording server that answers canned responses
// (SES query protocol XML, SNS, S3) or forwards to an upstream (the aws-ses-v2-local emulator).
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface AwsRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  /** The form fields of a query-protocol call (SES, SNS): "Destinations.member.1" → value. */
  params: Record<string, string>;
}

export interface AwsAnswer {
  status: number;
  body: string | Buffer;
  headers?: Record<string, string>;
}

export interface AwsLoopback {
  url: string;
  requests: AwsRequest[];
  /** Answers the next request with this (queued, in order); else forwards or answers 500. */
  respondOnce(answer: AwsAnswer): void;
  /** Never answer the next request (to test client timeouts). */
  hangOnce(): void;
  close(): Promise<void>;
}

/** Starts a recording server on port 0; `upstream` receives whatever is not canned. */
export async function startAwsLoopback(upstream?: string): Promise<AwsLoopback> {
  const requests: AwsRequest[] = [];
  const queue: (AwsAnswer | "hang")[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const params: Record<string, string> = {};
      if (String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
        for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params[key] = value;
      }
      requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
        params,
      });
      const answer = queue.shift();
      if (answer === "hang") return;
      if (answer) {
        res.writeHead(answer.status, answer.headers ?? { "content-type": "text/xml" });
        res.end(answer.body);
        return;
      }
      if (!upstream) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("no canned answer");
        return;
      }
      const forward = httpRequest(
        `${upstream}${req.url ?? "/"}`,
        { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondOnce: (answer) => queue.push(answer),
    hangOnce: () => queue.push("hang"),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An SES v1 (query protocol) error answer. */
export function sesError(code: string, message: string, status = 400): AwsAnswer {
  return {
    status,
    body:
      `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>` +
      `<Code>${code}</Code><Message>${message}</Message></Error>` +
      `<RequestId>4fe8e9fc-0000-4000-8000-000000000001</RequestId></ErrorResponse>`,
  };
}

/** Test credentials and timeouts for every SDK client pointed at loopback. */
export function loopbackClientParams(endpoint: string): Record<string, unknown> {
  return {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDLOOPBACK", secretAccessKey: "loopback-secret-key" },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 1500, connectionTimeout: 1000 },
  };
}
