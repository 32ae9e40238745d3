/**
 * @module
 * Scaleway TEM's code: what its adapter (index.ts) imports on first use, not with the registry.
 */
import { send } from "./send.js";

export const code = { send };
