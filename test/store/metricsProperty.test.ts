import { expect } from 'chai';
import { Types } from 'mongoose';
import { deterministicId } from '../../models/support/ids.js';
import type { Incident } from '../../models/incident/incident.js';
import { SEVERITIES, type Severity } from '../../models/incident/severity.js';
import { SYSTEM, timelineEvent } from '../../models/incident/timeline.js';
import { draftPostmortem, ROOT_CAUSE_TYPES, type PostmortemContent } from '../../models/postmortem/postmortem.js';
import type { MetricsQuery } from '../../models/metrics/metrics.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { referenceReport } from '../helpers/metricsReference.js';

/**
 * Property: for a random history (some incidents stored before rows existed, some declared and
 * then changed through the store, post-mortems on some) and random questions — period, time
 * zone, severity and component filters — the report is exactly the obvious computation over the
 * stored incidents (test/helpers/metricsReference.ts). Zones with daylight saving, half- and
 * quarter-hour offsets, and a 30-minute daylight shift. Seeded, so a failure repeats.
 */
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const TENANT = 'tenant-prop';
const ZONES = ['UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago'] as const;
const COMPONENTS = ['payments', 'search', 'auth', 'Zahlung', undefined] as const;

function random(seed: number) {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe(`metrics report equals the reference computation (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, function () {
  this.timeout(120_000);
  const rnd = random(2026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const maybe = (p: number, ms: () => number) => (rnd() < p ? new Date(ms()) : undefined);
  const now = new Date('2026-04-20T09:00:00Z');
  const start = Date.UTC(2024, 8, 1);
  let testDb: TestDatabase;
  let db: Database;
  const postmortems = new Map<string, PostmortemContent>();

  const make = (n: number, tenantId = TENANT): Incident => {
    // Milliseconds too: durations are rounded to tenths of a minute, as the figures show them.
    const declared = start + Math.floor(rnd() * (now.getTime() - start));
    const started = maybe(0.8, () => declared - Math.floor(rnd() * 120 * MIN));
    const base = started?.getTime() ?? declared;
    const mitigated = maybe(0.8, () => base + Math.floor(rnd() * 900 * MIN));
    return sampleIncident({
      id: deterministicId('metrics-property', tenantId, String(n)),
      tenantId,
      number: n,
      severity: pick(SEVERITIES),
      component: pick(COMPONENTS),
      status: 'investigating',
      milestones: {
        declared: new Date(declared),
        started,
        acknowledged: maybe(0.85, () => declared + Math.floor(rnd() * 45 * MIN)),
        mitigated,
        resolved: mitigated && rnd() < 0.8 ? new Date(mitigated.getTime() + Math.floor(rnd() * 4000 * MIN)) : undefined,
      },
    });
  };

  before(async () => {
    testDb = await testDatabase();
    db = await openDatabase(testDb.uri);
    const incidents = Array.from({ length: 360 }, (_, n) => make(n + 1));
    const others = Array.from({ length: 20 }, (_, n) => make(n + 1, 'tenant-else'));
    // A third stored the way an older release left them: no rows until the first report.
    const legacy = incidents.filter((_, n) => n % 3 === 0);
    await db.connection.collection('incidents').insertMany(legacy.map(({ id, ...fields }) => ({ _id: new Types.ObjectId(id), ...fields })) as never);
    for (const incident of [...incidents.filter((_, n) => n % 3 !== 0), ...others]) await db.store.insertIncident(incident);
    // Then changed through the store: severities moved, milestones recorded and edited.
    for (const incident of incidents.filter((_, n) => n % 3 === 1)) {
      const current = (await db.store.findById(incident.id))!;
      const declared = current.milestones.declared.getTime();
      const patch = rnd() < 0.5 ? { severity: pick(SEVERITIES) } : { milestones: { acknowledged: new Date(declared + Math.floor(rnd() * 30 * MIN)), resolved: maybe(0.5, () => declared + Math.floor(rnd() * 3000 * MIN)) } };
      const event = { ...timelineEvent(incident.id, 'status_changed', 'prop', { at: now, actor: SYSTEM }), version: current.version + 1 };
      expect(await db.store.applyChange(incident.id, current.version, 'prop', patch, event, [])).to.have.property('id');
    }
    for (const incident of incidents.filter(() => rnd() < 0.3)) {
      const content: PostmortemContent = {
        ...draftPostmortem(incident, []),
        rootCauses: Array.from({ length: Math.floor(rnd() * 3) }, () => ({ description: 'cause', type: pick(ROOT_CAUSE_TYPES) })),
        actionItems: Array.from({ length: Math.floor(rnd() * 3) }, (_, k) => ({ description: `action ${k}`, owner: '', due: rnd() < 0.3 ? '' : new Date(start + rnd() * 700 * DAY).toISOString().slice(0, 10), kind: 'hotfix' as const, link: '', done: rnd() < 0.3 })),
      };
      await db.store.savePostmortem(incident.id, TENANT, 0, 'k', content, { id: '29:x', name: 'X' }, now);
      postmortems.set(incident.id, content);
    }
  });
  after(async () => {
    await db?.close();
    await testDb?.drop();
  });

  const stored = async () => (await db.connection.collection('incidents').find({}).toArray()).map(({ _id, ...rest }) => ({ id: String(_id), ...rest }) as unknown as Incident);

  for (const timeZone of ZONES) {
    it(`${timeZone}: every breakdown, for random periods and filters`, async () => {
      const incidents = await stored();
      for (let k = 0; k < 6; k++) {
        const from = new Date(start - 30 * DAY + Math.floor(rnd() * 500 * DAY));
        const to = new Date(from.getTime() + Math.floor(HOUR + rnd() * 400 * DAY));
        const severities = rnd() < 0.3 ? SEVERITIES.filter(() => rnd() < 0.5) : undefined;
        const components = rnd() < 0.3 ? ['payments', 'Zahlung'] : undefined;
        const query: MetricsQuery = { tenantId: TENANT, from, to, timeZone, ...(severities?.length ? { severities: severities as Severity[] } : {}), ...(components ? { components } : {}) };
        const report = await db.metrics.metrics(query, now);
        expect(report, JSON.stringify(query)).to.deep.equal(referenceReport(incidents, postmortems, query, now));
      }
    });
  }

  it('two time zones: the same incidents, differently bucketed, the same totals', async () => {
    const query = { tenantId: TENANT, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };
    const utc = await db.metrics.metrics({ ...query, timeZone: 'UTC' }, now);
    const newYork = await db.metrics.metrics({ ...query, timeZone: 'America/New_York' }, now);
    expect(newYork.incidents).to.equal(utc.incidents);
    expect(newYork.overall).to.deep.equal(utc.overall);
    const sum = (r: typeof utc) => r.perMonth.reduce((n, m) => n + m.incidents, 0);
    expect(sum(newYork)).to.equal(sum(utc)).and.equal(utc.incidents);
    expect(newYork.perMonth.map((m) => m.month)).to.deep.equal(['2024-12', ...utc.perMonth.map((m) => m.month)]);
  });
});
