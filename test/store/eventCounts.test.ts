import { expect } from 'chai';
import { Types } from 'mongoose';
import { deterministicId } from '../../models/support/ids.js';
import type { Incident } from '../../models/incident/incident.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { timelineEvent, SYSTEM, type EventKind } from '../../models/incident/timeline.js';
import { alertEntryId } from '../../models/alerts/alertIntake.js';
import { EventCounts } from '../../models/mongo/eventCounts.js';
import type { StoredAlert } from '../../models/ports/alertStore.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleIncident } from '../helpers/fixtures.js';

const incident = (fields: Partial<Incident> = {}) => sampleIncident({ id: deterministicId('test', String(Math.random())), ...fields });
const event = (incidentId: string, kind: EventKind, key: string) => timelineEvent(incidentId, kind, key, { at: new Date(Date.UTC(2026, 4, 1, 12)), actor: SYSTEM, payload: { text: key } });
const alert = (n: number): StoredAlert => ({
  id: deterministicId('test-alert', String(n)),
  tenantId: 'tenant-a',
  source: 'generic',
  fingerprint: 'fp',
  status: 'firing',
  title: `alert ${n}`,
  labels: {},
  deliveryKey: `delivery-${n}`,
  occurrenceKey: `occurrence-${n}`,
  receivedAt: new Date(Date.UTC(2026, 10, 23, 10, 0, n)),
});

/**
 * The timeline's counts kept on the incident record (models/mongo/eventCounts.ts): what the tab's
 * total reads instead of counting the timeline. They must stay exact across retried and duplicate
 * appends, the outbox flush, the alert entry, a crash between an insert and its count, and
 * incidents stored before counts were kept. Against the embedded CongoDB always; against a real
 * MongoDB when MONGODB_URI is set.
 */
describe(`timeline counts on the incident (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, () => {
  let testDb: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    testDb = await testDatabase();
    db = await openDatabase(testDb.uri);
  });
  afterEach(async () => {
    await db.close();
    await testDb.drop();
  });

  const incidents = () => db.connection.collection('incidents');
  const stored = async (id: string) => ((await incidents().findOne({ _id: new Types.ObjectId(id) }))?.eventCounts ?? undefined) as { total?: number; kinds?: Record<string, number>; whole?: boolean; started?: number; settled?: number } | undefined;
  /** Every write that started has settled. */
  const settled = async (id: string) => {
    const counts = await stored(id);
    expect(counts?.settled, 'every write settled').to.equal(counts?.started);
  };
  /** What a scan of the timeline says: the truth the counts must match. */
  const scanned = (id: string, kind?: EventKind) => db.connection.collection('timeline_events').countDocuments({ incidentId: new Types.ObjectId(id), ...(kind ? { kind } : {}) });

  it('counts each event once however often and however concurrently it is appended, per kind and for each filter', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const kinds: EventKind[] = ['note', 'update_posted', 'channel_created'];
    const events = Array.from({ length: 12 }, (_, n) => event(i.id, kinds[n % 3]!, `e${n}`));
    // Every event appended three times at once, then all of them retried later.
    await Promise.all(events.flatMap((e) => [db.store.appendEvent(e), db.store.appendEvent(e), db.store.appendEvent(e)]));
    const retried = await Promise.all(events.map((e) => db.store.appendEvent(e)));
    expect(retried.every((inserted) => !inserted), 'a retry finds the event there').to.equal(true);

    expect(await scanned(i.id)).to.equal(12);
    expect(await db.store.countEvents(i.id)).to.equal(12);
    expect(await db.store.countEvents(i.id, { kinds: ['note'] })).to.equal(4);
    expect(await db.store.countEvents(i.id, { kinds: ['note', 'update_posted'] })).to.equal(8);
    expect(await db.store.countEvents(i.id, { excludeKinds: ['channel_created'] })).to.equal(8);
    expect(await db.store.countEvents(i.id, { kinds: ['note', 'update_posted'], excludeKinds: ['note'] })).to.equal(4);
    expect(await db.store.countEvents(i.id, { kinds: ['reminder'] })).to.equal(0);
    expect(await stored(i.id)).to.deep.include({ total: 12, whole: true });
    await settled(i.id);
    // The domain never sees them: they are the store's business.
    expect(await db.store.findById(i.id)).not.to.have.property('eventCounts');
  });

  it('counts an outbox event once: flushed twice at once, and again later', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const changed = await db.store.applyChange(i.id, i.version, 'key-1', { escalations: 1 }, { ...event(i.id, 'escalated', 'x1'), version: i.version + 1 }, []);
    if (typeof changed === 'string') expect.fail(changed);
    await Promise.all([db.store.flushOutbox(changed), db.store.flushOutbox(changed)]);
    await db.store.flushOutbox(changed);
    expect(await scanned(i.id)).to.equal(1);
    expect(await db.store.countEvents(i.id)).to.equal(1);
    expect(await db.store.countEvents(i.id, { kinds: ['escalated'] })).to.equal(1);
  });

  it('counts the folded alert entry once, when it is created, however many folds, processes and restarts write it', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const entry = { id: alertEntryId(i.id), incidentId: i.id, actor: SYSTEM, fingerprint: 'fp' };
    const fold = (batch: string, n: number) => ({ entry, batchId: deterministicId('test-batch', batch), alerts: [alert(n)] });
    await db.store.appendEvent(event(i.id, 'declared', 'once'));
    // Two replicas creating the entry at once, then more folds, then a process that never saw it (a restart).
    const replica = await openDatabase(testDb.uri);
    try {
      await Promise.all([db.alerts.foldAlerts([fold('b1', 1)]), replica.alerts.foldAlerts([fold('b2', 2)])]);
      await db.alerts.foldAlerts([fold('b3', 3)]);
      await replica.alerts.foldAlerts([fold('b4', 4)]);
    } finally {
      await replica.close();
    }
    const restarted = await openDatabase(testDb.uri);
    try {
      await restarted.alerts.foldAlerts([fold('b5', 5)]);
    } finally {
      await restarted.close();
    }
    expect(await scanned(i.id, 'alert_received')).to.equal(1);
    expect(await db.store.countEvents(i.id, { kinds: ['alert_received'] })).to.equal(1);
    expect(await db.store.countEvents(i.id)).to.equal(2);
    await settled(i.id);
  });

  it('recounts after a write stopped between its insert and its count, and counts on from there', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    await db.store.appendEvent(event(i.id, 'note', 'n1'));
    // A process started its write, inserted its event and died before counting it (a minute ago).
    await incidents().updateOne({ _id: new Types.ObjectId(i.id) }, { $inc: { 'eventCounts.started': 1 }, $set: { 'eventCounts.lastStart': Date.now() - 61_000 } } as never);
    const lost = event(i.id, 'note', 'n2');
    await db.connection.collection('timeline_events').insertOne({ _id: new Types.ObjectId(lost.id), incidentId: new Types.ObjectId(i.id), kind: lost.kind, at: lost.at, actor: lost.actor, payload: lost.payload, recordedAt: new Date() });
    expect((await stored(i.id))?.total, 'the count missed it').to.equal(1);

    expect(await db.store.countEvents(i.id)).to.equal(2);
    expect(await stored(i.id), 'the recount is kept').to.deep.include({ total: 2, kinds: { note: 2 }, whole: true, epoch: 1 });
    await settled(i.id);
    // Its retry finds the event there and counts nothing; a new event counts on the recount.
    expect(await db.store.appendEvent(lost)).to.equal(false);
    await db.store.appendEvent(event(i.id, 'update_posted', 'u1'));
    expect(await db.store.countEvents(i.id)).to.equal(3);
    expect(await db.store.countEvents(i.id, { kinds: ['update_posted'] })).to.equal(1);
  });

  it('a write taken for stopped that settles after the recount changes nothing (the recount began a new epoch)', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const counts = new EventCounts(db.connection);
    const slow = await counts.start([i.id]);
    const late = event(i.id, 'note', 'late');
    await db.store.appendEvent(late);
    // Its last start a minute ago: the write looks stopped, and a read recounts (the event is in the timeline).
    await incidents().updateOne({ _id: new Types.ObjectId(i.id) }, { $set: { 'eventCounts.lastStart': Date.now() - 61_000 } });
    expect(await db.store.countEvents(i.id)).to.equal(1);
    await counts.settle(slow, new Map([[i.id, { note: 1 }]]));
    expect(await db.store.countEvents(i.id)).to.equal(1);
    expect(await stored(i.id)).to.deep.include({ total: 1, epoch: 1 });
    await settled(i.id);
  });

  it('an incident stored before counts were kept is counted from its timeline once, then kept up', async () => {
    const i = incident();
    const { id, ...fields } = i;
    await incidents().insertOne({ _id: new Types.ObjectId(id), ...fields });
    await db.connection.collection('timeline_events').insertMany(
      Array.from({ length: 5 }, (_, n) => ({ _id: new Types.ObjectId(), incidentId: new Types.ObjectId(id), kind: n < 2 ? 'note' : 'reminder', at: new Date(), actor: SYSTEM, payload: {}, recordedAt: new Date() })),
    );
    // Appended after the upgrade, before anyone read the counts: counted, but not yet whole.
    await db.store.appendEvent(event(id, 'note', 'after'));
    expect(await stored(id)).to.deep.include({ total: 1 }).and.not.have.property('whole');

    expect(await db.store.countEvents(id, { kinds: ['note'] })).to.equal(3);
    expect(await stored(id)).to.deep.include({ total: 6, kinds: { note: 3, reminder: 3 }, whole: true });
    await db.store.appendEvent(event(id, 'reminder', 'later'));
    expect(await db.store.countEvents(id)).to.equal(7);
    expect(await scanned(id)).to.equal(7);
  });

  it('does not keep a recount while a write is in flight (it may or may not be in the recount)', async () => {
    const i = incident();
    const { id, ...fields } = i;
    await incidents().insertOne({ _id: new Types.ObjectId(id), ...fields });
    await db.store.appendEvent(event(id, 'note', 'n1'));
    await incidents().updateOne({ _id: new Types.ObjectId(id) }, { $inc: { 'eventCounts.started': 1 }, $set: { 'eventCounts.lastStart': Date.now() } } as never);
    expect(await db.store.countEvents(id)).to.equal(1);
    expect(await stored(id), 'answered from the recount, nothing kept').to.deep.include({ total: 1, started: 2, settled: 1 }).and.not.have.property('whole');
  });

  it('counts concurrent appends of many events exactly (no lost increments)', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    await Promise.all(Array.from({ length: 200 }, (_, n) => db.store.appendEvent(event(i.id, n % 2 ? 'note' : 'reminder', `c${n}`))));
    expect(await db.store.countEvents(i.id)).to.equal(200);
    expect(await db.store.countEvents(i.id, { kinds: ['note'] })).to.equal(100);
    expect(await stored(i.id)).to.deep.include({ total: 200, whole: true });
    await settled(i.id);
  });
});
