import { expect } from 'chai';
import { deterministicId } from '../../models/support/ids.js';
import type { Incident } from '../../models/incident/incident.js';
import { draftPostmortem } from '../../models/postmortem/postmortem.js';
import { SEVERITIES, type Severity } from '../../models/incident/severity.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleIncident } from '../helpers/fixtures.js';

/**
 * The metrics pipelines against a generated history whose expected figures are computed here,
 * independently, in plain TypeScript (sorting, nearest rank, calendar keys from Intl). Runs on the
 * embedded server, and on a real MongoDB when MONGODB_URI is set.
 */
const MIN = 60_000;
const TENANT = 'tenant-a';
const COMPONENTS = ['payments', 'search', 'auth', undefined] as const;
const CAUSES = ['code change', 'configuration', 'capacity', 'dependency/vendor'] as const;

/** A small seeded generator, so the history is the same on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Row {
  incident: Incident;
  causes: string[];
  items: { due: string; done: boolean }[];
}

function history(): Row[] {
  const rnd = random(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const rows: Row[] = [];
  const from = Date.UTC(2025, 10, 1);
  const to = Date.UTC(2026, 3, 1);
  const make = (n: number, declared: Date, tenantId = TENANT): Row => {
    const started = rnd() < 0.1 ? undefined : new Date(declared.getTime() - Math.floor(rnd() * 30) * MIN);
    const acknowledged = rnd() < 0.15 ? undefined : new Date(declared.getTime() + (1 + Math.floor(rnd() * 40)) * MIN);
    const base = started ?? declared;
    const mitigated = rnd() < 0.2 ? undefined : new Date(base.getTime() + (10 + Math.floor(rnd() * 290)) * MIN);
    const resolved = mitigated && rnd() < 0.75 ? new Date(mitigated.getTime() + Math.floor(rnd() * 600) * MIN) : undefined;
    const incident = sampleIncident({
      id: deterministicId('metrics-test', tenantId, String(n)),
      tenantId,
      number: n,
      severity: pick(SEVERITIES),
      component: pick(COMPONENTS),
      status: resolved ? 'resolved' : 'investigating',
      milestones: { declared, started, acknowledged, mitigated, resolved },
    });
    const causes = rnd() < 0.5 ? [...new Set([pick(CAUSES), pick(CAUSES)])] : [];
    const items = causes.length ? Array.from({ length: Math.floor(rnd() * 3) }, () => ({ due: rnd() < 0.2 ? '' : `2026-0${1 + Math.floor(rnd() * 6)}-1${Math.floor(rnd() * 9)}`, done: rnd() < 0.4 })) : [];
    return { incident, causes, items };
  };
  for (let n = 1; n <= 240; n++) rows.push(make(n, new Date(from + Math.floor(rnd() * (to - from)))));
  // Around the year boundary: Dec 31 in New York but Jan 1 in UTC; Jan 1 in Tokyo but Dec 31 in UTC.
  rows.push(make(241, new Date('2026-01-01T02:00:00Z')), make(242, new Date('2025-12-31T20:00:00Z')));
  // Declared before the period and still open: counts as open at every month end, not in the period.
  rows.push({ ...make(243, new Date('2025-09-15T10:00:00Z')), causes: [] });
  rows[rows.length - 1]!.incident = { ...rows[rows.length - 1]!.incident, status: 'investigating', milestones: { declared: new Date('2025-09-15T10:00:00Z') } };
  // Another tenant's incidents never count.
  for (let n = 1; n <= 20; n++) rows.push(make(n, new Date(from + Math.floor(rnd() * (to - from))), 'tenant-b'));
  return rows;
}

// ---- the expected figures, computed independently ----
const monthOf = (at: Date, timeZone: string) => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}`;
};
const weekday = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long' }).format(at);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.ceil(p * sorted.length) - 1] : undefined;
};
const minutes = (ms: number | undefined) => (ms === undefined ? undefined : Math.round((ms / MIN) * 10) / 10);
/** The first instant of the month after `month` in a time zone, found by bisection on the calendar key. */
function endOfMonth(month: string, timeZone: string): Date {
  const [y, m] = month.split('-').map(Number) as [number, number];
  let lo = Date.UTC(y, m, 1) - 2 * 86_400_000;
  let hi = Date.UTC(y, m, 1) + 2 * 86_400_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (monthOf(new Date(mid), timeZone) === month) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

function expected(rows: Row[], from: Date, to: Date, timeZone: string, filter: (i: Incident) => boolean = () => true) {
  const all = rows.map((r) => r.incident).filter((i) => i.tenantId === TENANT && filter(i));
  const inPeriod = all.filter((i) => i.milestones.declared >= from && i.milestones.declared < to);
  const durations = (list: Incident[]) => {
    const m = (i: Incident) => i.milestones;
    const start = (i: Incident) => (m(i).started ?? m(i).declared).getTime();
    const mtta = list.filter((i) => m(i).acknowledged).map((i) => m(i).acknowledged!.getTime() - m(i).declared.getTime());
    const rec = list.filter((i) => m(i).mitigated).map((i) => m(i).mitigated!.getTime() - start(i));
    const rep = list.filter((i) => m(i).resolved).map((i) => m(i).resolved!.getTime() - start(i));
    const s = (v: number[]) => ({ count: v.length, missing: list.length - v.length, medianMinutes: minutes(percentile(v, 0.5)), p90Minutes: minutes(percentile(v, 0.9)) });
    return { mtta: s(mtta), mttrRecovery: s(rec), mttrRepair: s(rep) };
  };
  const months: string[] = [];
  for (let at = from; at < to; ) {
    const key = monthOf(at, timeZone);
    months.push(key);
    at = endOfMonth(key, timeZone);
  }
  const days = new Map<string, number>();
  for (const i of inPeriod) days.set(weekday(i.milestones.declared, timeZone), (days.get(weekday(i.milestones.declared, timeZone)) ?? 0) + 1);
  return {
    incidents: inPeriod.length,
    overall: durations(inPeriod),
    perMonth: months.map((month) => {
      const list = inPeriod.filter((i) => monthOf(i.milestones.declared, timeZone) === month);
      return { month, incidents: list.length, ...durations(list) };
    }),
    days,
    open: months.map((month) => {
      const end = endOfMonth(month, timeZone);
      return { month, at: end.toISOString(), open: all.filter((i) => i.milestones.declared < end && (!i.milestones.resolved || i.milestones.resolved >= end)).length };
    }),
  };
}

describe(`metrics pipelines (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  let db: Database;
  const rows = history();
  const now = new Date('2026-04-15T12:00:00Z');

  before(async () => {
    testDb = await testDatabase();
    db = await openDatabase(testDb.uri);
    for (const row of rows) await db.store.insertIncident(row.incident);
    for (const row of rows.filter((r) => r.causes.length > 0)) {
      const content = {
        ...draftPostmortem(row.incident, []),
        rootCauses: row.causes.map((type) => ({ description: `cause ${type}`, type: type as never })),
        actionItems: row.items.map((item, n) => ({ description: `action ${n}`, owner: '', due: item.due, kind: 'hotfix' as const, link: '', done: item.done })),
      };
      await db.store.savePostmortem(row.incident.id, row.incident.tenantId, 0, 'k', content, { id: '29:x', name: 'X' }, now);
    }
  });
  after(async () => {
    await db?.close();
    await testDb?.drop();
  });

  for (const timeZone of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
    it(`matches the independently computed figures in ${timeZone} (months across the year boundary, worst day, open at month ends)`, async () => {
      const from = new Date('2025-11-01T00:00:00Z');
      const to = new Date('2026-04-01T00:00:00Z');
      const report = await db.metrics.metrics({ tenantId: TENANT, from, to, timeZone }, now);
      const want = expected(rows, from, to, timeZone);
      expect(report.incidents).to.equal(want.incidents);
      expect(report.overall).to.deep.equal(want.overall);
      // The pipeline buckets by calendar month in the zone; compare the months both sides know.
      const got = new Map(report.perMonth.map((m) => [m.month, m]));
      for (const month of want.perMonth) if (month.incidents > 0 || got.has(month.month)) expect(got.get(month.month), month.month).to.deep.equal(month);
      for (const day of report.byDayOfWeek) expect(day.incidents, day.day).to.equal(want.days.get(day.day) ?? 0);
      const worst = Math.max(...want.days.values());
      expect(want.days.get(report.worstDay!)).to.equal(worst);
      const wantOpen = new Map(want.open.map((o) => [o.month, o]));
      for (const open of report.openAtMonthEnd) expect(open, open.month).to.deep.equal(wantOpen.get(open.month));
    });
  }

  it('puts the New York evening of Dec 31 in December and the Tokyo morning of Jan 1 in January', async () => {
    const from = new Date('2025-12-31T00:00:00Z');
    const to = new Date('2026-01-01T12:00:00Z');
    const months = async (timeZone: string) => (await db.metrics.metrics({ tenantId: TENANT, from, to, timeZone }, now)).perMonth.filter((m) => m.incidents > 0);
    const ny = await months('America/New_York');
    const tokyo = await months('Asia/Tokyo');
    const count = (list: typeof ny, month: string) => list.find((m) => m.month === month)?.incidents ?? 0;
    // 2026-01-01T02:00Z is Dec 31 in New York; 2025-12-31T20:00Z is Jan 1 in Tokyo.
    expect(count(ny, '2025-12')).to.equal(expected(rows, from, to, 'America/New_York').perMonth.find((m) => m.month === '2025-12')!.incidents);
    expect(count(tokyo, '2026-01')).to.equal(expected(rows, from, to, 'Asia/Tokyo').perMonth.find((m) => m.month === '2026-01')!.incidents);
    expect(count(ny, '2025-12')).to.be.greaterThan(0);
    expect(count(tokyo, '2026-01')).to.be.greaterThan(0);
  });

  it('filters by severity and component, and breaks down by severity, component and cause type', async () => {
    const from = new Date('2025-11-01T00:00:00Z');
    const to = new Date('2026-04-01T00:00:00Z');
    const filter = (i: Incident) => (['P0', 'P1'] as Severity[]).includes(i.severity) && i.component === 'payments';
    const report = await db.metrics.metrics({ tenantId: TENANT, from, to, timeZone: 'UTC', severities: ['P0', 'P1'], components: ['payments'] }, now);
    const want = expected(rows, from, to, 'UTC', filter);
    expect(report.incidents).to.equal(want.incidents);
    expect(report.overall).to.deep.equal(want.overall);

    const all = await db.metrics.metrics({ tenantId: TENANT, from, to, timeZone: 'UTC' }, now);
    for (const sev of all.bySeverity) expect(sev.incidents, sev.severity).to.equal(expected(rows, from, to, 'UTC', (i) => i.severity === sev.severity).incidents);
    const none = all.byComponent.find((c) => c.component === '(none)')!;
    expect(none.incidents).to.equal(expected(rows, from, to, 'UTC', (i) => i.component === undefined).incidents);
    const inPeriod = rows.filter((r) => r.incident.tenantId === TENANT && r.incident.milestones.declared >= from && r.incident.milestones.declared < to);
    for (const cause of all.byCauseType) expect(cause.incidents, cause.type).to.equal(inPeriod.filter((r) => r.causes.includes(cause.type)).length);
    const items = inPeriod.flatMap((r) => r.items).filter((i) => !i.done);
    expect(all.actionItems).to.deep.equal({ open: items.length, overdue: items.filter((i) => i.due && i.due < '2026-04-15').length });
  });

  it('says when nothing happened, rather than failing or dropping the months', async () => {
    const report = await db.metrics.metrics({ tenantId: 'tenant-nobody', from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-03-01T00:00:00Z'), timeZone: 'UTC' }, now);
    expect(report.incidents).to.equal(0);
    expect(report.perMonth.map((m) => [m.month, m.incidents])).to.deep.equal([['2026-01', 0], ['2026-02', 0]]);
    expect(report.overall.mtta).to.deep.equal({ count: 0, missing: 0, medianMinutes: undefined, p90Minutes: undefined });
    expect(report.worstDay).to.equal(undefined);
    expect(report.definitions.mtta).to.match(/acknowledged − declared/);
  });
});
