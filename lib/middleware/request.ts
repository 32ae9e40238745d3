/**
 * @module
 * Building the framework-free WebhookRequest from Node's IncomingMessage (as Express 4/5 or
 * Connect hand it over).
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { WebhookRequest } from "../esps/types.js";
import type { ParsedBody } from "./body.js";

/** The parts of an Express request we read when present; plain Connect has none of them. */
interface MaybeExpressRequest extends IncomingMessage {
  protocol?: unknown;
  hostname?: unknown;
  originalUrl?: unknown;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(",")[0].trim() || undefined;
}

/**
 * The URL the ESP called. Express's `req.protocol` and `req.hostname` already honour the
 * app's `trust proxy` setting; when Express took the host from X-Forwarded-Host, that
 * header (with its port) is used, else the Host header.
 */
export function publicUrl(req: IncomingMessage): URL {
  const express = req as MaybeExpressRequest;
  const encrypted = (req.socket as TLSSocket | undefined)?.encrypted === true;
  const protocol =
    typeof express.protocol === "string" ? express.protocol : encrypted ? "https" : "http";
  let host = firstHeader(req.headers.host) ?? "localhost";
  const forwardedHost = firstHeader(req.headers["x-forwarded-host"]);
  if (
    typeof express.hostname === "string" &&
    forwardedHost !== undefined &&
    express.hostname !== new URL(`http://${host}`).hostname
  ) {
    host = forwardedHost;
  }
  const path = typeof express.originalUrl === "string" ? express.originalUrl : (req.url ?? "/");
  try {
    return new URL(path, `${protocol}://${host}`);
  } catch {
    // a Host header that is not a host: keep the path, which is what handlers use
    return new URL(path.startsWith("/") ? path : "/", "http://localhost");
  }
}

/** Assembles the WebhookRequest a handler sees. */
export function buildWebhookRequest(
  req: IncomingMessage,
  rawBody: Buffer,
  parsed: ParsedBody,
  basicAuthPassed: boolean,
): WebhookRequest {
  const headers: WebhookRequest["headers"] = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name.toLowerCase()] = value;
  const request: WebhookRequest = {
    method: (req.method ?? "GET").toUpperCase(),
    url: publicUrl(req),
    headers,
    rawBody,
    contentType: parsed.contentType,
    basicAuthPassed,
  };
  if (parsed.json !== undefined) request.json = parsed.json;
  if (parsed.form !== undefined) request.form = parsed.form;
  if (parsed.files !== undefined) request.files = parsed.files;
  return request;
}
