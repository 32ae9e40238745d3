/**
 * @module
 * Mailgun's code: what its adapter (index.ts) imports on first use, not with the registry.
 */
import { inbound } from "./inbound.js";
import { send } from "./send.js";
import { signature } from "./signature.js";
import { tracking } from "./tracking.js";

export const code = {
  send,
  tracking: { ...tracking, signature },
  inbound: { ...inbound, signature },
  // the same handler: the URL only tells Mailgun to post the raw MIME (spec "inbound_mime")
  extraRoutes: { inbound_mime: { ...inbound, signature } },
};
