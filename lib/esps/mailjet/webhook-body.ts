/**
 * @module
 * Reading a Mailjet webhook body: JSON whose MessageIDs may exceed 2^53, parsed once from the
 * raw bytes (the routes declare `body: "raw"`).
 */
import { parseBigJson } from "./big-json.js";
import { badPayload } from "../../util/payload.js";
import type { WebhookContext, WebhookRequest } from "../types.js";

/** The posted body, big integers kept exact. */
export function parseBody(
  request: WebhookRequest,
  context: Pick<WebhookContext, "espName">,
  route: "tracking" | "inbound",
): unknown {
  // a body parsed by middleware before the router has no raw bytes left: take its JSON
  if (request.rawBody.length === 0 && request.json !== undefined) return request.json;
  try {
    return parseBigJson(request.rawBody);
  } catch {
    throw badPayload(context, route, "the body is not JSON");
  }
}
