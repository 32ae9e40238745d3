/**
 * @module
 * Mandrill's code: what its adapter (index.ts) imports on first use, not with the registry.
 */
import { send } from "./send.js";
import { signature } from "./signature.js";
import { tracking } from "./tracking.js";

/** Every post is checked against Mandrill's signature, so there is no basic-auth warning. */
const webhook = { ...tracking, signature };

export const code = { send, tracking: webhook, extraRoutes: { "": webhook } };
