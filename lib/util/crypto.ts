/**
 * @module
 * Constant-time comparison for secrets and signatures.
 */
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets without leaking where (or whether by length) they differ:
 * both sides are hashed to equal-length digests first, then compared in constant time.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const digestA = createHash("sha256").update(a).digest();
  const digestB = createHash("sha256").update(b).digest();
  return timingSafeEqual(digestA, digestB);
}
