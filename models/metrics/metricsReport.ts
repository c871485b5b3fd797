/**
 * The report, in one pass over the rows (a day's rows at a time, as columns): every breakdown the API offers (per month and day of
 * week in the asked time zone, open at each month end, by severity, component and cause type,
 * action items) from the rows of the tenant's incidents declared before the last month ends and
 * the tenant's post-mortems. The definitions each figure follows are in metrics.ts.
 */
import { DAYS, DEFINITIONS, monthsOf, nearestRankIndex, type DurationSet, type DurationStats, type MetricsQuery, type MetricsReport } from './metrics.js';
import type { Severity } from '../incident/severity.js';
import type { RowColumns } from './metricsRow.js';
import { firstDayOf, localDays, weekdayOf } from './zoneCalendar.js';
import { FollowUps, type ItemFigures } from './followUpFigures.js';

/** A post-mortem as the metrics read it. */
export interface PostmortemFigures {
  readonly incidentId: string;
  /** One per root cause (null when a cause has no type); an incident counts once per type. */
  readonly causeTypes: readonly (string | null)[];
  readonly actionItems: readonly ItemFigures[];
}

const NO_COMPONENT = '(none)';
const NO_TYPE = '(none)';
const TOP_COMPONENTS = 20;

class Durations {
  n = 0;
  readonly mtta: number[] = [];
  readonly recovery: number[] = [];
  readonly repair: number[] = [];
  add(mtta: number | null, recovery: number | null, repair: number | null): void {
    this.n++;
    if (mtta !== null) this.mtta.push(mtta);
    if (recovery !== null) this.recovery.push(recovery);
    if (repair !== null) this.repair.push(repair);
  }
}

/**
 * Puts the k-th smallest of values[lo..hi] at index k, smaller ones before it and larger after
 * (three-way quickselect: linear on average, and on runs of equal durations). Two percentiles
 * need two selections, not a sort of every duration.
 */
function select(values: Float64Array, k: number, lo = 0, hi = values.length - 1): number {
  while (lo < hi) {
    const pivot = values[lo + ((hi - lo) >> 1)]!;
    let lt = lo;
    let gt = hi;
    for (let i = lo; i <= gt; ) {
      const v = values[i]!;
      if (v < pivot) {
        values[i++] = values[lt]!;
        values[lt++] = v;
      } else if (v > pivot) {
        values[i] = values[gt]!;
        values[gt--] = v;
      } else {
        i++;
      }
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return values[k]!;
}

function stats(tenths: readonly number[], n: number): DurationStats {
  const values = new Float64Array(tenths);
  const median = values.length ? nearestRankIndex(values.length, 0.5) : -1;
  const p90 = values.length ? nearestRankIndex(values.length, 0.9) : -1;
  const minutes = (index: number, from = 0) => (index < 0 ? undefined : select(values, index, from) / 10);
  // After the median's selection everything from it on is at least the median: p90 is there.
  return { count: values.length, missing: n - values.length, medianMinutes: minutes(median), p90Minutes: minutes(p90, Math.max(0, median)) };
}
const setOf = (d: Durations | undefined): DurationSet =>
  d ? { mtta: stats(d.mtta, d.n), mttrRecovery: stats(d.recovery, d.n), mttrRepair: stats(d.repair, d.n) } : { mtta: stats([], 0), mttrRecovery: stats([], 0), mttrRepair: stats([], 0) };
/** Ascending in the database's order for strings, null first. */
const byKey = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
/** The number of sorted `values` that are ≤ `x`. */
function countAtMost(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const getOr = <K, V>(map: Map<K, V>, key: K, make: () => V) => map.get(key) ?? map.set(key, make()).get(key)!;

export function metricsReport(query: MetricsQuery, days: readonly RowColumns[], postmortems: readonly PostmortemFigures[], now: Date): MetricsReport {
  const months = monthsOf(query.from, query.to, query.timeZone);
  const ends = months.map((m) => m.end.getTime());
  const firstDays = months.map((m) => firstDayOf(m.month));
  const from = query.from.getTime();
  const to = query.to.getTime();
  const dayIn = localDays(query.timeZone, from, to);
  const severities = query.severities?.length ? new Set<string>(query.severities) : undefined;
  const components = query.components?.length ? new Set<string>(query.components) : undefined;
  const types = query.types?.length ? new Set<string>(query.types) : undefined;
  const hidden = query.hiddenPrivateTypes?.length ? new Set<string>(query.hiddenPrivateTypes) : undefined;
  const byType = new Map<string, Durations>();
  const pmById = new Map(postmortems.map((p) => [p.incidentId, p]));

  const overall = new Durations();
  const perMonth = months.map(() => new Durations());
  const bySeverity = new Map<string, Durations>();
  const byComponent = new Map<string, Durations>();
  const weekdays = new Array<number>(7).fill(0);
  const openDelta = new Array<number>(months.length + 1).fill(0);
  const causes = new Map<string | null, number>();
  const today = now.toISOString().slice(0, 10);
  const actionItems = { open: 0, overdue: 0 };
  const followUp = new FollowUps(now, query.teamOf);

  for (const c of days) {
    for (let i = 0; i < c.declared.length; i++) {
      const severity = c.severity[i]!;
      const component = c.component[i]!;
      if (severities && !severities.has(severity)) continue;
      if (components && (component === null || !components.has(component))) continue;
      // Rows from before the type column read as the default type, as their incidents do.
      const type = c.type?.[i] ?? query.defaultType ?? NO_TYPE;
      if (types && !types.has(type)) continue;
      if (hidden && c.private?.[i] && hidden.has(type)) continue;
      // Open at a month end: declared before it, not resolved by then.
      const declared = c.declared[i]!;
      const resolved = c.resolved[i]!;
      const firstOpen = countAtMost(ends, declared);
      const lastOpen = resolved === null ? months.length - 1 : countAtMost(ends, resolved) - 1;
      if (firstOpen <= lastOpen) {
        openDelta[firstOpen]!++;
        openDelta[lastOpen + 1]!--;
      }
      if (declared < from || declared >= to) continue;
      const mtta = c.mtta[i]!;
      const recovery = c.recovery[i]!;
      const repair = c.repair[i]!;
      overall.add(mtta, recovery, repair);
      const day = dayIn(declared);
      weekdays[weekdayOf(day)]!++;
      const month = countAtMost(firstDays, day) - 1;
      if (month >= 0) perMonth[month]!.add(mtta, recovery, repair);
      getOr(bySeverity, severity, () => new Durations()).add(mtta, recovery, repair);
      getOr(byType, type, () => new Durations()).add(mtta, recovery, repair);
      getOr(byComponent, component ?? NO_COMPONENT, () => new Durations()).add(mtta, recovery, repair);
      const pm = pmById.size > 0 ? pmById.get(c.id[i]!) : undefined;
      if (!pm) continue;
      for (const type of new Set(pm.causeTypes)) causes.set(type, (causes.get(type) ?? 0) + 1);
      followUp.add(c.id[i]!, type, component, pm.actionItems);
      for (const item of pm.actionItems) {
        if (item.done === true) continue;
        actionItems.open++;
        // As the database compares: a missing due date sorts before every date.
        if (item.due !== '' && !(typeof item.due === 'string' && item.due >= today)) actionItems.overdue++;
      }
    }
  }

  const byDayOfWeek = DAYS.map((day, i) => ({ day, incidents: weekdays[i]! }));
  const most = Math.max(0, ...weekdays);
  let open = 0;
  return {
    query: { from: query.from.toISOString(), to: query.to.toISOString(), timeZone: query.timeZone, severities: query.severities, components: query.components, ...(query.types ? { types: query.types } : {}) },
    incidents: overall.n,
    overall: setOf(overall),
    // Every month of the period, with zeros where nothing happened (a quiet month is a figure too).
    perMonth: months.map(({ month }, i) => ({ month, incidents: perMonth[i]!.n, ...setOf(perMonth[i]) })),
    byDayOfWeek,
    worstDay: most > 0 ? byDayOfWeek.find((d) => d.incidents === most)!.day : undefined,
    openAtMonthEnd: months.map(({ month, end }, i) => ({ month, at: end.toISOString(), open: (open += openDelta[i]!) })),
    bySeverity: [...bySeverity].map(([severity, d]) => ({ severity: severity as Severity, incidents: d.n, ...setOf(d) })).sort((a, b) => a.severity.localeCompare(b.severity)),
    byType: [...byType].sort(([a, x], [b, y]) => y.n - x.n || byKey(a, b)).map(([type, d]) => ({ type, incidents: d.n, ...setOf(d) })),
    byComponent: [...byComponent]
      .sort(([a, x], [b, y]) => y.n - x.n || byKey(a, b))
      .slice(0, TOP_COMPONENTS)
      .map(([component, d]) => ({ component, incidents: d.n, mttrRepair: stats(d.repair, d.n) })),
    byCauseType: [...causes].sort(([a, x], [b, y]) => y - x || byKey(a, b)).map(([type, incidents]) => ({ type: type as string, incidents })),
    actionItems,
    followUp: followUp.report(),
    definitions: DEFINITIONS,
  };
}
