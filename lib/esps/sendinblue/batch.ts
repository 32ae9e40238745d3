/**
 * @module
 * Brevo batch sends: one `messageVersions` entry per `to` recipient, carrying that
 * recipient's merge data (`params`), metadata and headers. The top-level fields (global
 * params, global metadata header, cc/bcc) apply to every version.
 */
import { mergeHeaders, type NormalizedMessage } from "../../sender/message.js";
import type { SendContext } from "../types.js";
import type { SendSettings } from "./index.js";
import { checkHeaderValue, METADATA_HEADER, toAddress, type BrevoAddress } from "./send.js";

/** One entry of `messageVersions`. */
export interface BrevoMessageVersion {
  to: BrevoAddress[];
  params?: Record<string, unknown>;
  headers?: Record<string, string>;
}

type BatchContext = Pick<
  SendContext<SendSettings>,
  "espName" | "settings" | "unsupported" | "serializeJson"
>;

/** The versions of a batch message, in the order of `to` (Brevo answers ids in that order). */
export function messageVersions(
  message: NormalizedMessage,
  ctx: BatchContext,
): BrevoMessageVersion[] {
  return message.to.map((to) => {
    const version: BrevoMessageVersion = { to: [toAddress(to)] };
    const params = message.mergeData?.[to.addrSpec];
    if (params) version.params = params;
    let headers: Record<string, string> = {};
    const metadata = message.mergeMetadata?.[to.addrSpec];
    if (metadata) {
      // a version's header replaces the top-level one: global metadata goes in it too
      const json = ctx.serializeJson(
        { ...message.metadata, ...metadata },
        `mergeMetadata["${to.addrSpec}"]`,
      );
      checkHeaderValue("mergeMetadata", json, ctx);
      headers[METADATA_HEADER] = json;
    }
    const extra = message.mergeHeaders?.[to.addrSpec];
    if (extra) {
      for (const [name, value] of Object.entries(extra)) {
        checkHeaderValue(`the "${name}" header of mergeHeaders`, value, ctx);
      }
      headers = mergeHeaders(headers, extra);
    }
    if (Object.keys(headers).length > 0) version.headers = headers;
    return version;
  });
}
