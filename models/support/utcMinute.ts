/** A moment as people read it in the record, to the minute, in UTC: "2026-12-02 03:12 UTC". */
export function utcMinute(value: Date | string): string {
  return `${new Date(value).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
