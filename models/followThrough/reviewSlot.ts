/**
 * When to hold the post-mortem review: the first slot in the window where the most invited
 * people are free. Availability comes as Graph's free/busy view per person (getSchedule's
 * `availabilityView`: one digit per interval, 0 free, 1 tentative, 2 busy, 3 away, 4 working
 * elsewhere). Only free counts as free; a tentative hold is not a promise. Slots start on the
 * interval grid, inside working hours (the same for everyone here: the organizer's, in UTC).
 */

export interface Availability {
  readonly person: string;
  /** Undefined when the person's calendar could not be read: they count as unavailable, and are named. */
  readonly view?: string;
}

export interface SlotQuery {
  readonly windowStart: Date;
  readonly intervalMinutes: number;
  readonly durationMinutes: number;
  readonly availability: readonly Availability[];
  /** Working hours in UTC, [start, end) in hours, Monday–Friday. */
  readonly workingHours: readonly [number, number];
}

export interface ReviewSlot {
  readonly start: Date;
  readonly end: Date;
  readonly free: readonly string[];
  readonly busy: readonly string[];
}

const FREE = '0';

/** The earliest slot with the most people free; undefined when the window holds no working-hours slot at all. */
export function firstReviewSlot(query: SlotQuery): ReviewSlot | undefined {
  const { intervalMinutes, durationMinutes, availability, workingHours } = query;
  const span = Math.ceil(durationMinutes / intervalMinutes);
  const length = Math.max(0, ...availability.map((a) => a.view?.length ?? 0));
  let best: ReviewSlot | undefined;
  for (let i = 0; i + span <= length; i++) {
    const start = new Date(query.windowStart.getTime() + i * intervalMinutes * 60_000);
    const end = new Date(start.getTime() + durationMinutes * 60_000);
    if (!withinWorkingHours(start, end, workingHours)) continue;
    const free = availability.filter((a) => a.view !== undefined && [...a.view.slice(i, i + span)].every((c) => c === FREE)).map((a) => a.person);
    if (!best || free.length > best.free.length) best = { start, end, free, busy: availability.map((a) => a.person).filter((p) => !free.includes(p)) };
    if (free.length === availability.length) break; // Everyone: nothing later beats it.
  }
  return best;
}

function withinWorkingHours(start: Date, end: Date, [from, to]: readonly [number, number]): boolean {
  const day = start.getUTCDay();
  if (day === 0 || day === 6 || end.getUTCDate() !== start.getUTCDate()) return false;
  const hours = (d: Date) => d.getUTCHours() + d.getUTCMinutes() / 60;
  return hours(start) >= from && hours(end) <= to;
}
