import { TransientError } from './errors.js';
import type { Clock } from '../ports/clock.js';

const RETRY_CAP_MS = 10_000;

/**
 * Runs `run`, retrying transient failures up to `attempts` times: Retry-After when the service
 * gave one, else about 1 s, 2 s, 4 s… capped at 10 s, each with jitter (half to all of it) so
 * replicas that failed together do not retry together. Permanent errors and the last failure
 * are thrown.
 */
export async function withTransientRetries<T>(clock: Clock, attempts: number, run: () => Promise<T>, random: () => number = Math.random): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof TransientError) || attempt >= attempts) throw error;
      const ceiling = Math.min(RETRY_CAP_MS, 500 * 2 ** attempt);
      await clock.sleep(error.retryAfterMs ?? Math.round(ceiling / 2 + (random() * ceiling) / 2));
    }
  }
}
