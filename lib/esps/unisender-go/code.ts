/**
 * @module
 * Unisender Go's code: what its adapter (index.ts) imports on first use, not with the registry.
 */
import { send } from "./send.js";
import { tracking } from "./tracking.js";

export const code = { send, tracking };
