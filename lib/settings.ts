/**
 * @module
 * Settings, declared once per ESP and typed from that declaration: option → env
 * `ANYMAIL_<ESP>_<NAME>` → env `<ESP>_<NAME>` (the last only for ESP credentials, as the
 * spec's ESP pages say). `setting.string({ required: true, espKey: true, secret: true })`
 * both resolves the value and gives the option its type (`OptionsOf`, `SettingsOf`).
 */
import { AnymailConfigurationError } from "./errors.js";

/** Checks and converts a resolved value; throws a TypeError whose message says what was expected. */
export type SettingParser<T> = (value: unknown) => T;

/** How one setting is found and checked. */
export interface SettingSpec<T = unknown> {
  /** Throw AnymailConfigurationError when the setting resolves to nothing. */
  required?: boolean;
  /** Used when neither the option nor the environment gives a value. */
  default?: T;
  /** Also read the un-prefixed `<ESP>_<NAME>` env var (ESP credentials only). */
  espKey?: boolean;
  /** Never printed: redacted from debug output and never put in an error message. */
  secret?: boolean;
  /** A list: an env value may be JSON or comma-separated. */
  list?: boolean;
  /** Only an option, never read from the environment (objects, functions, streams). */
  optionOnly?: boolean;
  /** Checks and converts the value; the result's type is the option's type. */
  parse?: SettingParser<T>;
}

export type SettingSpecs = Record<string, SettingSpec>;
export type Env = Record<string, string | undefined>;

/** The value type a spec declares (through its parser). */
export type SettingValue<S> = S extends { parse: SettingParser<infer T> } ? T : unknown;

/** What an option accepts: the parsed type, unless the spec declares a wider input. */
export type SettingInput<S> = S extends { accepts?: infer I }
  ? unknown extends I
    ? SettingValue<S>
    : I
  : SettingValue<S>;

/** The options object a settings table accepts: every setting optional (env may supply it). */
export type OptionsOf<S extends SettingSpecs> = { [K in keyof S]?: SettingInput<S[K]> };

/** The resolved settings an adapter reads: required and defaulted ones are always there. */
export type SettingsOf<S extends SettingSpecs> = {
  readonly [K in keyof S as S[K] extends AlwaysSet ? K : never]: SettingValue<S[K]>;
} & {
  readonly [K in keyof S as S[K] extends AlwaysSet ? never : K]?: SettingValue<S[K]>;
};
type AlwaysSet = { required: true } | { default: NonNullable<unknown> };

type Flags<T> = Omit<SettingSpec<T>, "parse">;

function expected(what: string, value: unknown): TypeError {
  const got = value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
  return new TypeError(`must be ${what}, not ${got}`);
}

function parseString(value: unknown): string {
  // env values that look like numbers or booleans arrive parsed; the setting is their text
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw expected("a string", value);
}

function parseBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw expected("true or false", value);
}

function parseNumber(value: unknown): number {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number === "number" && Number.isFinite(number)) return number;
  throw expected("a number", value);
}

function parseStringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map(parseString).filter((item) => item.length > 0);
}

/**
 * Builders for setting specs: each sets the parser, and so the option's type.
 *
 * @example
 * const settings = {
 *   apiKey: setting.string({ required: true, espKey: true, secret: true }),
 *   apiUrl: setting.string({ default: "https://api.example.com/v1/" }),
 * };
 */
export const setting = {
  string: <F extends Flags<string>>(flags?: F) =>
    ({ ...flags, parse: parseString }) as F & { parse: SettingParser<string> },
  boolean: <F extends Flags<boolean>>(flags?: F) =>
    ({ ...flags, parse: parseBoolean }) as F & { parse: SettingParser<boolean> },
  number: <F extends Flags<number>>(flags?: F) =>
    ({ ...flags, parse: parseNumber }) as F & { parse: SettingParser<number> },
  /** One string or several (a JSON list or comma-separated in the environment). */
  stringList: <F extends Flags<string[]>>(flags?: F) =>
    ({ list: true, ...flags, parse: parseStringList }) as F & {
      parse: SettingParser<string[]>;
      /** (type only) an option may be one string */
      accepts?: string | readonly string[];
    },
  /** Any value of type T, checked by `parse` (objects, functions: options only by default). */
  custom: <T, F extends Flags<T> = Flags<T>>(parse: SettingParser<T>, flags?: F) =>
    ({ optionOnly: true, ...flags, parse }) as F & { parse: SettingParser<T> },
};

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
  const checked = (value: unknown, source: string): unknown => {
    if (!spec.parse || value === null) return value;
    try {
      return spec.parse(value);
    } catch (error) {
      const prefix = espName ? `${espName}: ` : "";
      const reason = error instanceof Error ? error.message : String(error);
      throw new AnymailConfigurationError(
        `${prefix}setting "${optionName}" (${source}) ${reason}.`,
        {
          espName,
        },
      );
    }
  };
  const explicit = options[optionName];
  if (explicit !== undefined) return checked(explicit, "option");
  const envNames = spec.optionOnly ? [] : envNamesFor(optionName, spec, prefixes);
  for (const envName of envNames) {
    const raw = env[envName];
    if (raw !== undefined && raw !== "") return checked(parseEnvValue(raw, spec), envName);
  }
  if (spec.default !== undefined) return spec.default;
  if (spec.required) {
    const prefix = espName ? `${espName}: ` : "";
    const via = where ? ` to ${where}` : "";
    throw new AnymailConfigurationError(
      `${prefix}missing required setting "${optionName}". Pass the ${optionName} option${via}` +
        (envNames.length > 0 ? `, or set ${envNames.join(" or ")} in the environment.` : "."),
      { espName },
    );
  }
  return undefined;
}

/** Resolves every setting of a spec table at once. */
export function resolveSettings<S extends SettingSpecs>(
  options: Record<string, unknown>,
  specs: S,
  resolveOptions: ResolveOptions = {},
): SettingsOf<S> {
  const resolved: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = resolveSetting(options, name, spec, resolveOptions);
    if (value !== undefined) resolved[name] = value;
  }
  return resolved as SettingsOf<S>;
}

/** The values of the settings marked secret, for redaction. */
export function secretValues(resolved: object, specs: SettingSpecs): string[] {
  const secrets: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const value = (resolved as Record<string, unknown>)[name];
    if (!spec.secret || value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "string" && item.length > 0) secrets.push(item);
    }
  }
  return secrets;
}
