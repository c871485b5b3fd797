import { expect } from 'chai';
import { deterministicId } from '../../models/support/ids.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { timelineEvent, SYSTEM, type Actor } from '../../models/incident/timeline.js';
import type { StoredAlert } from '../../models/ports/alertStore.js';
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
 * The alert store's contract for replays and folding (security review items 7 and 9), and
 * streaming a timeline. Against the embedded CongoDB always; against a real MongoDB when
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

  it('gives an occurrence to the first incident that claims it, for ever, also under concurrency', async () => {
    const [a, b] = await Promise.all([db.alerts.claimOccurrences('tenant-a', ['o1', 'o2'], incidentId('a')), db.alerts.claimOccurrences('tenant-a', ['o2', 'o3'], incidentId('b'))]);
    expect(a.get('o2')).to.equal(b.get('o2'));
    expect([a.get('o1'), b.get('o3')]).to.deep.equal([incidentId('a'), incidentId('b')]);
    const later = await db.alerts.claimOccurrences('tenant-a', ['o1', 'o4', 'o4'], incidentId('c'));
    expect(Object.fromEntries(later)).to.deep.equal({ o1: incidentId('a'), o4: incidentId('c') });
    expect(Object.fromEntries(await db.alerts.occurrenceIncidents('tenant-a', ['o1', 'o3', 'never']))).to.deep.equal({ o1: incidentId('a'), o3: incidentId('b') });
    // Another tenant's occurrence with the same key is another occurrence.
    expect((await db.alerts.claimOccurrences('tenant-b', ['o1'], incidentId('z'))).get('o1')).to.equal(incidentId('z'));
    expect(await db.alerts.occurrenceIncidents('tenant-a', [])).to.have.property('size', 0);
  });

  it('folds alerts into one counted entry in place: distinct alerts counted once, first/last seen, the latest words', async () => {
    const entry = { id: alertEntryId(incidentId('a')), incidentId: incidentId('a'), actor: MONITOR, fingerprint: 'fp' };
    const batch = Array.from({ length: 30 }, (_, n) => alert(n));
    // Two replicas folding overlapping batches at once, then a retry of all of them.
    await Promise.all([db.alerts.foldAlerts(entry, batch.slice(0, 20)), db.alerts.foldAlerts(entry, batch.slice(10))]);
    await db.alerts.foldAlerts(entry, batch);
    // An older batch arriving late counts but does not overwrite the latest title.
    await db.alerts.foldAlerts(entry, [alert(99, { receivedAt: new Date(Date.UTC(2026, 10, 23, 9, 0)), title: 'old words', status: 'resolved', partial: true })]);
    const events = await db.store.listEvents(incidentId('a'));
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ id: entry.id, kind: 'alert_received', actor: MONITOR });
    expect(events[0]!.at.toISOString()).to.equal('2026-11-23T09:00:00.000Z');
    expect(events[0]!.payload).to.deep.include({ count: 31, title: 'alert 29', status: 'firing', fingerprint: 'fp', folded: true });
    expect((events[0]!.payload.firstSeen as Date).toISOString()).to.equal('2026-11-23T09:00:00.000Z');
    expect((events[0]!.payload.lastSeen as Date).toISOString()).to.equal('2026-11-23T10:00:29.000Z');
    // Another incident's entry counts only its own alerts.
    await db.alerts.foldAlerts({ ...entry, id: alertEntryId(incidentId('b')), incidentId: incidentId('b') }, [alert(1)]);
    expect((await db.store.listEvents(incidentId('b')))[0]!.payload.count).to.equal(1);
  });

  it('counts the alerts held, not the calls: the retry after a crash between adding and counting lands on the truth', async () => {
    const entry = { id: alertEntryId(incidentId('a')), incidentId: incidentId('a'), actor: MONITOR, fingerprint: 'fp' };
    const count = async () => (await db.store.listEvents(incidentId('a')))[0]!.payload.count;
    await db.alerts.foldAlerts(entry, [alert(1), alert(2)]);
    // A process adds alerts 3–5 to the incident's set and dies before it writes the entry.
    const events = db.connection.collection('timeline_events');
    const write = events.updateOne.bind(events);
    events.updateOne = (() => Promise.reject(new Error('killed'))) as typeof events.updateOne;
    try {
      await db.alerts.foldAlerts(entry, [alert(3), alert(4), alert(5)]).then(() => expect.fail('the write was to fail'), (error: Error) => expect(error.message).to.equal('killed'));
    } finally {
      events.updateOne = write;
    }
    expect(await count()).to.equal(2);
    // The sweep retries it; the alerts are in the set already, and counted once.
    await db.alerts.foldAlerts(entry, [alert(3), alert(4), alert(5)]);
    expect(await count()).to.equal(5);
    // The next batch, whichever it is, counts what the sets hold.
    await db.alerts.foldAlerts(entry, [alert(6)]);
    expect(await count()).to.equal(6);
    await db.alerts.foldAlerts(entry, [alert(1), alert(6)]);
    expect(await count()).to.equal(6);
  });

  it('moves the entry’s recorded time on each fold, so a live tab is sent its new count', async () => {
    const entry = { id: alertEntryId(incidentId('a')), incidentId: incidentId('a'), actor: MONITOR, fingerprint: 'fp' };
    await db.alerts.foldAlerts(entry, [alert(1)]);
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await db.alerts.foldAlerts(entry, [alert(2)]);
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
