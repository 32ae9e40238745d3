/**
 * @module
 * Resolves settings: explicit option → env `ANYMAIL_<ESP>_<NAME>` → env `<ESP>_<NAME>`
 * (the last only for ESP credentials, as the spec's ESP pages say).
 */
import { AnymailConfigurationError } from "./errors.js";

/** How one setting is found and checked. */
export interface SettingSpec {
  /** Throw AnymailConfigurationError when the setting resolves to nothing. */
  required?: boolean;
  /** Used when neither the option nor the environment gives a value. */
  default?: unknown;
  /** Also read the un-prefixed `<ESP>_<NAME>` env var (ESP credentials only). */
  espKey?: boolean;
  /** Never printed: redacted from debug output and never put in an error message. */
  secret?: boolean;
  /** A list: an env value may be JSON or comma-separated. */
  list?: boolean;
}

export type SettingSpecs = Record<string, SettingSpec>;
export type Env = Record<string, string | undefined>;

/** `apiKey` → `API_KEY`. */
export function toEnvName(optionName: string): string {
  return optionName
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toUpperCase();
}

/** The env names that can supply a setting, in priority order. */
export function envNamesFor(optionName: string, spec: SettingSpec, prefixes: string[]): string[] {
  const name = toEnvName(optionName);
  if (prefixes.length === 0) return [`ANYMAIL_${name}`];
  const names = prefixes.map((prefix) => `ANYMAIL_${prefix}_${name}`);
  if (spec.espKey) names.push(...prefixes.map((prefix) => `${prefix}_${name}`));
  return names;
}

/** An env value is JSON when it looks like JSON (design.md "Env values"), else a string. */
export function parseEnvValue(raw: string, spec: SettingSpec = {}): unknown {
  const trimmed = raw.trim();
  if (/^(true|false|null|-?\d+(\.\d+)?|\[.*\]|\{.*\})$/s.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      // not JSON after all: fall through to the string forms
    }
  }
  if (spec.list) {
    return trimmed
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  }
  return raw;
}

export interface ResolveOptions {
  /** Env prefixes of the ESP, e.g. ["ACME_MAIL"]; none for global settings. */
  prefixes?: string[];
  /** Display name used in error messages. */
  espName?: string;
  /** How the option is passed, for the error message, e.g. `createSender("acme_mail")`. */
  where?: string;
  env?: Env;
}

/** Resolves one setting; undefined when absent and not required. */
export function resolveSetting(
  options: Record<string, unknown>,
  optionName: string,
  spec: SettingSpec,
  { prefixes = [], espName, where, env = process.env }: ResolveOptions = {},
): unknown {
  const explicit = options[optionName];
  if (explicit !== undefined) return explicit;
  const envNames = envNamesFor(optionName, spec, prefixes);
  for (const envName of envNames) {
    const raw = env[envName];
    if (raw !== undefined && raw !== "") return parseEnvValue(raw, spec);
  }
  if (spec.default !== undefined) return spec.default;
  if (spec.required) {
    const prefix = espName ? `${espName}: ` : "";
    const via = where ? ` to ${where}` : "";
    throw new AnymailConfigurationError(
      `${prefix}missing required setting "${optionName}". Pass the ${optionName} option${via}, ` +
        `or set ${envNames.join(" or ")} in the environment.`,
      { espName },
    );
  }
  return undefined;
}

/** Resolves every setting of a spec table at once. */
export function resolveSettings(
  options: Record<string, unknown>,
  specs: SettingSpecs,
  resolveOptions: ResolveOptions = {},
): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = resolveSetting(options, name, spec, resolveOptions);
    if (value !== undefined) resolved[name] = value;
  }
  return resolved;
}

/** The values of the settings marked secret, for redaction. */
export function secretValues(resolved: Record<string, unknown>, specs: SettingSpecs): string[] {
  const secrets: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const value = resolved[name];
    if (!spec.secret || value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "string" && item.length > 0) secrets.push(item);
    }
  }
  return secrets;
}
