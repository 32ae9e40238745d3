/**
 * @module
 * anymail/lambda: the webhook routes as an AWS Lambda handler for HTTP events in the
 * payload format 2.0 (API Gateway HTTP APIs and Lambda Function URLs). The event becomes a
 * standard `Request` for createWebhookHandler; base64 bodies are decoded first.
 *
 * @example
 * import { lambdaHandler } from "anymail/lambda";
 *
 * export const handler = lambdaHandler({ webhookSecret: process.env.WEBHOOK_SECRET, emitter });
 */
import { AnymailConfigurationError } from "../errors.js";
import type { AnymailEmitter } from "../events/emitter.js";
import type { AnyEspAdapter } from "../esps/types.js";
import { createWebhookHandler, type AnymailFetchHandlerOptions } from "../middleware/fetch.js";

export type { AnymailFetchHandlerOptions } from "../middleware/fetch.js";

/**
 * The fields of an API Gateway v2 / Function URL event the handler reads (a subset of
 * `APIGatewayProxyEventV2` in @types/aws-lambda, which is accepted as it is).
 */
export interface LambdaHttpEvent {
  version?: string;
  rawPath: string;
  rawQueryString?: string;
  /** Lower-cased names; repeated headers joined with commas. */
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { domainName?: string; http: { method: string } };
}

/** The structured answer Lambda turns into the HTTP response. */
export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

/** A Lambda handler that also exposes the emitter it dispatches to. */
export interface AnymailLambdaHandler {
  (event: LambdaHttpEvent): Promise<LambdaHttpResult>;
  readonly emitter: AnymailEmitter;
}

/**
 * Serves every ESP's webhook routes from one Lambda function. The public URL is
 * `https://<Host header or domainName><rawPath>` (these endpoints are HTTPS only); the route
 * is read from the end of the path, so a stage prefix (`/prod/anymail/…`) needs no setting.
 * For an ESP that signs its URL, behind CloudFront or a custom domain with a base path,
 * set the ESP's `webhookUrl` to the URL entered at the ESP.
 */
export function lambdaHandler<const X extends readonly AnyEspAdapter[] = readonly []>(
  options: AnymailFetchHandlerOptions<X> = {},
): AnymailLambdaHandler {
  const handle = createWebhookHandler(options);
  const handler = (async (event: LambdaHttpEvent) => {
    const response = await handle(requestOf(event));
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return {
      statusCode: response.status,
      headers,
      body: await response.text(),
      isBase64Encoded: false,
    } satisfies LambdaHttpResult;
  }) as AnymailLambdaHandler;
  Object.defineProperty(handler, "emitter", { value: handle.emitter, enumerable: true });
  return handler;
}

/** The Request an HTTP event stands for. */
function requestOf(event: LambdaHttpEvent): Request {
  const method = event.requestContext?.http?.method;
  if (typeof event.rawPath !== "string" || typeof method !== "string") {
    // a REST API (payload 1.0) or non-HTTP trigger: the deployment must change, not the ESP
    throw new AnymailConfigurationError(
      "anymail/lambda: lambdaHandler() takes HTTP events in payload format 2.0 (API Gateway " +
        "HTTP APIs or Lambda Function URLs); this event has no rawPath/requestContext.http.",
    );
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers.set(name, value);
  }
  const host = event.requestContext.domainName ?? headers.get("host") ?? "localhost";
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  const hasBody = event.body !== undefined && method !== "GET" && method !== "HEAD";
  return new Request(`https://${host}${event.rawPath}${query}`, {
    method,
    headers,
    body: hasBody ? Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8") : null,
  });
}
