/**
 * @module
 * The AWS SDK side of Amazon SES: lazy loading of the optional SDK packages, client
 * configuration shared by the SES, SNS and S3 clients, and SDK errors → AnymailAPIError.
 */
import { createRequire } from "node:module";
import { packageVersion } from "../../util/version.js";
import { AnymailAPIError, AnymailImproperlyInstalled } from "../../errors.js";

/** A class exported by an AWS SDK v3 package: a client or a command. */
type SdkClass = abstract new (...args: never[]) => unknown;

/**
 * SDK modules given instead of importing them (a bundled SDK, or a test that wants the
 * "not installed" path). Each key is optional; a missing one is imported when first needed.
 * Typed by the classes anymail uses, not by the SDK's own types, so that anymail's published
 * types compile without the (optional) SDK installed.
 */
export interface AmazonSesSdkModules {
  /** `@aws-sdk/client-ses` */
  ses?: {
    SESClient: SdkClass;
    SendRawEmailCommand: SdkClass;
    SendBulkTemplatedEmailCommand: SdkClass;
  } | null;
  /** `@aws-sdk/client-sns` */
  sns?: { SNSClient: SdkClass; ConfirmSubscriptionCommand: SdkClass } | null;
  /** `@aws-sdk/client-s3` */
  s3?: { S3Client: SdkClass; GetObjectCommand: SdkClass } | null;
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
  sns: "@aws-sdk/client-sns",
  s3: "@aws-sdk/client-s3",
} as const;

type SdkName = keyof typeof PACKAGES;

const PURPOSES: Record<SdkName, string> = {
  ses: "sending",
  sns: "SNS subscription confirmation",
  s3: "inbound with the S3 receipt action",
};

/** anymail's own part of the AWS user agent (spec: "django-anymail/version"). */
export const USER_AGENT = `anymail/${packageVersion()}-amazon-ses`;

function notInstalled(
  specifier: string,
  purpose: string,
  cause: unknown,
): AnymailImproperlyInstalled {
  return new AnymailImproperlyInstalled(
    `Amazon SES ${purpose} needs the optional package ${specifier}: ` +
      `run \`npm install ${specifier}\` (or pass the module in the \`sdk\` option).`,
    { espName: "Amazon SES", cause },
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
export function checkSesInstalled(settings: AwsSettings): void {
  if (!settings.sdk?.ses) assertPeerInstalled(PACKAGES.ses, PURPOSES.ses);
}

/**
 * Imports an optional peer package, or explains what to install. Tests pass a bogus
 * specifier to reach the failure path.
 */
export async function importPeer<T>(specifier: string, purpose: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    throw notInstalled(specifier, purpose, error);
  }
}

/**
 * The SDK module for one service, injected or imported on first use. The caller names the
 * module's type as `Module` inside its own code, so that no published declaration refers to
 * the optional SDK.
 */
export async function loadSdk<Module>(name: SdkName, settings: AwsSettings): Promise<Module> {
  const injected = settings.sdk?.[name];
  if (injected) return injected as Module;
  return importPeer<Module>(PACKAGES[name], PURPOSES[name]);
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
  const userAgent = config.customUserAgent;
  config.customUserAgent =
    typeof userAgent === "string" && userAgent ? `${userAgent} ${USER_AGENT}` : USER_AGENT;
  return config;
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
export function toApiError(error: unknown, operation: string): AnymailAPIError {
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
  return new AnymailAPIError(`Amazon SES ${operation} failed: ${code}: ${message}`, {
    espName: "Amazon SES",
    statusCode: typeof status === "number" ? status : undefined,
    response: {
      code,
      message,
      ...(typeof requestId === "string" ? { requestId } : {}),
    },
    cause: error,
  });
}
