/**
 * The metrics as MongoDB aggregation pipelines: the database groups, sorts and picks the
 * percentiles; Node receives only the figures. Three pipelines: durations and counts over the
 * period's incidents (one $facet), open incidents at each month end (one $facet, a branch per
 * month), and causes and action items from the post-mortems. Works on MongoDB 5.2+ ($sortArray)
 * and on the embedded server.
 */
import type { Connection } from 'mongoose';
import { DAYS, DEFINITIONS, monthsOf, type DurationSet, type DurationStats, type MetricsQuery, type MetricsReport, type MetricsStore } from '../metrics/metrics.js';
import type { Severity } from '../incident/severity.js';

type Doc = Record<string, any>;

/** A duration in ms from one milestone to another, or null when the later one is missing. */
const between = (later: string, earlier: unknown) => ({ $cond: [{ $ifNull: [`$milestones.${later}`, false] }, { $subtract: [`$milestones.${later}`, earlier] }, null] });
const started = { $ifNull: ['$milestones.started', '$milestones.declared'] };

/** Nearest-rank percentile of the sorted array $$v (see DEFINITIONS.percentiles). */
const rank = (p: number) => ({ $cond: [{ $gt: [{ $size: '$$v' }, 0] }, { $arrayElemAt: ['$$v', { $subtract: [{ $ceil: { $multiply: [p, { $size: '$$v' }] } }, 1] }] }, null] });
/** count / median / p90 of a pushed array of durations (nulls = missing), computed in the database. */
const stats = (array: string, total: string) => ({
  $let: {
    vars: { v: { $sortArray: { input: { $filter: { input: array, cond: { $ne: ['$$this', null] } } }, sortBy: 1 } } },
    in: { count: { $size: '$$v' }, missing: { $subtract: [total, { $size: '$$v' }] }, median: rank(0.5), p90: rank(0.9) },
  },
});
const durationsBy = (key: unknown) => [
  { $group: { _id: key, n: { $sum: 1 }, mtta: { $push: '$mtta' }, recovery: { $push: '$recovery' }, repair: { $push: '$repair' } } },
  { $project: { n: 1, mtta: stats('$mtta', '$n'), recovery: stats('$recovery', '$n'), repair: stats('$repair', '$n') } },
];

const minutes = (ms: unknown) => (typeof ms === 'number' ? Math.round((ms / 60_000) * 10) / 10 : undefined);
const toStats = (s: Doc | undefined): DurationStats => ({ count: s?.count ?? 0, missing: s?.missing ?? 0, medianMinutes: minutes(s?.median), p90Minutes: minutes(s?.p90) });
const toSet = (g: Doc | undefined): DurationSet => ({ mtta: toStats(g?.mtta), mttrRecovery: toStats(g?.recovery), mttrRepair: toStats(g?.repair) });

export class MongoMetricsStore implements MetricsStore {
  constructor(private readonly connection: Connection) {}

  async metrics(query: MetricsQuery, now: Date): Promise<MetricsReport> {
    const filters: Doc = { tenantId: query.tenantId };
    if (query.severities?.length) filters.severity = { $in: [...query.severities] };
    if (query.components?.length) filters.component = { $in: [...query.components] };
    const inPeriod = { ...filters, 'milestones.declared': { $gte: query.from, $lt: query.to } };
    const months = monthsOf(query.from, query.to, query.timeZone);
    const [durations, open, postmortems] = await Promise.all([this.durations(inPeriod, query.timeZone), this.openAt(filters, months), this.fromPostmortems(inPeriod, now)]);

    const byDay = new Map<number, number>((durations.days as Doc[]).map((d) => [d._id as number, d.n as number]));
    const byDayOfWeek = DAYS.map((day, i) => ({ day, incidents: byDay.get(i + 1) ?? 0 }));
    const most = Math.max(0, ...byDayOfWeek.map((d) => d.incidents));
    const perMonth = new Map<string, Doc>((durations.months as Doc[]).map((m) => [m._id as string, m]));
    return {
      query: { from: query.from.toISOString(), to: query.to.toISOString(), timeZone: query.timeZone, severities: query.severities, components: query.components },
      incidents: durations.overall[0]?.n ?? 0,
      overall: toSet(durations.overall[0]),
      // Every month of the period, with zeros where nothing happened (a quiet month is a figure too).
      perMonth: months.map(({ month }) => ({ month, incidents: perMonth.get(month)?.n ?? 0, ...toSet(perMonth.get(month)) })),
      byDayOfWeek,
      worstDay: most > 0 ? byDayOfWeek.find((d) => d.incidents === most)!.day : undefined,
      openAtMonthEnd: months.map(({ month, end }, i) => ({ month, at: end.toISOString(), open: open[`m${i}`]?.[0]?.n ?? 0 })),
      bySeverity: (durations.severities as Doc[]).map((g) => ({ severity: g._id as Severity, incidents: g.n as number, ...toSet(g) })).sort((a, b) => a.severity.localeCompare(b.severity)),
      byComponent: (durations.components as Doc[]).map((g) => ({ component: g._id as string, incidents: g.n as number, mttrRepair: toStats(g.repair) })),
      byCauseType: postmortems.causes,
      actionItems: postmortems.actionItems,
      definitions: DEFINITIONS,
    };
  }

  private async durations(match: Doc, zone: string): Promise<Doc> {
    // Every MongoDB takes "+00:00"; not every wire-compatible server takes the name "UTC".
    const timeZone = /^(?:Etc\/)?(?:UTC|GMT|Zulu|Universal)$/i.test(zone) ? '+00:00' : zone;
    const [result] = await this.connection
      .collection('incidents')
      .aggregate([
        { $match: match },
        {
          $project: {
            severity: 1,
            component: { $ifNull: ['$component', '(none)'] },
            month: { $dateToString: { date: '$milestones.declared', format: '%Y-%m', timezone: timeZone } },
            day: { $dayOfWeek: { date: '$milestones.declared', timezone: timeZone } },
            mtta: between('acknowledged', '$milestones.declared'),
            recovery: between('mitigated', started),
            repair: between('resolved', started),
          },
        },
        {
          $facet: {
            overall: durationsBy(null),
            months: durationsBy('$month'),
            days: [{ $group: { _id: '$day', n: { $sum: 1 } } }],
            severities: durationsBy('$severity'),
            components: [...durationsBy('$component'), { $sort: { n: -1, _id: 1 } }, { $limit: 20 }],
          },
        },
      ])
      .toArray();
    return result ?? { overall: [], months: [], days: [], severities: [], components: [] };
  }

  /** Open at each month end: declared before it, and not resolved by then. One $facet branch per month. */
  private async openAt(filters: Doc, months: readonly { end: Date }[]): Promise<Doc> {
    if (months.length === 0) return {};
    const last = months.at(-1)!.end;
    const [result] = await this.connection
      .collection('incidents')
      .aggregate([
        { $match: { ...filters, 'milestones.declared': { $lt: last } } },
        { $project: { declared: '$milestones.declared', resolved: { $ifNull: ['$milestones.resolved', null] } } },
        {
          $facet: Object.fromEntries(
            months.map(({ end }, i) => [`m${i}`, [{ $match: { declared: { $lt: end }, $or: [{ resolved: null }, { resolved: { $gte: end } }] } }, { $count: 'n' }]]),
          ),
        },
      ])
      .toArray();
    return result ?? {};
  }

  /** Cause types and action items, from the post-mortems of the period's incidents. */
  private async fromPostmortems(inPeriod: Doc, now: Date): Promise<{ causes: MetricsReport['byCauseType']; actionItems: MetricsReport['actionItems'] }> {
    const today = now.toISOString().slice(0, 10);
    const incidentMatch = Object.fromEntries(Object.entries(inPeriod).map(([k, v]) => [`incident.${k}`, v]));
    const [result] = await this.connection
      .collection('postmortems')
      .aggregate([
        { $match: { tenantId: inPeriod.tenantId } },
        { $lookup: { from: 'incidents', localField: '_id', foreignField: '_id', as: 'incident' } },
        { $unwind: '$incident' },
        { $match: incidentMatch },
        {
          $facet: {
            causes: [
              { $unwind: '$content.rootCauses' },
              { $group: { _id: '$content.rootCauses.type', incidents: { $addToSet: '$_id' } } },
              { $project: { n: { $size: '$incidents' } } },
              { $sort: { n: -1, _id: 1 } },
            ],
            items: [
              { $unwind: '$content.actionItems' },
              { $match: { 'content.actionItems.done': { $ne: true } } },
              { $group: { _id: null, open: { $sum: 1 }, overdue: { $sum: { $cond: [{ $and: [{ $ne: ['$content.actionItems.due', ''] }, { $lt: ['$content.actionItems.due', today] }] }, 1, 0] } } } },
            ],
          },
        },
      ])
      .toArray();
    const causes = ((result?.causes ?? []) as Doc[]).map((c) => ({ type: c._id as string, incidents: c.n as number }));
    const items = (result?.items as Doc[] | undefined)?.[0];
    return { causes, actionItems: { open: items?.open ?? 0, overdue: items?.overdue ?? 0 } };
  }
}
