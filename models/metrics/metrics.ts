/**
 * Learning from incidents: what the figures mean, how a question about them is asked, and the
 * shape of the answer. The figures are computed from a small row per incident kept as it is
 * written (metricsRow.ts, metricsReport.ts); this file holds the definitions people see next to
 * each figure, the percentile rule the report and the tests follow, and calendar arithmetic in a
 * time zone.
 */
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../incident/severity.js';
import { MAX_TYPES, TYPE_ID } from '../incident/incidentTypes.js';
import type { FollowUpReport } from './followUpFigures.js';

/** Shown next to each figure, in the tab, the API and the exports. */
export const DEFINITIONS = {
  mtta: 'MTTA (time to acknowledge): acknowledged − declared. How long a page waited for a person.',
  mttrRecovery: 'MTTR to recovery: mitigated (service restored) − started (impact began; the declare time when no start was recorded).',
  mttrRepair: 'MTTR to repair: resolved − started. How long until the incident was fixed, not just worked around.',
  percentiles: 'Median and p90 use the nearest-rank rule: the p-th percentile of n durations is the ⌈p·n⌉-th smallest.',
  missing: 'An incident without the milestone a figure needs (e.g. never acknowledged) is not in that figure; it is counted under "missing".',
  byType: 'Incidents by their type (security, service outage…); incidents from before types count as the default type.',
  perMonth: 'Incidents by the month they were declared, in the chosen time zone.',
  worstDay: 'Incidents by the day of the week they were declared, in the chosen time zone; the worst day has the most.',
  openOverTime: 'Incidents open at the end of each month: declared before it and not yet resolved then.',
  actionItems: 'Post-mortem action items not marked done; overdue ones are past their due date.',
  completionRate: 'Follow-up completion rate: action items marked done ÷ all action items, of the post-mortems of the incidents declared in the period.',
  timeToDone: 'Median time to done: from when an action item was added to when it was marked done (nearest-rank median, in days); done items saved before these times were kept are not in it.',
  byTeam: 'Team: the owning team the on-call contact directory (ONCALL_FILE) gives the incident\'s component; incidents without one count under "(no team)".',
  overdueItems: 'Overdue: not done and past its due date (UTC days). A private incident you may not see shows its number only.',
} as const;

export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const MAX_RANGE_MONTHS = 60;

export const metricsQuerySchema = z
  .object({
    from: z.coerce.date({ message: 'from must be a date, e.g. 2026-01-01' }),
    to: z.coerce.date({ message: 'to must be a date, e.g. 2026-12-31' }),
    timeZone: z.string().max(64).default('UTC').refine(isTimeZone, 'unknown time zone; use an IANA name such as Europe/Berlin or America/New_York'),
    severities: z.array(z.enum(SEVERITIES)).max(SEVERITIES.length).optional(),
    components: z.array(z.string().trim().min(1).max(80)).max(50).optional(),
    types: z.array(z.string().trim().regex(TYPE_ID, 'type ids are lowercase letters, digits and dashes, like security')).max(MAX_TYPES).optional(),
  })
  .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['to'] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= MAX_RANGE_MONTHS * 31 * 86_400_000, { message: `the period is limited to ${MAX_RANGE_MONTHS} months`, path: ['to'] });

export interface MetricsQuery {
  readonly tenantId: string;
  readonly from: Date;
  readonly to: Date;
  readonly timeZone: string;
  readonly severities?: readonly Severity[];
  readonly components?: readonly string[];
  /** Only incidents of these types (ids). */
  readonly types?: readonly string[];
  /** The tenant's default type: incidents from before types count as it. */
  readonly defaultType?: string;
  /** Private incidents of these types are left out (the viewer may not see them, and their types say so: privateInMetrics). */
  readonly hiddenPrivateTypes?: readonly string[];
  /** Component (lower case) → owning team, from the contact directory: the follow-up figures by team. */
  readonly teamOf?: Readonly<Record<string, string>>;
}

/** Median and p90 of one duration over a set of incidents, in minutes; `missing` had no value. */
export interface DurationStats {
  readonly count: number;
  readonly missing: number;
  readonly medianMinutes?: number;
  readonly p90Minutes?: number;
}

export interface DurationSet {
  readonly mtta: DurationStats;
  readonly mttrRecovery: DurationStats;
  readonly mttrRepair: DurationStats;
}

export interface MetricsReport {
  readonly query: { readonly from: string; readonly to: string; readonly timeZone: string; readonly severities?: readonly Severity[]; readonly components?: readonly string[]; readonly types?: readonly string[] };
  readonly incidents: number;
  readonly overall: DurationSet;
  readonly perMonth: readonly ({ readonly month: string; readonly incidents: number } & DurationSet)[];
  readonly byDayOfWeek: readonly { readonly day: (typeof DAYS)[number]; readonly incidents: number }[];
  readonly worstDay?: (typeof DAYS)[number];
  readonly openAtMonthEnd: readonly { readonly month: string; readonly at: string; readonly open: number }[];
  readonly bySeverity: readonly ({ readonly severity: Severity; readonly incidents: number } & DurationSet)[];
  /** By incident type id, most incidents first. */
  readonly byType: readonly ({ readonly type: string; readonly incidents: number } & DurationSet)[];
  readonly byComponent: readonly { readonly component: string; readonly incidents: number; readonly mttrRepair: DurationStats }[];
  readonly byCauseType: readonly { readonly type: string; readonly incidents: number }[];
  readonly actionItems: { readonly open: number; readonly overdue: number };
  readonly followUp: FollowUpReport;
  readonly definitions: typeof DEFINITIONS;
}

/** Where the nearest-rank percentile (p in 0..1) of n sorted values sits (0-based); n ≥ 1. */
export const nearestRankIndex = (n: number, p: number) => Math.min(n, Math.max(1, Math.ceil(p * n))) - 1;

/** The nearest-rank percentile (p in 0..1) of already sorted values; undefined when there are none. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[nearestRankIndex(sorted.length, p)];
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** How far a time zone is ahead of UTC at an instant, in milliseconds. */
function offsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(at)
      .map((p) => [p.type, Number(p.value)]),
  );
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a calendar month starts in a time zone (month 0 = January; overflow rolls the year). */
export function monthStart(year: number, month: number, timeZone: string): Date {
  const guess = Date.UTC(year, month, 1);
  const first = guess - offsetMs(new Date(guess), timeZone);
  // Once more at the found instant, in case the offset changes (DST) between the guess and it.
  return new Date(guess - offsetMs(new Date(first), timeZone));
}

/** "2026-03" for an instant, in a time zone. */
export function monthKey(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

/** The months a period touches, each with the instant it ends (the next month's start), in a time zone. */
export function monthsOf(from: Date, to: Date, timeZone: string): { month: string; end: Date }[] {
  const [y, m] = monthKey(from, timeZone).split('-').map(Number) as [number, number];
  const months: { month: string; end: Date }[] = [];
  for (let i = 0; ; i++) {
    const start = monthStart(y, m - 1 + i, timeZone);
    if (start >= to) break;
    months.push({ month: monthKey(start, timeZone), end: monthStart(y, m + i, timeZone) });
  }
  return months;
}

export interface MetricsStore {
  metrics(query: MetricsQuery, now: Date): Promise<MetricsReport>;
}
