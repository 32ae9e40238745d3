// Posts a SparkPost webhook body through supertest to a real Express app with anymailRouter
// mounted, and reports the answer and what the emitter received.
import type { AnymailEvent } from "../../../lib/esps/types.js";
import type { Env } from "../../../lib/settings.js";
import { webhookApp } from "../../helpers/webhooks.js";

export interface WebhookResult {
  status: number;
  events: AnymailEvent[];
  espNames: string[];
  /** The answer's text (the error explanation on a 400). */
  error: string;
}

export async function callWebhook(
  kind: "tracking" | "inbound",
  body: unknown,
  { settings = {}, env = {} }: { settings?: Record<string, unknown>; env?: Env } = {},
): Promise<WebhookResult> {
  const hook = webhookApp({ sparkpost: settings, env });
  const res = await hook
    .post(`/sparkpost/${kind}/`)
    .set("Content-Type", "application/json")
    .send(typeof body === "string" ? body : JSON.stringify(body));
  return {
    status: res.status,
    events: hook.events.map((e) => e.event),
    espNames: hook.events.map((e) => e.espName),
    error: res.text,
  };
}
