import { createHash } from 'node:crypto';

/**
 * A 24-hex-digit id derived from a key. Idempotency rides on these: a retried declare or a
 * replayed event computes the same id, and the store's duplicate-`_id` check refuses the
 * second write. We cannot use unique indexes for this, because the embedded dev database
 * does not enforce them; `_id` uniqueness holds everywhere.
 */
export function deterministicId(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}
