/**
 * @module
 * The ESP registry: name → adapter. Adding an ESP is one folder and one line here.
 */
import { AnymailConfigurationError } from "../errors.js";
import type { EspAdapter } from "./types.js";
import { amazonSes } from "./amazon-ses/index.js";
import { mailgun } from "./mailgun/index.js";
import { mailjet } from "./mailjet/index.js";
import { mandrill } from "./mandrill/index.js";
import { postmark } from "./postmark/index.js";
import { sendgridEsp } from "./sendgrid/index.js";
import { sendinblue } from "./sendinblue/index.js";
import { sparkpost } from "./sparkpost/index.js";
import { consoleEsp } from "./console/index.js";
import { testEsp } from "./test/index.js";

const ADAPTERS: readonly EspAdapter[] = [
  amazonSes,
  mailgun,
  mailjet,
  mandrill,
  postmark,
  sendgridEsp,
  sendinblue,
  sparkpost,
  testEsp,
  consoleEsp,
];

const BY_NAME = new Map<string, EspAdapter>();
for (const adapter of ADAPTERS) {
  for (const name of [adapter.name, ...(adapter.aliases ?? [])]) BY_NAME.set(name, adapter);
}

/** Every registered ESP, in registration order. */
export function listAdapters(): readonly EspAdapter[] {
  return ADAPTERS;
}

/** The names createSender accepts (aliases included). */
export function knownEspNames(): string[] {
  return [...BY_NAME.keys()].sort();
}

/** The adapter for a name or alias, or undefined. */
export function findAdapter(name: string): EspAdapter | undefined {
  return BY_NAME.get(name.toLowerCase().replace(/-/g, "_"));
}

/** The adapter for a name or alias; throws listing the known names. */
export function getAdapter(name: string): EspAdapter {
  const adapter = findAdapter(name);
  if (!adapter) {
    throw new AnymailConfigurationError(
      `Unknown ESP "${name}". Known ESPs: ${knownEspNames().join(", ")}.`,
    );
  }
  return adapter;
}
