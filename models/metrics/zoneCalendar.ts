/**
 * Calendar days in a time zone for many instants, fast: asking Intl for each of 100,000 instants
 * costs seconds, but a zone's offset changes only a couple of times a year. So Intl is asked once
 * per day of the period, each change is pinned to the millisecond by bisection, and every instant
 * then costs a lookup and an addition.
 */
const DAY = 86_400_000;

/** How far `timeZone` is ahead of UTC at `ms`, from one reusable formatter (the same rule as Intl's wall clock). */
function offsetFinder(timeZone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  return (ms) => {
    const p: Record<string, string> = {};
    for (const part of format.formatToParts(ms)) p[part.type] = part.value;
    const wall = new Date(0);
    // setUTCFullYear, not Date.UTC: a year of 1–99 must not be read as 1900–1999.
    wall.setUTCFullYear(Number(p.year), Number(p.month) - 1, Number(p.day));
    wall.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second), 0);
    return wall.getTime() - Math.floor(ms / 1000) * 1000;
  };
}

/**
 * A function from an instant in [fromMs, toMs] to its calendar day in `timeZone`, as a day count
 * since 1970-01-01 (so weekday and month follow by arithmetic). Instants outside the range still
 * get the offset of the nearest end.
 */
export function localDays(timeZone: string, fromMs: number, toMs: number): (ms: number) => number {
  const offset = offsetFinder(timeZone);
  const first = Math.floor(fromMs / DAY) * DAY - DAY;
  const starts: number[] = [Number.NEGATIVE_INFINITY];
  const offsets: number[] = [offset(first)];
  for (let at = first; at < toMs + DAY; at += DAY) {
    const before = offsets.at(-1)!;
    const after = offset(at + DAY);
    if (after === before) continue;
    // The first instant of the new offset within the day (zones change at most once a day).
    let lo = at;
    let hi = at + DAY;
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (offset(mid) === before) lo = mid;
      else hi = mid;
    }
    starts.push(hi);
    offsets.push(after);
  }
  if (offsets.length === 1) {
    const only = offsets[0]!;
    return (ms) => Math.floor((ms + only) / DAY);
  }
  return (ms) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return Math.floor((ms + offsets[lo]!) / DAY);
  };
}

/** 0 = Sunday … 6 = Saturday, for a day count since 1970-01-01 (a Thursday). */
export const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;

/** The day count of the first day of a calendar month ("2026-03"). */
export function firstDayOf(month: string): number {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const at = new Date(0);
  at.setUTCFullYear(year, m - 1, 1);
  return Math.floor(at.getTime() / DAY);
}
