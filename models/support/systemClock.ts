import type { Clock } from '../ports/clock.js';

/** The wall clock (tests move a clock of their own). */
export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
