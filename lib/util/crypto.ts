/**
 * @module
 * Constant-time comparison for secrets and signatures.
 */
import { hash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets without leaking where (or whether by length) they differ:
 * both sides are hashed to equal-length digests first, then compared in constant time.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/**
 * The digest {@link constantTimeEqual} compares, for a caller that keeps one side's (a
 * configured secret's) and compares with `timingSafeEqual`. One-shot `crypto.hash` (Node
 * 20.12+): no Hash object per call, about half the cost.
 */
export function sha256(value: string | Buffer): Buffer {
  return hash("sha256", value, "buffer");
}
