/** One formatter for every row: toLocaleString with options builds a new one per call, which 200 rows feel. */
const SHORT_TIME = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Times are shown in the reader's time zone, with UTC in the tooltip for cross-team talk. */
export function shortTime(iso: string): string {
  return SHORT_TIME.format(new Date(iso));
}

export function utc(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 19)} UTC`;
}

export function minutes(value: number | undefined): string {
  if (value === undefined) return 'not recorded';
  const h = Math.floor(value / 60);
  const m = Math.round(value % 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}
