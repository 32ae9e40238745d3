/**
 * @module
 * Keeping webhook secrets out of answers and logs: every form a secret can take in a
 * request or an error (as given, base64 as in `Authorization: Basic`, base64url, URL-encoded
 * as in a URL's userinfo, and the password half of a `user:password` pair).
 */
import type { Logger } from "../esps/types.js";

const MASK = "[redacted]";

/** The forms of one secret that could show up in text; shorter than 4 characters are skipped. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  const add = (form: string) => {
    if (form.length >= 4) forms.add(form);
  };
  const variants = [secret];
  const colon = secret.indexOf(":");
  if (colon >= 0) variants.push(secret.slice(colon + 1));
  for (const variant of variants) {
    add(variant);
    add(encodeURIComponent(variant));
    const bytes = Buffer.from(variant, "utf8");
    add(bytes.toString("base64").replace(/=+$/, ""));
    add(bytes.toString("base64url"));
  }
  // longest first, so a form containing another is masked whole
  return [...forms].sort((a, b) => b.length - a.length);
}

/** A function masking every form of these secrets in a text. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const form of forms) {
      if (result.includes(form)) result = result.split(form).join(MASK);
    }
    return result;
  };
}

/** An error's message and stack with secrets masked, as a new Error (the original is kept intact). */
function redactedError(error: unknown, redact: (text: string) => string): unknown {
  if (!(error instanceof Error)) return typeof error === "string" ? redact(error) : error;
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  copy.stack = error.stack === undefined ? undefined : redact(error.stack);
  return copy;
}

/** A logger that masks secrets in every line and in the message and stack of logged errors. */
export function redactingLogger(logger: Logger, redact: (text: string) => string): Logger {
  return {
    warn: (message) => logger.warn(redact(message)),
    error: (message, error) =>
      error === undefined
        ? logger.error(redact(message))
        : logger.error(redact(message), redactedError(error, redact)),
    ...(logger.info ? { info: (message: string) => logger.info?.(redact(message)) } : {}),
  };
}
