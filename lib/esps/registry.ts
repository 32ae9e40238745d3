/**
 * @module
 * The ESP registry: the one list of ESPs. Adding an ESP is one folder and one line in
 * `ESPS`; its createSender options, router options and Sender members follow from its
 * declaration (`defineEsp`), so nothing else needs to know about it. Only the declarations
 * load with the registry: an ESP's send and handlers come with its first use (`lazyCode`).
 */
import { AnymailConfigurationError } from "../errors.js";
import type { OptionsOf, SettingSpecs } from "../settings.js";
import type { SendDefaults } from "../sender/message.js";
import type { AnyEspAdapter, EspAdapter } from "./types.js";
import { adapter as amazonSes } from "./amazon-ses/index.js";
import { adapter as mailgun } from "./mailgun/index.js";
import { adapter as mailersend } from "./mailersend/index.js";
import { adapter as mailjet } from "./mailjet/index.js";
import { adapter as mailtrap } from "./mailtrap/index.js";
import { adapter as mandrill } from "./mandrill/index.js";
import { adapter as postal } from "./postal/index.js";
import { adapter as postmark } from "./postmark/index.js";
import { adapter as resend } from "./resend/index.js";
import { adapter as scaleway } from "./scaleway/index.js";
import { adapter as sendgrid } from "./sendgrid/index.js";
import { adapter as sendinblue } from "./sendinblue/index.js";
import { adapter as sparkpost } from "./sparkpost/index.js";
import { adapter as unisenderGo } from "./unisender-go/index.js";
import { adapter as consoleEsp } from "./console/index.js";
import { adapter as testEsp } from "./test/index.js";

const ESPS = [
  amazonSes,
  mailersend,
  mailgun,
  mailjet,
  mailtrap,
  mandrill,
  postal,
  postmark,
  resend,
  scaleway,
  sendgrid,
  sendinblue,
  sparkpost,
  unisenderGo,
  testEsp,
  consoleEsp,
] as const;

/** One registered adapter (a union over the list). */
export type RegisteredEsp = (typeof ESPS)[number];

/** The names and aliases an adapter answers to, as literal types. */
export type NamesOf<A> = A extends { name: infer N extends string }
  ? N | (A extends { aliases?: readonly (infer X extends string)[] } ? X : never)
  : never;

/** Every ESP name (and alias) createSender and the router know at compile time. */
export type KnownEspName = NamesOf<RegisteredEsp>;

/** The adapter registered under a name or alias. */
export type EspNamed<E extends string, A = RegisteredEsp> = A extends unknown
  ? E extends NamesOf<A>
    ? A
    : never
  : never;

type SpecsOf<A, K extends "settings" | "webhookSettings"> = A extends { [P in K]?: infer S }
  ? S extends SettingSpecs
    ? S
    : Record<never, never>
  : Record<never, never>;

/** `some_esp` → `someEspSendDefaults` (the spec's `<ESP>_SEND_DEFAULTS`). */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type EspDefaultsOptions<E extends string> = {
  [K in `${CamelCase<E>}SendDefaults`]?: SendDefaults;
};

/** An ESP's own createSender options (its settings plus `<esp>SendDefaults`). */
export type EspOptions<E extends string> = OptionsOf<SpecsOf<EspNamed<E>, "settings">> &
  EspDefaultsOptions<E>;

/** An ESP's webhook settings: the router's `<esp>: {…}` option. */
export type EspWebhookOptions<E extends string> = OptionsOf<
  SpecsOf<EspNamed<E>, "webhookSettings">
>;

/** Each known ESP's createSender options, by the name createSender takes. */
export type EspOptionsMap = { [E in KnownEspName]: EspOptions<E> };

/** Members an ESP adds to its Sender (the test ESP's `outbox`). */
export type SenderApiOf<E extends string> =
  EspNamed<E> extends { senderApi?(memo: never): infer Api } ? Api : unknown;

const BY_NAME = new Map<string, AnyEspAdapter>();
for (const adapter of ESPS as readonly AnyEspAdapter[]) {
  for (const name of [adapter.name, ...(adapter.aliases ?? [])]) BY_NAME.set(name, adapter);
}

/** Every registered ESP, in registration order. */
export function listAdapters(): readonly AnyEspAdapter[] {
  return ESPS;
}

/** The names createSender accepts (aliases included). */
export function knownEspNames(): string[] {
  return [...BY_NAME.keys()].sort();
}

/** The adapter for a name or alias, or undefined. */
export function findAdapter(name: string): AnyEspAdapter | undefined {
  return BY_NAME.get(name.toLowerCase().replace(/-/g, "_"));
}

/** The adapter for a name or alias; throws listing the known names. */
export function getAdapter(name: string): AnyEspAdapter {
  const adapter = findAdapter(name);
  if (!adapter) {
    throw new AnymailConfigurationError(
      `Unknown ESP "${name}". Known ESPs: ${knownEspNames().join(", ")}.`,
    );
  }
  return adapter;
}

export type { EspAdapter };

/** ESP-specific helpers the package exports (lib/index.ts names no ESP). */
export { mailerSendBulkStatus } from "./mailersend/bulk-status.js";
export type {
  MailerSendBulkStatus,
  MailerSendBulkStatusOptions,
} from "./mailersend/bulk-status.js";
