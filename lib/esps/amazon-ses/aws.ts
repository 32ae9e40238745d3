/**
 * @module
 * The AWS SDK side of Amazon SES: lazy loading of the optional SDK packages, client
 * configuration shared by the SES, SNS and S3 clients, and SDK errors → AnymailAPIError.
 */
import { createRequire } from "node:module";
import { userAgentFor } from "../../sender/http.js";
import { lazyImport } from "../../util/lazy-require.js";
import { packageVersion } from "../../util/version.js";
import { AnymailAPIError, AnymailImproperlyInstalled } from "../../errors.js";

/**
 * SDK modules given instead of importing them (a bundled SDK, or a test that wants the
 * "not installed" path): `{ sesv2: <the client-sesv2 module> }`. Each key is
 * optional; a missing one is imported when first needed. Typed loosely on purpose: the
 * published types never name @aws-sdk packages, which are optional peers.
 */
export interface AmazonSesSdkModules {
  ses?: object | null;
  sesv2?: object | null;
  sns?: object | null;
  s3?: object | null;
}

/** What a client needs from the resolved settings. */
export interface AwsSettings {
  /** Extra client config (region, credentials, endpoint, maxAttempts, requestHandler …). */
  clientParams?: Record<string, unknown>;
  /** The SDK v3 stand-in for a boto3 Session: `profile`, `region`, `credentials`. */
  sessionParams?: Record<string, unknown>;
  sdk?: AmazonSesSdkModules;
}

const PACKAGES = {
  ses: "@aws-sdk/client-ses",
  sesv2: "@aws-sdk/client-sesv2",
  sns: "@aws-sdk/client-sns",
  s3: "@aws-sdk/client-s3",
} as const;

type SdkName = keyof typeof PACKAGES;

const PURPOSES: Record<SdkName, string> = {
  ses: "sending",
  sesv2: "sending",
  sns: "SNS subscription confirmation",
  s3: "inbound with the S3 receipt action",
};

/**
 * anymail's User-Agent token, as for every ESP (#17 item 11). The SDK's `customUserAgent`
 * takes only `name/version` pairs and turns "(" ")" and spaces into "-", so the pair
 * `anymail/<version>` goes through it (x-amz-user-agent, which AWS logs, shows it too) and
 * `userAgentMiddleware` appends the ` (amazon_ses)` comment to the User-Agent header.
 */
export const USER_AGENT = userAgentFor("amazon_ses");
const USER_AGENT_PAIR: [string, string] = ["anymail", packageVersion()];
const USER_AGENT_COMMENT = " (amazon_ses)";

const ESP_NAME = "Amazon SES";

function notInstalled(
  specifier: string,
  purpose: string,
  cause: unknown,
): AnymailImproperlyInstalled {
  return new AnymailImproperlyInstalled(
    `${ESP_NAME} ${purpose} needs the optional package ${specifier}: ` +
      `run \`npm install ${specifier}\` (or pass the module in the \`sdk\` option).`,
    { espName: ESP_NAME, cause },
  );
}

/** Throws AnymailImproperlyInstalled unless the package resolves; loads nothing. */
export function assertPeerInstalled(specifier: string, purpose: string): void {
  try {
    // import.meta.resolve follows ESM resolution (and loader hooks); a CommonJS build of
    // this file (bundlers, test runners) has only require's resolution
    if (typeof import.meta.resolve === "function") import.meta.resolve(specifier);
    else createRequire(import.meta.url).resolve(specifier);
  } catch (error) {
    throw notInstalled(specifier, purpose, error);
  }
}

/** The adapter's `checkInstalled`: the SES SDK, unless one was injected. */
export function checkSesInstalled(settings: AwsSettings & { apiVersion?: 1 | 2 }): void {
  const name = settings.apiVersion === 1 ? "ses" : "sesv2";
  if (!settings.sdk?.[name]) assertPeerInstalled(PACKAGES[name], PURPOSES[name]);
}

const peers = new Map<string, () => object | Promise<object>>();

/**
 * Imports an optional peer package (once: later calls get the loaded module), or explains
 * what to install. Tests pass a bogus specifier to reach the failure path.
 */
export async function importPeer<T>(specifier: string, purpose: string): Promise<T> {
  let load = peers.get(specifier);
  if (!load) peers.set(specifier, (load = lazyImport(() => import(specifier) as Promise<object>)));
  try {
    return (await load()) as T;
  } catch (error) {
    throw notInstalled(specifier, purpose, error);
  }
}

/**
 * The SDK module for one service, injected or imported on first use. Typed `object` so that
 * no published type names an optional @aws-sdk package: each caller states the module type
 * it expects (a cast to the S3 client module's type) in its own code.
 */
export async function loadSdk(name: SdkName, settings: AwsSettings): Promise<object> {
  const injected = settings.sdk?.[name];
  if (injected) return injected;
  return importPeer<object>(PACKAGES[name], PURPOSES[name]);
}

/**
 * The config object for any of the SDK clients: sessionParams, then clientParams, then
 * per-call overrides (the SNS topic's own region), plus anymail's user agent.
 */
export function clientConfig(
  settings: AwsSettings,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const config: Record<string, unknown> = {
    ...settings.sessionParams,
    ...settings.clientParams,
    ...overrides,
  };
  const handler = config.requestHandler;
  if (isPlainObject(handler) && !("throwOnRequestTimeout" in handler)) {
    // without it, the SDK only logs a warning when requestTimeout passes, and keeps waiting
    config.requestHandler = { ...handler, throwOnRequestTimeout: true };
  }
  // the caller's own user agent first, anymail's last (the middleware appends after it)
  const userAgent = config.customUserAgent;
  const callers = typeof userAgent === "string" && userAgent ? [[userAgent]] : userAgent;
  config.customUserAgent = [...(Array.isArray(callers) ? callers : []), USER_AGENT_PAIR];
  return config;
}

/** The part of an SDK client this module touches. */
interface MiddlewareClient {
  middlewareStack: {
    addRelativeTo(
      middleware: (
        next: (args: BuildArgs) => Promise<unknown>,
      ) => (args: BuildArgs) => Promise<unknown>,
      options: { relation: "after"; toMiddleware: string; name: string; override?: boolean },
    ): void;
  };
}
interface BuildArgs {
  request?: unknown;
}

/**
 * Makes the User-Agent header end in `anymail/<version> (amazon_ses)`: runs right after the
 * SDK's own user-agent step, once per call (retries reuse the built request).
 */
export function withAnymailUserAgent<C extends object>(client: C): C {
  (client as unknown as MiddlewareClient).middlewareStack.addRelativeTo(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers;
      const agent = headers?.["user-agent"];
      if (headers && typeof agent === "string" && !agent.endsWith(USER_AGENT_COMMENT)) {
        headers["user-agent"] = agent.endsWith(USER_AGENT_PAIR.join("/"))
          ? agent + USER_AGENT_COMMENT
          : `${agent} ${USER_AGENT}`;
      }
      return next(args);
    },
    {
      relation: "after",
      toMiddleware: "getUserAgentMiddleware",
      name: "anymailUserAgentComment",
      override: true,
    },
  );
  return client;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/**
 * An SDK failure (service error, throttling, timeout, network) as AnymailAPIError carrying
 * the AWS error code and message. Credentials never appear in SDK error messages.
 */
export function toApiError(error: unknown, operation: string, espName = ESP_NAME): AnymailAPIError {
  if (error instanceof AnymailAPIError) return error;
  const shape = (typeof error === "object" && error !== null ? error : {}) as SdkErrorShape;
  const code =
    typeof shape.Code === "string"
      ? shape.Code
      : typeof shape.name === "string"
        ? shape.name
        : "Error";
  const message = typeof shape.message === "string" ? shape.message : String(error);
  const status = shape.$metadata?.httpStatusCode;
  const requestId = shape.$metadata?.requestId;
  return new AnymailAPIError(`${espName} ${operation} failed: ${code}: ${message}`, {
    espName,
    statusCode: typeof status === "number" ? status : undefined,
    response: {
      code,
      message,
      ...(typeof requestId === "string" ? { requestId } : {}),
    },
    cause: error,
  });
}
