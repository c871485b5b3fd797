import { expect } from 'chai';
import { deterministicId } from '../../models/support/ids.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { timelineEvent, SYSTEM, type Actor } from '../../models/incident/timeline.js';
import { Types } from 'mongoose';
import type { AlertBatch, StoredAlert } from '../../models/ports/alertStore.js';
import { alertEntryId } from '../../models/alerts/alertIntake.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';

const MONITOR: Actor = { kind: 'monitor', id: 'monitor:generic', name: 'Monitor' };
const incidentId = (name: string) => deterministicId('test-incident', name);

function alert(n: number, fields: Partial<StoredAlert> = {}): StoredAlert {
  return {
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
    ...fields,
  };
}

/**
 * The alert store's contract for replays, batches and folding (security review items 7 and 9;
 * issue 21: storms in a few writes per batch), and streaming a timeline. Against the embedded CongoDB always; against a real MongoDB when
 * MONGODB_URI is set. Nothing here may rely on unique indexes or transactions.
 */
describe(`alert store contract (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, () => {
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

  const claim = (tenant: string, keys: string[], incident: string) => db.alerts.claimOccurrences(tenant, new Map(keys.map((k) => [k, incident])));
  const entryOf = (name: string) => ({ id: alertEntryId(incidentId(name)), incidentId: incidentId(name), actor: MONITOR, fingerprint: 'fp' });
  const batch = (name: string, alerts: StoredAlert[]): AlertBatch => ({ id: deterministicId('test-batch', name), receivedAt: alerts[0]?.receivedAt ?? new Date(), alerts });
  const fold = (name: string, batchName: string, alerts: StoredAlert[]) => ({ entry: entryOf(name), batchId: batch(batchName, []).id, alerts });
  const entry = async (name: string) => {
    const events = await db.store.listEvents(incidentId(name));
    expect(events, 'one entry').to.have.length(1);
    return events[0]!;
  };

  it('gives an occurrence to the first incident that claims it, for ever, also under concurrency', async () => {
    const [a, b] = await Promise.all([claim('tenant-a', ['o1', 'o2'], incidentId('a')), claim('tenant-a', ['o2', 'o3'], incidentId('b'))]);
    expect(a.get('o2')).to.equal(b.get('o2'));
    expect([a.get('o1'), b.get('o3')]).to.deep.equal([incidentId('a'), incidentId('b')]);
    const later = await claim('tenant-a', ['o1', 'o4', 'o4'], incidentId('c'));
    expect(Object.fromEntries(later)).to.deep.equal({ o1: incidentId('a'), o4: incidentId('c') });
    expect(Object.fromEntries(await db.alerts.occurrenceIncidents('tenant-a', ['o1', 'o3', 'never']))).to.deep.equal({ o1: incidentId('a'), o3: incidentId('b') });
    // Another tenant's occurrence with the same key is another occurrence.
    expect((await claim('tenant-b', ['o1'], incidentId('z'))).get('o1')).to.equal(incidentId('z'));
    expect(await db.alerts.occurrenceIncidents('tenant-a', [])).to.have.property('size', 0);
    // One call may claim for several incidents (a tick holds many fingerprints).
    expect(Object.fromEntries(await db.alerts.claimOccurrences('tenant-a', new Map([['o5', incidentId('a')], ['o6', incidentId('b')], ['o1', incidentId('c')]])))).to.deep.equal({ o5: incidentId('a'), o6: incidentId('b'), o1: incidentId('a') });
  });

  it('folds alerts into one counted entry in place: each batch counted once per incident, first/last seen, the latest words', async () => {
    const alerts = Array.from({ length: 30 }, (_, n) => alert(n));
    const [first, second, third] = [alerts.slice(0, 10), alerts.slice(10, 20), alerts.slice(20)];
    // Two replicas folding overlapping sets of batches at once, then a retry of all of them (one write, or one batch at a time).
    await Promise.all([db.alerts.foldAlerts([fold('a', 'b1', first), fold('a', 'b2', second)]), db.alerts.foldAlerts([fold('a', 'b2', second), fold('a', 'b3', third)])]);
    await db.alerts.foldAlerts([fold('a', 'b1', first), fold('a', 'b2', second), fold('a', 'b3', third)]);
    await db.alerts.foldAlerts([fold('a', 'b3', third)]);
    // An older batch arriving late counts but does not overwrite the latest title.
    await db.alerts.foldAlerts([fold('a', 'b4', [alert(99, { receivedAt: new Date(Date.UTC(2026, 10, 23, 9, 0)), title: 'old words', status: 'resolved', partial: true })])]);
    const folded = await entry('a');
    expect(folded).to.deep.include({ id: entryOf('a').id, kind: 'alert_received', actor: MONITOR });
    expect(folded.at.toISOString()).to.equal('2026-11-23T09:00:00.000Z');
    expect(folded.payload).to.deep.include({ count: 31, title: 'alert 29', status: 'firing', fingerprint: 'fp', folded: true });
    expect((folded.payload.firstSeen as Date).toISOString()).to.equal('2026-11-23T09:00:00.000Z');
    expect((folded.payload.lastSeen as Date).toISOString()).to.equal('2026-11-23T10:00:29.000Z');
    // Another incident's entry counts only its own alerts, also when they come in the same call.
    await db.alerts.foldAlerts([fold('b', 'b5', [alert(1)]), fold('c', 'b5', [alert(2), alert(3)])]);
    expect((await entry('b')).payload.count).to.equal(1);
    expect((await entry('c')).payload.count).to.equal(2);
    expect((await entry('a')).payload.count).to.equal(31);
  });

  it('counts what the batches hold, not the calls: the retry after a crash between counting and writing the entry lands on the truth', async () => {
    const count = async () => (await entry('a')).payload.count;
    await db.alerts.foldAlerts([fold('a', 'b1', [alert(1), alert(2)])]);
    // A process counts batch b2 and dies before it writes the entry.
    const events = db.connection.collection('timeline_events');
    const write = events.bulkWrite.bind(events);
    events.bulkWrite = (() => Promise.reject(new Error('killed'))) as typeof events.bulkWrite;
    try {
      await db.alerts.foldAlerts([fold('a', 'b2', [alert(3), alert(4), alert(5)])]).then(() => expect.fail('the write was to fail'), (error: Error) => expect(error.message).to.equal('killed'));
    } finally {
      events.bulkWrite = write;
    }
    expect(await count()).to.equal(2);
    // The sweep retries it: the batch is counted already, and once.
    await db.alerts.foldAlerts([fold('a', 'b2', [alert(3), alert(4), alert(5)])]);
    expect(await count()).to.equal(5);
    // The next batch, whichever it is, writes what the counts hold.
    await db.alerts.foldAlerts([fold('a', 'b3', [alert(6)])]);
    expect(await count()).to.equal(6);
    await db.alerts.foldAlerts([fold('a', 'b1', [alert(1), alert(2)]), fold('a', 'b3', [alert(6)])]);
    expect(await count()).to.equal(6);
  });

  it('drops a batch’s marks only when its holder finishes it; an incident counted before the marks existed keeps its count', async () => {
    const alerts = [alert(1), alert(2)];
    const now = new Date();
    await db.alerts.storeBatches([batch('b1', alerts)], { owner: 'p1', until: new Date(now.getTime() + 30_000) });
    await db.alerts.foldAlerts([fold('a', 'b1', alerts)]);
    const marks = async () => Object.keys(((await db.connection.collection('alert_folds').findOne({ incidentId: new Types.ObjectId(incidentId('a')) })) as { applied?: object } | null)?.applied ?? {});
    expect(await marks()).to.have.length(1);
    // Another process (its lease ran out, say, and it does not know) cannot finish it.
    await db.alerts.finishBatches([batch('b1', []).id], 'p2', [incidentId('a')]);
    expect(await marks()).to.have.length(1);
    await db.alerts.finishBatches([batch('b1', []).id], 'p1', [incidentId('a')]);
    expect(await marks()).to.deep.equal([]);
    expect(await db.alerts.pendingBatches(new Date(now.getTime() + 60_000), new Date(now.getTime() + 60_000), 10)).to.deep.equal([]);
    // Finished, it can be claimed by no one (so never folded again).
    expect(await db.alerts.claimBatches([batch('b1', []).id], { owner: 'p2', until: new Date(now.getTime() + 30_000) }, now)).to.have.property('size', 0);
    // An entry folded by an older version (its count from the id sets it kept): counting goes on from there.
    await db.connection.collection('timeline_events').insertOne({ _id: new Types.ObjectId(entryOf('old').id), incidentId: new Types.ObjectId(incidentId('old')), kind: 'alert_received', at: new Date(), actor: MONITOR, payload: { count: 40, folded: true, lastSeen: new Date(0) } });
    await db.alerts.foldAlerts([fold('old', 'b9', [alert(50)])]);
    expect((await entry('old')).payload.count).to.equal(41);
  });

  it('records each alert once, for the batch that recorded it first — also when that batch is processed again', async () => {
    const [one, two, three] = [alert(1), alert(2), alert(3)];
    const first = batch('b1', [one, two]);
    // A retried delivery is another batch: alert 2 is the first batch's, alert 3 the retry's.
    const retry = batch('b2', [two, three]);
    expect(Object.fromEntries(await db.alerts.recordAlerts([first]))).to.deep.equal({ [one.id]: first.id, [two.id]: first.id });
    expect(Object.fromEntries(await db.alerts.recordAlerts([retry]))).to.deep.equal({ [three.id]: retry.id });
    // The first batch again (a crash after recording, before finishing): its alerts are still its own.
    expect(Object.fromEntries(await db.alerts.recordAlerts([first, retry]))).to.deep.equal({ [one.id]: first.id, [two.id]: first.id, [three.id]: retry.id });
    expect(await db.connection.collection('alerts').countDocuments()).to.equal(3);
    // An alert stored by an older version (no batch; its inbox document named after it) is that document's.
    await db.connection.collection('alerts').insertOne({ _id: new Types.ObjectId(alert(4).id), title: 'old' });
    expect(Object.fromEntries(await db.alerts.recordAlerts([{ id: alert(4).id, receivedAt: new Date(), alerts: [alert(4)] }, batch('b3', [alert(4)])]))).to.deep.equal({ [alert(4).id]: alert(4).id });
  });

  it('keeps batches pending, oldest first, with their alerts as they were, until finished', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute));
    const late = { ...batch('late', [alert(1, { startsAt: at(1), labels: { team: 'payments' } })]), receivedAt: at(5) };
    const early = { ...batch('early', [alert(2), alert(3, { status: 'resolved', partial: true })]), receivedAt: at(2) };
    await db.alerts.storeBatches([late, early]);
    await db.alerts.storeBatches([late]); // the same batch twice is one
    expect(await db.alerts.pendingBatches(at(3), at(3), 10)).to.deep.equal([early]);
    expect(await db.alerts.pendingBatches(at(9), at(9), 10)).to.deep.equal([early, late]);
    expect(await db.alerts.claimBatches([early.id], { owner: 'p1', until: at(20) }, at(9))).to.deep.equal(new Set([early.id]));
    await db.alerts.finishBatches([early.id], 'p1', []);
    expect(await db.alerts.pendingBatches(at(9), at(9), 10)).to.deep.equal([late]);
  });

  it('leases a batch to one process at a time: a sweep skips it until the lease runs out, then one claimer gets it', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute));
    const stored = { ...batch('b1', [alert(1)]), receivedAt: at(0) };
    await db.alerts.storeBatches([stored], { owner: 'p1', until: at(2) });
    expect(await db.alerts.pendingBatches(at(1), at(1), 10), 'p1 holds it').to.deep.equal([]);
    expect(await db.alerts.claimBatches([stored.id], { owner: 'p2', until: at(5) }, at(1))).to.have.property('size', 0);
    // p1 renews it as it takes it in a tick.
    expect(await db.alerts.claimBatches([stored.id], { owner: 'p1', until: at(3) }, at(1))).to.have.property('size', 1);
    // p1 stops; after its lease, the sweep sees the batch and exactly one of two claimers gets it.
    expect(await db.alerts.pendingBatches(at(4), at(4), 10)).to.deep.equal([stored]);
    const [p2, p3] = await Promise.all([db.alerts.claimBatches([stored.id], { owner: 'p2', until: at(9) }, at(4)), db.alerts.claimBatches([stored.id], { owner: 'p3', until: at(9) }, at(4))]);
    expect(p2.size + p3.size).to.equal(1);
    expect(await db.alerts.claimBatches([stored.id], { owner: 'p1', until: at(9) }, at(5)), 'p1 lost it').to.have.property('size', 0);
  });

  it('moves a fingerprint’s generation once, however many processes see its incident end', async () => {
    const lanes = [{ source: 'generic', fingerprint: 'fp' }, { source: 'grafana', fingerprint: 'fp' }];
    expect(Object.fromEntries(await db.alerts.alertGenerations('tenant-a', lanes))).to.deep.equal({ 'generic|fp': 0, 'grafana|fp': 0 });
    await Promise.all([0, 1, 2].map(() => db.alerts.advanceAlertGeneration('tenant-a', 'generic', 'fp', 0)));
    await db.alerts.advanceAlertGeneration('tenant-a', 'generic', 'fp', 0);
    expect(Object.fromEntries(await db.alerts.alertGenerations('tenant-a', lanes))).to.deep.equal({ 'generic|fp': 1, 'grafana|fp': 0 });
    await Promise.all([1, 2].map(() => db.alerts.advanceAlertGeneration('tenant-a', 'generic', 'fp', 1)));
    expect((await db.alerts.alertGenerations('tenant-a', lanes)).get('generic|fp')).to.equal(2);
    expect((await db.alerts.alertGenerations('tenant-b', lanes)).get('generic|fp')).to.equal(0);
  });

  it('moves the entry’s recorded time on each fold, so a live tab is sent its new count', async () => {
    await db.alerts.foldAlerts([fold('a', 'b1', [alert(1)])]);
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await db.alerts.foldAlerts([fold('a', 'b2', [alert(2)])]);
    const { events } = await db.store.eventsRecordedSince(incidentId('a'), since, 10);
    expect(events.map((e) => e.payload.count)).to.deep.equal([2]);
  });

  it('streams a timeline oldest first across many batches, never crossing incidents, and stops early cleanly', async () => {
    const start = Date.UTC(2026, 0, 1);
    for (const [name, count] of [['a', 1_234], ['b', 3]] as const) {
      await Promise.all(
        Array.from({ length: count }, (_, n) => db.store.appendEvent(timelineEvent(incidentId(name), 'note', `n${n}`, { at: new Date(start + ((n * 7919) % count) * 1000), actor: SYSTEM, payload: { n } }))),
      );
    }
    const seen: number[] = [];
    for await (const event of db.store.streamEvents(incidentId('a'))) {
      expect(event.incidentId).to.equal(incidentId('a'));
      seen.push(event.at.getTime());
    }
    expect(seen).to.have.length(1_234);
    expect(seen).to.deep.equal([...seen].sort((x, y) => x - y));
    let taken = 0;
    for await (const _ of db.store.streamEvents(incidentId('a'))) if (++taken === 3) break;
    expect(taken).to.equal(3);
    // The store still answers after an abandoned cursor.
    expect(await db.store.countEvents(incidentId('b'))).to.equal(3);
  });
});
