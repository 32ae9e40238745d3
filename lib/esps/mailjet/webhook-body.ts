/**
 * @module
 * Reading a Mailjet webhook body: JSON whose MessageIDs may exceed 2^53.
 */
import { AnymailError } from "../../errors.js";
import { parseJsonLossless } from "../../util/lossless-json.js";
import type { WebhookRequest } from "../types.js";

/** The posted body parsed from the raw bytes, big integers kept exact (the router's JSON rounds them). */
export function parseBody(request: WebhookRequest, what: "tracking" | "inbound"): unknown {
  try {
    return parseJsonLossless(request.rawBody.toString("utf8"));
  } catch {
    throw new AnymailError(`Mailjet ${what} webhook called with a body that is not JSON`, {
      espName: "Mailjet",
    });
  }
}
