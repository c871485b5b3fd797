import { expect } from 'chai';
import { LOCAL } from '../../local/defaults.js';
import { parseAlerts } from '../../models/alerts/alerts.js';
import { deterministicId } from '../../models/support/ids.js';
import type { AlertBatch } from '../../models/ports/alertStore.js';
import { provisioned, startTestApp, TENANT, type TestApp } from '../helpers/testApp.js';

/**
 * Issue 21, item 3: storms. A burst for one fingerprint, or spread over 50, makes one incident
 * per fingerprint whose alerts are one counted timeline entry, every alert kept once in `alerts`;
 * retried deliveries and batches processed again (after a crash) count nothing twice.
 */
describe('alert storms', function () {
  this.timeout(120_000);
  let t: TestApp;
  afterEach(() => t?.close());

  const post = (body: unknown) =>
    fetch(`${t.app.url}/api/alerts/generic`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${LOCAL.alertSecret}` }, body: JSON.stringify(body) });
  const alertBody = (run: string, n: number, fingerprints: number) => ({ title: `Payments timeouts ${n % fingerprints}`, fingerprint: `${run}-fp-${n % fingerprints}`, id: `${run}-${n}`, description: `sample ${n}` });
  /** `count` alerts, one per request, `concurrency` requests in flight; the statuses answered. */
  async function storm(count: number, fingerprints: number, run: string, concurrency = 32): Promise<number[]> {
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let n = next++; n < count; n = next++) statuses[n] = (await post(alertBody(run, n, fingerprints))).status;
      }),
    );
    return statuses;
  }
  const settle = async () => {
    await t.app.alerts.drain();
    await t.app.actions.drain();
  };
  /** Each incident's one folded alert entry and its count, by fingerprint. */
  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const incident of await t.incidents()) {
      const entries = (await t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'alert_received');
      expect(entries, `${incident.source.fingerprint}: one alert entry`).to.have.length(1);
      result[String(incident.source.fingerprint)] = entries[0]!.payload.count as number;
    }
    return result;
  }
  const rows = () => t.app.database.connection.collection('alerts').countDocuments();
  const pending = () => t.app.database.connection.collection('alert_inbox').countDocuments();

  it('a burst of 1,000 alerts for one fingerprint: one incident, one entry counting 1,000, 1,000 rows; sent again, nothing counts twice', async () => {
    t = await startTestApp({}, { timers: false });
    expect(new Set(await storm(1_000, 1, 'one'))).to.deep.equal(new Set([202]));
    await settle();
    await provisioned(t);
    expect(await counts()).to.deep.equal({ 'one-fp-0': 1_000 });
    expect(await rows()).to.equal(1_000);
    expect(await pending(), 'nothing left to process').to.equal(0);
    // The monitor retries all of it (it did not see our answers): the same deliveries, counted once.
    await storm(1_000, 1, 'one');
    await settle();
    expect(await counts()).to.deep.equal({ 'one-fp-0': 1_000 });
    expect(await rows()).to.equal(1_000);
  });

  it('a burst of 2,000 alerts over 50 fingerprints: 50 incidents, each one entry counting its 40 alerts, 2,000 rows', async () => {
    t = await startTestApp({}, { timers: false });
    expect(new Set(await storm(2_000, 50, 'fifty', 64))).to.deep.equal(new Set([202]));
    await settle();
    await provisioned(t, 50);
    const expected = Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`fifty-fp-${n}`, 40]));
    expect(await counts()).to.deep.equal(expected);
    expect(await rows()).to.equal(2_000);
    // Half of it again, mixed with 500 new alerts of the same fingerprints: only the new ones count.
    await Promise.all([storm(1_000, 50, 'fifty'), storm(500, 50, 'more')]);
    await settle();
    const more = Object.fromEntries(Array.from({ length: 50 }, (_, n) => [`more-fp-${n}`, 10]));
    expect(await counts()).to.deep.equal({ ...expected, ...more });
    expect(await rows()).to.equal(2_500);
    expect(await pending()).to.equal(0);
  });

  it('a batch processed again — its process died after counting, before finishing it — counts nothing twice; one only recorded before a crash is counted', async () => {
    t = await startTestApp({}, { timers: false, resume: false });
    const old = new Date(Date.now() - 60_000);
    const stored = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => {
        const parsed = parseAlerts('generic', alertBody('crash', from + k, 1));
        if (!('alerts' in parsed)) throw new Error('fixture');
        return { ...parsed.alerts[0]!, id: deterministicId('alert', TENANT, parsed.alerts[0]!.deliveryKey), tenantId: TENANT, receivedAt: old };
      });
    const batch = (name: string, from: number, to: number): AlertBatch => ({ id: deterministicId('test-batch', name), receivedAt: old, alerts: stored(from, to) });
    const inbox = t.app.database.connection.collection('alert_inbox');
    // As if its lease ran out: the process holding it died.
    const leaseRunsOut = () => inbox.updateMany({}, { $set: { 'lease.until': old } });

    // The batch is processed, and the process dies as it would take it out of the inbox.
    await t.app.database.alerts.storeBatches([batch('first', 0, 100)]);
    const remove = inbox.deleteMany.bind(inbox);
    inbox.deleteMany = (() => Promise.reject(new Error('killed'))) as typeof inbox.deleteMany;
    try {
      await t.app.alerts.sweep();
    } finally {
      inbox.deleteMany = remove;
    }
    await provisioned(t);
    expect(await counts()).to.deep.equal({ 'crash-fp-0': 100 });
    expect(await pending(), 'left in the inbox').to.equal(1);
    // The next sweep processes it again, while a retried delivery of half of it arrives as another batch: neither counts again.
    await leaseRunsOut();
    await t.app.database.alerts.storeBatches([batch('retry', 50, 100)]);
    expect(await t.app.alerts.sweep()).to.equal(150);
    expect(await counts()).to.deep.equal({ 'crash-fp-0': 100 });
    // A batch whose alerts were recorded just before a crash, and never counted: they are its own, and counted now.
    const recordedOnly = batch('recorded-only', 100, 130);
    await t.app.database.alerts.recordAlerts([recordedOnly]);
    await t.app.database.alerts.storeBatches([recordedOnly]);
    expect(await t.app.alerts.sweep()).to.equal(30);
    expect(await counts()).to.deep.equal({ 'crash-fp-0': 130 });
    expect(await rows()).to.equal(130);
    expect(await pending()).to.equal(0);
    expect(await t.incidents()).to.have.length(1);
  });
});
