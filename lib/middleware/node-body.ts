/**
 * @module
 * The body step over Node's IncomingMessage: read it (or take what a body parser mounted
 * before the router left), undo its Content-Encoding and parse what the route declares.
 */
import type { IncomingMessage } from "node:http";
import type { Logger } from "../esps/types.js";
import {
  decodeContentEncoding,
  fromPreParsedBody,
  parseDeclaredBody,
  readBody,
  type ParsedBody,
} from "./body.js";
import { HttpFailure } from "./respond.js";
import type { HandledRoute, RouteLimits } from "./steps.js";

/** A request some Express body parser may already have read. */
interface MaybeParsedRequest extends IncomingMessage {
  body?: unknown;
  _body?: unknown;
}

/** The raw bytes of a request and what the route's `body` declaration parsed from them. */
export async function readNodeBody(
  req: IncomingMessage,
  { adapter, handler }: HandledRoute,
  settings: Readonly<Record<string, unknown>>,
  limits: RouteLimits,
  { logger, preParsed }: { logger: Logger; preParsed: { warned: boolean } },
): Promise<{ raw: Buffer; parsed: ParsedBody }> {
  const kind = handler.body ?? "auto";
  const contentType = req.headers["content-type"];
  const already = req as MaybeParsedRequest;
  if (!already.readableEnded && already._body !== true) {
    const declared = Number(req.headers["content-length"]);
    const received = await readBody(req, {
      limit: limits.body,
      limitName: limits.bodyLimitName,
      declaredLength: Number.isFinite(declared) ? declared : undefined,
      deadlineMs: limits.bodyTimeoutMs,
    });
    const raw = decodeContentEncoding(received, req.headers["content-encoding"], limits.body);
    return { raw, parsed: await parseDeclaredBody(raw, contentType, kind, limits) };
  }
  const { raw, ...parsed } = fromPreParsedBody(already.body, contentType);
  if (raw) return { raw, parsed: await parseDeclaredBody(raw, contentType, kind, limits) };
  const advice =
    `anymail: the body of a ${adapter.displayName} webhook was already parsed by ` +
    `middleware mounted before anymailRouter (e.g. express.json()), so its raw bytes are ` +
    `gone. Mount anymailRouter before any body parser, or keep body parsers off its path.`;
  if (handler.signature?.enabled(settings)) {
    logger.error(`${advice} The ${adapter.displayName} signature cannot be checked.`);
    throw new HttpFailure(
      400,
      `${adapter.displayName} webhook signature cannot be verified: raw body unavailable.`,
    );
  }
  if (!preParsed.warned) {
    preParsed.warned = true;
    logger.warn(advice);
  }
  return { raw: Buffer.alloc(0), parsed };
}
