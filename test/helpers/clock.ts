import { systemClock } from '../../models/support/systemClock.js';
import type { Clock } from '../../models/ports/clock.js';

/** A clock we can move forward: the app sees "now" plus the offset (virtual time for timers and rules). */
export function movableClock(): Clock & { advanceMinutes(minutes: number): void } {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    sleep: systemClock.sleep,
    advanceMinutes(minutes) {
      offset += minutes * 60_000;
    },
  };
}
