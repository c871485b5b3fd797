import { expect } from 'chai';
import { Types } from 'mongoose';
import { deterministicId } from '../../models/support/ids.js';
import type { Incident } from '../../models/incident/incident.js';
import type { IncidentPatch } from '../../models/incident/patch.js';
import { SYSTEM, timelineEvent } from '../../models/incident/timeline.js';
import { importIncidents } from '../../models/metrics/importIncidents.js';
import { metricsRowOf, rowsOf as rowsOfDay } from '../../models/metrics/metricsRow.js';
import type { MetricsQuery } from '../../models/metrics/metrics.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { referenceReport } from '../helpers/metricsReference.js';

/**
 * Each incident's metrics row follows its writes (declare, import, severity, milestones, reopen),
 * survives a crash between the write and the row, is built for incidents stored before rows
 * existed, and never goes back to an older version. Runs on the embedded server, and on a real
 * MongoDB when MONGODB_URI is set.
 */
const MIN = 60_000;
const TENANT = 'tenant-rows';
const DECLARED = new Date('2026-02-10T23:30:00Z');
const now = new Date('2026-04-15T12:00:00Z');
const query = (fields: Partial<MetricsQuery> = {}): MetricsQuery => ({ tenantId: TENANT, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z'), timeZone: 'America/New_York', ...fields });
const at = (minutes: number) => new Date(DECLARED.getTime() + minutes * MIN);

describe(`metrics rows (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    testDb = await testDatabase();
    db = await openDatabase(testDb.uri);
  });
  afterEach(async () => {
    await db?.close();
    await testDb?.drop();
  });

  const stored = async (tenantId = TENANT) => (await db.connection.collection('incidents').find({ tenantId }).toArray()).map((doc) => (({ _id, ...rest }) => ({ id: String(_id), ...rest }) as unknown as Incident)(doc));
  /** The report equals the obvious computation over the incidents as they are stored now. */
  const expectReportRight = async (q = query()) => expect(await db.metrics.metrics(q, now)).to.deep.equal(referenceReport(await stored(q.tenantId), new Map(), q, now));
  const rowsOf = async (tenantId = TENANT) => (await db.store.metricsRows.read(tenantId, Date.UTC(2100, 0, 1))).flatMap(rowsOfDay);
  const change = async (incident: Incident, key: string, patch: IncidentPatch, store = db.store) => {
    const current = (await store.findById(incident.id))!;
    const event = { ...timelineEvent(incident.id, 'status_changed', key, { at: now, actor: SYSTEM }), version: current.version + 1 };
    const written = await store.applyChange(incident.id, current.version, key, patch, event, []);
    expect(written, key).to.have.property('version', current.version + 1);
    return written as Incident;
  };
  const declare = (n: number, fields: Partial<Incident> = {}) =>
    sampleIncident({ id: deterministicId('rows-test', String(n)), tenantId: TENANT, number: n, severity: 'P2', component: 'payments', status: 'triage', milestones: { declared: DECLARED }, ...fields });

  it('follows declare, acknowledge, severity, recovery, resolve, reopen and a milestone edit', async () => {
    const incident = declare(1, { milestones: { declared: DECLARED, started: at(-20) } });
    await db.store.insertIncident(incident);
    await db.store.insertIncident(declare(2, { severity: 'P1', component: undefined }));
    await expectReportRight();
    const steps: [string, IncidentPatch][] = [
      ['ack', { status: 'investigating', milestones: { acknowledged: at(7) } }],
      ['raise', { severity: 'P0' }],
      ['recovered', { status: 'monitoring', milestones: { mitigated: at(95) } }],
      ['resolved', { status: 'resolved', milestones: { resolved: at(300) } }],
      ['reopened', { status: 'investigating' }],
      ['edit-recovery', { milestones: { mitigated: at(80), started: at(-45) } }],
      ['lower', { severity: 'P3' }],
    ];
    for (const [key, patch] of steps) {
      const written = await change(incident, key, patch);
      const row = (await rowsOf()).find((r) => r.id === incident.id)!;
      // A change that touches no figure (the reopen) leaves the row at the version it was computed from.
      expect(row, key).to.deep.equal({ ...metricsRowOf(written), version: patch.milestones || patch.severity ? written.version : row.version });
      await expectReportRight();
      await expectReportRight(query({ timeZone: 'UTC', severities: ['P0', 'P3'] }));
    }
    expect((await rowsOf()).find((r) => r.id === incident.id)).to.include({ severity: 'P3', mtta: 70, recovery: 1250, repair: 3450 });
    // Nothing left marked once every write finished.
    expect(await db.connection.collection('metrics_pending').countDocuments()).to.equal(0);
  });

  it('a change that touches no figure leaves the row as it was', async () => {
    const incident = declare(3);
    await db.store.insertIncident(incident);
    const before = await db.connection.collection('metrics_days').find({}).toArray();
    await change(incident, 'topic', { escalations: 2 });
    expect(await db.connection.collection('metrics_days').find({}).toArray()).to.deep.equal(before);
  });

  it('imports: rows for each imported incident, once, however often the file is sent', async () => {
    const rows = [
      { id: 'a', title: 'Old outage', severity: 'P1', component: 'search', declared: '2026-01-31T23:10:00Z', acknowledged: '2026-01-31T23:20:00Z', mitigated: '2026-02-01T01:00:00Z', resolved: '2026-02-01T03:00:00Z' },
      { id: 'b', title: 'Slow checkout', severity: 'P2', declared: '2026-03-08T06:30:00Z', started: '2026-03-08T05:00:00Z', mitigated: '2026-03-08T08:00:00Z' },
    ];
    expect(await importIncidents(db.store, TENANT, rows)).to.deep.equal({ imported: 2, alreadyThere: 0 });
    expect(await importIncidents(db.store, TENANT, rows)).to.deep.equal({ imported: 0, alreadyThere: 2 });
    expect(await rowsOf()).to.have.length(2);
    const report = await db.metrics.metrics(query(), now);
    expect(report.incidents).to.equal(2);
    // 23:10 UTC on Jan 31 is still January in New York (and the period begins on Dec 31 there).
    expect(report.perMonth.map((m) => [m.month, m.incidents])).to.deep.equal([['2025-12', 0], ['2026-01', 1], ['2026-02', 0], ['2026-03', 1]]);
    expect(report.overall.mttrRepair).to.deep.equal({ count: 1, missing: 1, medianMinutes: 230, p90Minutes: 230 });
    await expectReportRight();
  });

  it('repairs a row a crash left behind (the write stored, the row not), once the mark is abandoned', async () => {
    const incident = declare(4);
    await db.store.insertIncident(incident);
    // A writer that marked, wrote the incident directly, and died before refreshing the row.
    const young = await db.store.metricsRows.mark(incident.id);
    await db.connection.collection('incidents').updateOne({ _id: new Types.ObjectId(incident.id) }, { $set: { severity: 'P0', 'milestones.acknowledged': at(3) }, $inc: { version: 1 } });
    expect((await rowsOf())[0]).to.include({ severity: 'P2' });
    // A young mark may be a writer still at work: left alone.
    expect(await db.store.metricsRows.sweep()).to.equal(0);
    expect(await db.connection.collection('metrics_pending').countDocuments()).to.equal(1);
    // Two minutes on, it is abandoned: the next report refreshes the row and clears the mark.
    expect(await db.store.metricsRows.sweep(Date.now() + 120_000)).to.equal(1);
    expect((await rowsOf())[0]).to.include({ severity: 'P0', mtta: 30, version: 2 });
    expect(await db.connection.collection('metrics_pending').countDocuments()).to.equal(0);
    await db.store.metricsRows.unmark(incident.id, young);
    // And through a report: a mark left long ago is repaired before the figures are read.
    await db.connection.collection('incidents').updateOne({ _id: new Types.ObjectId(incident.id) }, { $set: { severity: 'P1' }, $inc: { version: 1 } });
    await db.connection.collection('metrics_pending').insertOne({ _id: new Types.ObjectId(incident.id), marks: ['1000/crashed'] } as never);
    await expectReportRight();
    expect((await rowsOf())[0]).to.include({ severity: 'P1' });
  });

  it('builds the rows of incidents stored before rows existed, once, for the tenant asked about', async () => {
    const legacy = [1, 2, 3].map((n) => declare(10 + n, { milestones: { declared: at(n * 1440), acknowledged: at(n * 1440 + n), resolved: at(n * 1440 + 600) } }));
    const other = sampleIncident({ id: deterministicId('rows-test', 'other'), tenantId: 'tenant-other', milestones: { declared: DECLARED } });
    await db.connection.collection('incidents').insertMany([...legacy, other].map(({ id, ...fields }) => ({ _id: new Types.ObjectId(id), ...fields })) as never);
    expect(await rowsOf()).to.have.length(0);
    await expectReportRight();
    expect(await rowsOf()).to.have.length(3);
    expect(await rowsOf('tenant-other')).to.have.length(0);
    expect(await db.connection.collection('metrics_state').countDocuments({ tenantId: TENANT })).to.equal(1);
    // Building again changes nothing (same rows, same day versions).
    const days = await db.connection.collection('metrics_days').find({}).toArray();
    expect(await db.metrics.backfill(TENANT)).to.equal(3);
    expect(await db.connection.collection('metrics_days').find({}).toArray()).to.deep.equal(days);
  });

  it('never puts back an older row, whichever write lands last', async () => {
    const incident = declare(5);
    await db.store.insertIncident(incident);
    const newer = { ...incident, version: 3, severity: 'P0' as const };
    const older = { ...incident, version: 2, severity: 'P1' as const };
    await Promise.all([db.store.metricsRows.refresh(newer), db.store.metricsRows.refresh(older)]);
    await db.store.metricsRows.refresh(older);
    expect((await rowsOf())[0]).to.include({ version: 3, severity: 'P0' });
  });

  it('keeps every row when many incidents of one day are written at once, from two replicas', async () => {
    const replica = await openDatabase(testDb.uri);
    const incidents = Array.from({ length: 24 }, (_, n) => declare(100 + n, { milestones: { declared: at(n) } }));
    try {
      await Promise.all(incidents.map((i, n) => (n % 2 ? replica : db).store.insertIncident(i)));
      await Promise.all(incidents.map((i, n) => change(i, 'ack', { milestones: { acknowledged: at(30 + n) } }, (n % 2 ? replica : db).store)));
    } finally {
      await replica.close();
    }
    const rows = await rowsOf();
    expect(rows).to.have.length(24);
    for (const row of rows) expect(row.mtta).to.be.a('number');
    await expectReportRight();
  });
});
