/**
 * @module
 * Mandrill's single webhook URL: a form post whose `mandrill_events` field is a JSON list
 * of events, tracking and inbound alike, each dispatched in order to its own channel
 * (esps/mandrill.txt "uses this single url for both tracking and inbound events").
 */
import { AnymailError } from "../../errors.js";
import type { AnymailEvent, WebhookContext, WebhookHandler, WebhookRequest } from "../types.js";
import { toInboundEvent } from "./inbound.js";
import { verifySignature } from "./signature.js";
import { mandrillEventType, toTrackingEvent } from "./tracking.js";
import type { MandrillEvent } from "./tracking.js";
import { isRecord } from "../../util/records.js";

/** The `mandrill_events` list of a webhook post; a bad body is an AnymailError (400). */
export function parseMandrillEvents(request: WebhookRequest, espName: string): MandrillEvent[] {
  const values = request.form?.mandrill_events;
  if (!values || values.length === 0) {
    throw new AnymailError(`${espName} webhook: the POST has no mandrill_events field.`, {
      espName,
    });
  }
  let events: unknown;
  try {
    events = JSON.parse(values[values.length - 1]);
  } catch (error) {
    throw new AnymailError(`${espName} webhook: mandrill_events is not valid JSON.`, {
      espName,
      cause: error,
    });
  }
  if (!Array.isArray(events) || !events.every(isRecord)) {
    throw new AnymailError(`${espName} webhook: mandrill_events is not a list of events.`, {
      espName,
    });
  }
  return events as MandrillEvent[];
}

async function handle(request: WebhookRequest, context: WebhookContext): Promise<AnymailEvent[]> {
  const events: AnymailEvent[] = [];
  for (const event of parseMandrillEvents(request, context.espName)) {
    events.push(
      mandrillEventType(event) === "inbound"
        ? await toInboundEvent(event, context.espName)
        : toTrackingEvent(event),
    );
  }
  return events;
}

/** The handler of `/mandrill/` (and `/mandrill/tracking/`). */
export const MANDRILL_WEBHOOK = {
  // Mandrill checks a new webhook URL with HEAD, before it has issued the key
  probeMethods: ["HEAD"],
  signature: { enabled: () => true, verify: verifySignature },
  handle,
} as const satisfies WebhookHandler;
