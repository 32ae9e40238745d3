/**
 * @module
 * The webhook service mounted in every framework it supports, behind one interface: mount
 * it with router options, send a call, read the answer and what was emitted. The HTTP
 * transports (Express, Connect, node:http, Hono on @hono/node-server) listen on loopback;
 * the Fetch handler, the Next.js-style route and the Lambda handler are called in process
 * with what their runtime would hand them.
 */
import { createServer, request as httpRequest, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import connect from "connect";
import express from "express";
import { Hono } from "hono";
import { AnymailEmitter } from "../../lib/events/emitter.js";
import { anymailHono } from "../../lib/hono/index.js";
import { lambdaHandler, type LambdaHttpEvent } from "../../lib/lambda/index.js";
import {
  createWebhookHandler,
  type AnymailFetchHandlerOptions,
} from "../../lib/middleware/fetch.js";
import { anymailRouter } from "../../lib/middleware/router.js";
import { anymailRoute } from "../../lib/next/index.js";
import { collectingLogger, type EmittedEvent, type TestRouterOptions } from "./webhooks.js";

/** One HTTP call: `path` is below the mount point (`/postmark/tracking/`). */
export interface TransportCall {
  method?: string;
  path: string;
  /** The Host the ESP called. @default "hooks.example.com" */
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface TransportAnswer {
  status: number;
  text: string;
  headers: Record<string, string>;
}

/** The service mounted in one framework. */
export interface Mounted {
  call(call: TransportCall): Promise<TransportAnswer>;
  events: EmittedEvent[];
  logs: { warn: string[]; error: string[] };
  emitter: AnymailEmitter;
  close(): Promise<void>;
}

export interface Transport {
  name: string;
  /** Where the routes start in the public URL ("" for a bare node:http server). */
  prefix: string;
  /** The scheme of the public URL without trustProxy. */
  scheme: "http" | "https";
  mount(options: TestRouterOptions): Promise<Mounted>;
}

const HOST = "hooks.example.com";

function collect(options: TestRouterOptions) {
  const emitter = new AnymailEmitter();
  const logger = collectingLogger();
  const events: EmittedEvent[] = [];
  emitter.on(
    "tracking",
    (event, espName) => void events.push({ channel: "tracking", event, espName }),
  );
  emitter.on(
    "inbound",
    (event, espName) => void events.push({ channel: "inbound", event, espName }),
  );
  // the built-in ESPs' options (the cases name ESPs by computed keys)
  const full = { env: {}, logger, ...options, emitter } as AnymailFetchHandlerOptions;
  return { emitter, logger, events, full };
}

function bytesOf(body: string | Buffer | undefined): Buffer | undefined {
  return body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
}

/** A call over loopback with node:http, which sends the Host header it is given. */
function httpCall(port: number, prefix: string, call: TransportCall): Promise<TransportAnswer> {
  const body = bytesOf(call.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        method: call.method ?? "POST",
        path: prefix + call.path,
        headers: {
          host: call.host ?? HOST,
          ...(body ? { "content-length": String(body.length) } : {}),
          ...call.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) headers[name] = String(value);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), headers });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function listening(server: Server | ServerType): Promise<number> {
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  return (server.address() as AddressInfo).port;
}

async function closing(server: Server | ServerType): Promise<void> {
  (server as Server).closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}

/** A transport that serves a node:http request listener on loopback. */
function nodeTransport(
  name: string,
  prefix: string,
  listener: (router: ReturnType<typeof anymailRouter>) => RequestListener,
): Transport {
  return {
    name,
    prefix,
    scheme: "http",
    async mount(options) {
      const { emitter, logger, events, full } = collect(options);
      const server = createServer(listener(anymailRouter(full))).listen(0, "127.0.0.1");
      const port = await listening(server);
      return {
        call: (call) => httpCall(port, prefix, call),
        events,
        logs: logger.lines,
        emitter,
        close: () => closing(server),
      };
    },
  };
}

/** A Fetch-API Request with the given URL, as a runtime builds one from the wire. */
function requestOf(url: string, call: TransportCall, extraHeaders: Record<string, string> = {}) {
  const method = call.method ?? "POST";
  const body = bytesOf(call.body);
  return new Request(url, {
    method,
    headers: {
      host: call.host ?? HOST,
      ...(body ? { "content-length": String(body.length) } : {}),
      ...extraHeaders,
      ...call.headers,
    },
    body: method === "GET" || method === "HEAD" ? null : (body ?? null),
  });
}

async function answerOf(response: Response): Promise<TransportAnswer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, text: await response.text(), headers };
}

/** The media types API Gateway passes as text; anything else arrives base64-encoded. */
const TEXT_TYPES = /^(?:text\/|application\/(?:json|x-www-form-urlencoded)\b)/;

/** An API Gateway v2 / Function URL event for a call, as AWS delivers it. */
export function lambdaEventOf(
  path: string,
  call: TransportCall,
  { base64 }: { base64?: boolean } = {},
): LambdaHttpEvent {
  const method = call.method ?? "POST";
  const body = bytesOf(call.body);
  const headers: Record<string, string> = {
    host: call.host ?? HOST,
    "x-forwarded-proto": "https",
    "x-forwarded-port": "443",
    "x-forwarded-for": "203.0.113.7",
    ...(body ? { "content-length": String(body.length) } : {}),
  };
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const encode = base64 ?? !TEXT_TYPES.test(headers["content-type"] ?? "");
  const [rawPath, rawQueryString = ""] = path.split("?");
  const event = {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "kitapi",
      domainName: call.host ?? HOST,
      domainPrefix: "hooks",
      http: {
        method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.7",
        userAgent: "kit",
      },
      requestId: "kit-request",
      routeKey: "$default",
      stage: "$default",
      time: "02/Dec/2026:15:00:00 +0000",
      timeEpoch: 1796223600000,
    },
    ...(body && method !== "GET" && method !== "HEAD"
      ? { body: body.toString(encode ? "base64" : "utf8"), isBase64Encoded: encode }
      : { isBase64Encoded: false }),
  };
  return event;
}

export const TRANSPORTS: readonly Transport[] = [
  nodeTransport("Express", "/anymail", (router) => express().use("/anymail", router)),
  nodeTransport("Connect", "/anymail", (router) => connect().use("/anymail", router)),
  nodeTransport("node:http", "", (router) => (req, res) => router(req, res)),
  {
    // a Bun.serve / Deno.serve-style `fetch` export, handed Node's own Request
    name: "Fetch handler",
    prefix: "/anymail",
    scheme: "http",
    async mount(options) {
      const { emitter, logger, events, full } = collect(options);
      const fetchHandler = createWebhookHandler(full);
      return {
        call: async (call) => {
          const url = `http://${call.host ?? HOST}/anymail${call.path}`;
          return answerOf(await fetchHandler(requestOf(url, call)));
        },
        events,
        logs: logger.lines,
        emitter,
        close: async () => {},
      };
    },
  },
  {
    name: "Hono",
    prefix: "/anymail",
    scheme: "http",
    async mount(options) {
      const { emitter, logger, events, full } = collect(options);
      const app = new Hono();
      app.all("/anymail/*", anymailHono(full));
      const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
      const port = await listening(server);
      return {
        call: (call) => httpCall(port, "/anymail", call),
        events,
        logs: logger.lines,
        emitter,
        close: () => closing(server),
      };
    },
  },
  {
    // app/anymail/[...path]/route.ts: Next builds request.url from its own host name
    // (localhost:3000 when self-hosted), keeps the client's Host and adds X-Forwarded-*
    name: "Next.js route",
    prefix: "/anymail",
    scheme: "http",
    async mount(options) {
      const { emitter, logger, events, full } = collect(options);
      const route = anymailRoute(full);
      return {
        call: async (call) => {
          const method = (call.method ?? "POST").toUpperCase() as keyof typeof route;
          const handler = route[method];
          if (typeof handler !== "function") throw new Error(`no ${method} export`);
          const request = requestOf(`http://localhost:3000/anymail${call.path}`, call, {
            "x-forwarded-host": call.host ?? HOST,
            "x-forwarded-port": "3000",
            "x-forwarded-proto": "http",
            "x-forwarded-for": "::ffff:127.0.0.1",
          });
          const path = call.path.split("?")[0].split("/").filter(Boolean);
          return answerOf(await handler(request, { params: Promise.resolve({ path }) }));
        },
        events,
        logs: logger.lines,
        emitter,
        close: async () => {},
      };
    },
  },
  {
    name: "Lambda (API Gateway v2)",
    prefix: "/anymail",
    scheme: "https",
    async mount(options) {
      const { emitter, logger, events, full } = collect(options);
      const handler = lambdaHandler(full);
      return {
        call: async (call) => {
          const result = await handler(lambdaEventOf(`/anymail${call.path}`, call));
          return { status: result.statusCode, text: result.body, headers: result.headers };
        },
        events,
        logs: logger.lines,
        emitter,
        close: async () => {},
      };
    },
  },
];
