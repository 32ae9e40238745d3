/**
 * @module
 * Building the framework-free WebhookRequest: the public URL the ESP called (with proxy
 * headers believed only when the app trusts its proxy) and the request a handler sees.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { WebhookRequest } from "../esps/types.js";
import type { ParsedBody } from "./body.js";
import { HttpFailure } from "./respond.js";

/** What publicUrl reads: plain data, so a Fetch-API handler can give it too. */
export interface UrlSource {
  headers: WebhookRequest["headers"];
  /** The path and query as the client sent them (before any mount prefix was stripped). */
  path: string;
  /** The connection itself is TLS. */
  encrypted: boolean;
  /** X-Forwarded-Proto and X-Forwarded-Host come from a proxy the app trusts. */
  trustProxy: boolean;
}

// a host name (letters, digits, '-', '.', '_' as in container names) or a bracketed IPv6
// address, then an optional port: anything else (userinfo, paths, spaces) is refused
const HOST = /^(?:[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(",")[0].trim() || undefined;
}

/**
 * The URL the ESP called. The Host header names the host, or X-Forwarded-Host (and
 * X-Forwarded-Proto the scheme) when `trustProxy`; a malformed host answers 400 rather than
 * letting a caller choose the URL a signature is checked against.
 */
export function publicUrl({ headers, path, encrypted, trustProxy }: UrlSource): URL {
  const forwardedHost = trustProxy ? firstHeader(headers["x-forwarded-host"]) : undefined;
  const host = forwardedHost ?? firstHeader(headers.host) ?? "localhost";
  if (!HOST.test(host)) {
    throw new HttpFailure(400, `Malformed ${forwardedHost ? "X-Forwarded-Host" : "Host"} header.`);
  }
  const forwardedProto = trustProxy ? firstHeader(headers["x-forwarded-proto"]) : undefined;
  const protocol =
    forwardedProto && /^https?$/i.test(forwardedProto)
      ? forwardedProto.toLowerCase()
      : encrypted
        ? "https"
        : "http";
  try {
    // one absolute string: resolved against a base, a path like "//other.host/…" or
    // "/\\other.host/…" would name the host itself
    return new URL(`${protocol}://${host}${path.startsWith("/") ? "" : "/"}${path}`);
  } catch {
    throw new HttpFailure(400, "Malformed request URL.");
  }
}

/** The parts of an Express request read when present; plain Connect has none of them. */
interface MaybeExpressRequest extends IncomingMessage {
  originalUrl?: unknown;
  app?: { get?(setting: string): unknown };
}

/**
 * Whether this request came through a proxy the app trusts: the router's `trustProxy`
 * option when given, else Express's `trust proxy` setting for the peer address (as
 * `req.hostname` and `req.protocol` decide), else false.
 */
export function trustsProxy(req: IncomingMessage, option: boolean | undefined): boolean {
  if (option !== undefined) return option;
  const trust = (req as MaybeExpressRequest).app?.get?.("trust proxy fn");
  if (typeof trust !== "function") return false;
  return trust(req.socket?.remoteAddress, 0) === true;
}

/** publicUrl of a Node request (as Express 4/5 or Connect hand it over). */
export function publicUrlOf(req: IncomingMessage, trustProxy: boolean): URL {
  const express = req as MaybeExpressRequest;
  return publicUrl({
    headers: req.headers,
    path: typeof express.originalUrl === "string" ? express.originalUrl : (req.url ?? "/"),
    encrypted: (req.socket as TLSSocket | undefined)?.encrypted === true,
    trustProxy,
  });
}

/** The request step: assembles the WebhookRequest a handler sees. */
export function buildWebhookRequest(
  source: { method: string; url: URL; headers: WebhookRequest["headers"] },
  rawBody: Buffer,
  parsed: ParsedBody,
  basicAuthPassed: boolean,
): WebhookRequest {
  const headers: WebhookRequest["headers"] = {};
  // a key loop: Object.entries would build an array per header on every request
  for (const name of Object.keys(source.headers))
    headers[name.toLowerCase()] = source.headers[name];
  const request: WebhookRequest = {
    method: source.method.toUpperCase(),
    url: source.url,
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
