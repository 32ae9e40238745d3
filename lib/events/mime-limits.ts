/**
 * @module
 * Limits on parsing inbound MIME (mailparser's header-size and part-count limits), and the
 * typed error for a message past them. The router sets the limits for the handlers it runs
 * (router option `limits`), so handlers need not pass them along.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { AnymailError } from "../errors.js";

export interface MimeLimits {
  /** Largest header block of one MIME part, in bytes. */
  headerBytes: number;
  /** Most MIME parts in one message. */
  parts: number;
}

/** mailparser's own defaults (1 MiB of headers per part, 1000 parts). */
export const DEFAULT_MIME_LIMITS: Readonly<MimeLimits> = { headerBytes: 1024 * 1024, parts: 1000 };

const current = new AsyncLocalStorage<MimeLimits>();

/**
 * Runs `work` with these MIME limits in force for every message parsed inside it. The
 * defaults, with no other limits in force, are what `mimeLimits()` gives anyway: `work` runs
 * directly then, since the first `run` turns on async hooks that tax every promise of the
 * process from then on (issue #19: a tenth of a tracking batch's time).
 */
export function withMimeLimits<T>(limits: MimeLimits, work: () => T): T {
  if (
    limits.headerBytes === DEFAULT_MIME_LIMITS.headerBytes &&
    limits.parts === DEFAULT_MIME_LIMITS.parts &&
    current.getStore() === undefined
  ) {
    return work();
  }
  return current.run(limits, work);
}

/** The MIME limits in force here. */
export function mimeLimits(): MimeLimits {
  return current.getStore() ?? DEFAULT_MIME_LIMITS;
}

/**
 * An inbound message is over a MIME parsing limit. The webhook answers 413 (not 400, which
 * would make the ESP retry the same message forever) and the error is logged, naming the limit.
 */
export class AnymailInboundTooLarge extends AnymailError {
  constructor(
    readonly limit: "mimeHeaderBytes" | "mimeParts",
    detail: string,
  ) {
    super(
      `Inbound message is over the ${limit} limit (${detail}); raise it with ` +
        `anymailRouter({ limits: { ${limit}: … } }).`,
    );
  }
}

/** mailparser's limit error (code EMAXLEN) as an AnymailInboundTooLarge; others unchanged. */
export function mimeLimitError(error: unknown, limits: MimeLimits): unknown {
  if ((error as { code?: unknown } | null)?.code !== "EMAXLEN") return error;
  const message = error instanceof Error ? error.message : "";
  return /child nodes/i.test(message)
    ? new AnymailInboundTooLarge("mimeParts", `more than ${limits.parts} MIME parts`)
    : new AnymailInboundTooLarge(
        "mimeHeaderBytes",
        `a MIME part's headers are over ${limits.headerBytes} bytes`,
      );
}
