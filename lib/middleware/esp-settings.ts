/**
 * @module
 * Per-ESP webhook settings for the router: option `<esp>: { … }` (by name or alias) →
 * env `ANYMAIL_<ESP>_<NAME>` → env `<ESP>_<NAME>` for ESP keys, resolved once per ESP.
 */
import { AnymailConfigurationError } from "../errors.js";
import { envPrefixesOf, type EspAdapter } from "../esps/types.js";
import { resolveSettings, secretValues, type Env } from "../settings.js";

/** What the router keeps per ESP. */
export interface EspState {
  settings: Record<string, unknown>;
  /** Secret setting values, kept out of every answer and log line. */
  redacted: string[];
  /** The missing-secret warning was logged for this ESP. */
  warnedInsecure: boolean;
}

function namesOf(adapter: EspAdapter): string[] {
  return [adapter.name, ...(adapter.aliases ?? [])];
}

/** True when the router options name this ESP (so its settings are checked at setup). */
export function isConfigured(adapter: EspAdapter, options: Record<string, unknown>): boolean {
  return namesOf(adapter).some((name) => options[name] !== undefined);
}

/** Resolves an ESP's webhook settings; throws AnymailConfigurationError when one is missing. */
export function resolveEspState(
  adapter: EspAdapter,
  options: Record<string, unknown>,
  env: Env,
): EspState {
  const given = namesOf(adapter)
    .map((name) => options[name])
    .find((value) => value !== undefined);
  if (given !== undefined && (given === null || typeof given !== "object")) {
    throw new AnymailConfigurationError(
      `${adapter.displayName}: anymailRouter option "${adapter.name}" must be an object ` +
        `of webhook settings.`,
      { espName: adapter.displayName },
    );
  }
  const specs = adapter.webhookSettings ?? {};
  const settings = resolveSettings((given ?? {}) as Record<string, unknown>, specs, {
    prefixes: envPrefixesOf(adapter),
    espName: adapter.displayName,
    where: `anymailRouter({ ${adapter.name}: { … } })`,
    env,
  });
  return { settings, redacted: secretValues(settings, specs), warnedInsecure: false };
}
