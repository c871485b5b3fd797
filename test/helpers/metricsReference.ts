/**
 * The metrics report computed the slow, obvious way, for tests to compare the store's answer
 * with: every incident's calendar month and weekday asked of Intl one by one, month ends found by
 * bisection on Intl's month, durations sorted in milliseconds and rounded at the end.
 */
import type { Incident } from '../../models/incident/incident.js';
import { DAYS, DEFINITIONS, type MetricsQuery, type MetricsReport } from '../../models/metrics/metrics.js';
import type { PostmortemContent } from '../../models/postmortem/postmortem.js';

const MIN = 60_000;

export const monthOf = (at: Date, timeZone: string) => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}`;
};
const weekday = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long' }).format(at);

/** The first instant of the month after `month` in a time zone. */
export function endOfMonth(month: string, timeZone: string): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  let lo = Date.UTC(y, m, 1) - 2 * 86_400_000;
  let hi = Date.UTC(y, m, 1) + 2 * 86_400_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (monthOf(new Date(mid), timeZone) <= month) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.ceil(p * sorted.length) - 1] : undefined);
const minutes = (ms: number | undefined) => (ms === undefined ? undefined : Math.round((ms / MIN) * 10) / 10);

function durations(list: readonly Incident[]) {
  const m = (i: Incident) => i.milestones;
  const start = (i: Incident) => (m(i).started ?? m(i).declared).getTime();
  const s = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { count: sorted.length, missing: list.length - sorted.length, medianMinutes: minutes(percentile(sorted, 0.5)), p90Minutes: minutes(percentile(sorted, 0.9)) };
  };
  return {
    mtta: s(list.filter((i) => m(i).acknowledged).map((i) => m(i).acknowledged!.getTime() - m(i).declared.getTime())),
    mttrRecovery: s(list.filter((i) => m(i).mitigated).map((i) => m(i).mitigated!.getTime() - start(i))),
    mttrRepair: s(list.filter((i) => m(i).resolved).map((i) => m(i).resolved!.getTime() - start(i))),
  };
}

const count = <K>(keys: readonly K[]) => {
  const map = new Map<K, number>();
  for (const key of keys) map.set(key, (map.get(key) ?? 0) + 1);
  return map;
};

/** The whole report, from the incidents (any tenant: filtered here) and their post-mortems by incident id. */
export function referenceReport(incidents: readonly Incident[], postmortems: ReadonlyMap<string, PostmortemContent>, query: MetricsQuery, now: Date): MetricsReport {
  const { from, to, timeZone } = query;
  const all = incidents.filter(
    (i) => i.tenantId === query.tenantId && (!query.severities?.length || query.severities.includes(i.severity)) && (!query.components?.length || (i.component !== undefined && query.components.includes(i.component))) &&
      (!query.types?.length || query.types.includes(i.type ?? query.defaultType ?? '(none)')),
  );
  const inPeriod = all.filter((i) => i.milestones.declared >= from && i.milestones.declared < to);
  const months: string[] = [];
  for (let at = from; at < to; at = endOfMonth(months.at(-1)!, timeZone)) months.push(monthOf(at, timeZone));
  const days = count(inPeriod.map((i) => weekday(i.milestones.declared, timeZone)));
  const byDayOfWeek = DAYS.map((day) => ({ day, incidents: days.get(day) ?? 0 }));
  const most = Math.max(0, ...byDayOfWeek.map((d) => d.incidents));
  const severities = [...new Set(inPeriod.map((i) => i.severity))].sort((a, b) => a.localeCompare(b));
  const typeOf = (i: Incident) => i.type ?? query.defaultType ?? '(none)';
  const types = [...count(inPeriod.map(typeOf))].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const components = [...count(inPeriod.map((i) => i.component ?? '(none)'))].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).slice(0, 20);
  const withPostmortem = inPeriod.map((i) => postmortems.get(i.id)).filter((p): p is PostmortemContent => Boolean(p));
  const causes = [...count(withPostmortem.flatMap((p) => [...new Set(p.rootCauses.map((c) => c.type))]))].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const openItems = withPostmortem.flatMap((p) => p.actionItems).filter((a) => !a.done);
  const today = now.toISOString().slice(0, 10);
  return {
    query: { from: from.toISOString(), to: to.toISOString(), timeZone, severities: query.severities, components: query.components, ...(query.types ? { types: query.types } : {}) },
    byType: types.map(([type]) => {
      const list = inPeriod.filter((i) => typeOf(i) === type);
      return { type, incidents: list.length, ...durations(list) };
    }),
    incidents: inPeriod.length,
    overall: durations(inPeriod),
    perMonth: months.map((month) => {
      const list = inPeriod.filter((i) => monthOf(i.milestones.declared, timeZone) === month);
      return { month, incidents: list.length, ...durations(list) };
    }),
    byDayOfWeek,
    worstDay: most > 0 ? byDayOfWeek.find((d) => d.incidents === most)!.day : undefined,
    openAtMonthEnd: months.map((month) => {
      const end = endOfMonth(month, timeZone);
      return { month, at: end.toISOString(), open: all.filter((i) => i.milestones.declared < end && (!i.milestones.resolved || i.milestones.resolved >= end)).length };
    }),
    bySeverity: severities.map((severity) => {
      const list = inPeriod.filter((i) => i.severity === severity);
      return { severity, incidents: list.length, ...durations(list) };
    }),
    byComponent: components.map(([component, n]) => ({ component, incidents: n, mttrRepair: durations(inPeriod.filter((i) => (i.component ?? '(none)') === component)).mttrRepair })),
    byCauseType: causes.map(([type, incidents]) => ({ type, incidents })),
    actionItems: { open: openItems.length, overdue: openItems.filter((a) => a.due !== '' && a.due < today).length },
    followUp: followUpOf(inPeriod, postmortems, typeOf, query.teamOf ?? {}, now),
    definitions: DEFINITIONS,
  };
}

type Item = PostmortemContent['actionItems'][number];

/** Completion and time to done the obvious way: each group's items listed, the done ones' days sorted, the ⌈n/2⌉-th taken. */
function followUpOf(incidents: readonly Incident[], postmortems: ReadonlyMap<string, PostmortemContent>, typeOf: (i: Incident) => string, teamOf: Readonly<Record<string, string>>, now: Date): MetricsReport['followUp'] {
  const entries = incidents.flatMap((i) => (postmortems.get(i.id)?.actionItems ?? []).map((item, n) => ({ incident: i, item, n })));
  const teamOfIncident = (i: Incident) => (i.component && teamOf[i.component.toLowerCase()]) || '(no team)';
  const stats = (items: readonly Item[]) => {
    const done = items.filter((a) => a.done);
    const days = done.filter((a) => a.addedAt && a.doneAt).map((a) => (Date.parse(a.doneAt!) - Date.parse(a.addedAt!)) / 86_400_000).sort((a, b) => a - b);
    const median = days.length ? days[Math.ceil(days.length / 2) - 1]! : undefined;
    return {
      items: items.length,
      done: done.length,
      ...(items.length ? { completionRate: Math.round((done.length / items.length) * 100) / 100 } : {}),
      ...(median === undefined ? {} : { medianDaysToDone: Math.round(median * 10) / 10 }),
      timed: days.length,
    };
  };
  const groups = (key: (i: Incident) => string) =>
    [...count(entries.map((e) => key(e.incident)))].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([k]) => [k, stats(entries.filter((e) => key(e.incident) === k).map((e) => e.item))] as const);
  const today = now.toISOString().slice(0, 10);
  const overdue = entries
    .filter((e) => !e.item.done && e.item.due !== '' && e.item.due < today)
    .map((e) => ({ incidentId: e.incident.id, itemId: e.item.id ?? `action-${e.n + 1}`, item: e.item.description, owner: e.item.owner, due: e.item.due, daysOverdue: Math.round((Date.parse(today) - Date.parse(e.item.due)) / 86_400_000) }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.incidentId.localeCompare(b.incidentId) || a.itemId.localeCompare(b.itemId));
  return {
    ...stats(entries.map((e) => e.item)),
    byType: groups(typeOf).map(([type, s]) => ({ type, ...s })),
    byTeam: groups(teamOfIncident).map(([team, s]) => ({ team, ...s })),
    overdue: overdue.slice(0, 200),
    overdueTotal: overdue.length,
  };
}
