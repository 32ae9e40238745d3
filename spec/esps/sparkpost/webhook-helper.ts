// Calls a SparkPost webhook handler the way the router does (settings resolved from options
// and env, verify then handle), answering 200 with the events or 400 for an AnymailError.
import { AnymailError } from "../../../lib/errors.js";
import { sparkpost } from "../../../lib/esps/sparkpost/index.js";
import type { AnymailEvent, EspAdapter, WebhookRequest } from "../../../lib/esps/types.js";
import { resolveSettings, type Env } from "../../../lib/settings.js";

export interface WebhookResult {
  status: number;
  events: AnymailEvent[];
  espNames: string[];
  error?: string;
}

export async function callWebhook(
  kind: "tracking" | "inbound",
  body: unknown,
  { settings = {}, env = {} }: { settings?: Record<string, unknown>; env?: Env } = {},
): Promise<WebhookResult> {
  const handler = (sparkpost as EspAdapter)[kind];
  if (!handler) throw new Error(`SparkPost has no ${kind} handler`);
  const rawBody = Buffer.from(JSON.stringify(body));
  const request: WebhookRequest = {
    method: "POST",
    url: new URL(`https://example.com/anymail/sparkpost/${kind}/`),
    headers: { "content-type": "application/json" },
    rawBody,
    contentType: "application/json",
    json: body,
    basicAuthPassed: true,
  };
  const context = {
    espName: sparkpost.displayName,
    settings: resolveSettings(settings, sparkpost.webhookSettings, {
      prefixes: ["SPARKPOST"],
      env,
    }),
    logger: { warn: () => undefined, error: () => undefined },
    fetch: globalThis.fetch,
  };
  try {
    const events = await handler.handle(request, context);
    return { status: 200, events, espNames: events.map(() => sparkpost.displayName) };
  } catch (error) {
    if (!(error instanceof AnymailError)) throw error;
    return { status: 400, events: [], espNames: [], error: error.message };
  }
}
