import { TransientError } from './errors.js';
import type { Clock } from './ports.js';

const RETRY_CAP_MS = 10_000;

/**
 * Runs `run`, retrying transient failures (Retry-After when the service gave one, else 1 s, 2 s…,
 * capped) up to `attempts` times; permanent errors and the last failure are thrown.
 */
export async function withTransientRetries<T>(clock: Clock, attempts: number, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof TransientError) || attempt >= attempts) throw error;
      await clock.sleep(Math.min(RETRY_CAP_MS, error.retryAfterMs ?? 500 * 2 ** attempt));
    }
  }
}
