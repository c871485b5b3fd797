import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a secret (token, signature) with what was sent in constant time. Both sides are
 * hashed to equal-length digests first, so neither the comparison nor a length check leaks how
 * much of a guess was right.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}
