/**
 * @module
 * SparkPost's code: what its adapter (index.ts) imports on first use, not with the registry.
 */
import { send } from "./send.js";
import { tracking } from "./tracking.js";
import { inbound } from "./inbound.js";

export const code = { send, tracking, inbound };
