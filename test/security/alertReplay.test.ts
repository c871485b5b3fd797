import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { LOCAL } from '../../local/defaults.js';
import { provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';
import type { RunningApp } from '../../server.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;
const SECRET = 'generic-webhook-secret-0123456789';
const sign = (text: string) => `sha256=${createHmac('sha256', SECRET).update(text).digest('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

/**
 * Security review, item 7: a byte-identical signed request resent after INC-3 was resolved
 * opened INC-4. An alert already seen (same source, fingerprint and start time, or the generic
 * payload's id) never opens a second incident, across processes; a genuinely new firing still
 * does. Generic senders may also sign a timestamp, and requests outside 5 minutes are refused.
 */
describe('security: replayed alerts (item 7)', function () {
  this.timeout(90_000);
  let t: TestApp;
  afterEach(() => t?.close());

  const post = (source: string, body: string, headers: Record<string, string>, app: RunningApp = t.app) =>
    fetch(`${app.url}/api/alerts/${source}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  const bearer = { Authorization: `Bearer ${LOCAL.alertSecret}` };
  const settle = async (app: RunningApp = t.app) => {
    await app.alerts.drain();
    await app.actions.drain();
  };
  const resolve = (app: RunningApp, incidentId: string) =>
    app.actions.run('resolve', { incidentId, key: `test-resolve-${incidentId}`, actor: { id: 'monitor:test', name: 'Test' }, via: 'app' }, {});
  const numbers = async () => (await t.incidents()).map((i) => `${i.number}:${i.status}`);
  const alertCount = async (incidentId: string) =>
    (await t.app.database.store.listEvents(incidentId)).filter((e) => e.kind === 'alert_received').reduce((sum, e) => sum + (typeof e.payload.count === 'number' ? e.payload.count : 1), 0);

  it('a byte-identical signed generic request replayed after resolution opens nothing, also in another process; a later firing does', async () => {
    t = await startTestApp({ ALERT_SECRET_GENERIC: SECRET }, { timers: false });
    const body = JSON.stringify({ title: 'Payments API 5xx', fingerprint: 'payments-5xx', severity: 'critical', startsAt: '2026-11-23T03:00:00Z' });
    expect((await post('generic', body, { 'X-Signature-256': sign(body) })).status).to.equal(202);
    await settle();
    const [first] = await provisioned(t);
    await resolve(t.app, first!.id);
    expect(await numbers()).to.deep.equal(['1:resolved']);

    // The replay is authentic (the signature is good), so it is accepted and recorded — and opens nothing.
    expect((await post('generic', body, { 'X-Signature-256': sign(body) })).status).to.equal(202);
    await settle();
    expect(await numbers()).to.deep.equal(['1:resolved']);
    // Also when the same firing comes back with other words (the same start time is the same alert).
    const reworded = JSON.stringify({ title: 'Payments API 5xx', fingerprint: 'payments-5xx', severity: 'critical', startsAt: '2026-11-23T03:00:00Z', description: 'now 14% of requests' });
    await post('generic', reworded, { 'X-Signature-256': sign(reworded) });
    await settle();
    expect(await numbers()).to.deep.equal(['1:resolved']);

    // What was seen is in MongoDB: another process (a replica, or this one restarted) knows it too.
    const other = await t.restart();
    expect((await post('generic', body, { 'X-Signature-256': sign(body) }, other)).status).to.equal(202);
    await settle(other);
    expect(await numbers()).to.deep.equal(['1:resolved']);

    // A genuinely new firing (a later start) opens INC-2; replaying the old one then does not attach to it.
    const later = JSON.stringify({ title: 'Payments API 5xx', fingerprint: 'payments-5xx', severity: 'critical', startsAt: '2026-11-24T09:00:00Z' });
    await post('generic', later, { 'X-Signature-256': sign(later) });
    await settle();
    const [, second] = await provisioned(t, 2);
    expect(await numbers()).to.deep.equal(['1:resolved', '2:triage']);
    await post('generic', body, { 'X-Signature-256': sign(body) });
    await settle();
    expect(await numbers()).to.deep.equal(['1:resolved', '2:triage']);
    expect(await alertCount(second!.id), 'the old alert is not counted on the new incident').to.equal(1);
  });

  it('generic alerts without a start time are known by their id, else by their content', async () => {
    t = await startTestApp({}, { timers: false });
    const byId = JSON.stringify({ title: 'Disk full on db-3', fingerprint: 'disk-db-3', id: 'delivery-1' });
    await post('generic', byId, bearer);
    await settle();
    const [incident] = await provisioned(t);
    await resolve(t.app, incident!.id);
    await post('generic', byId, bearer);
    const plain = JSON.stringify({ title: 'Queue backlog', fingerprint: 'queue' });
    await post('generic', plain, bearer);
    await settle();
    const [, queue] = await provisioned(t, 2);
    await resolve(t.app, queue!.id);
    await post('generic', plain, bearer);
    await settle();
    expect(await numbers()).to.deep.equal(['1:resolved', '2:resolved']);
    // A new delivery id is a new alert: it may open a new incident.
    await post('generic', JSON.stringify({ title: 'Disk full on db-3', fingerprint: 'disk-db-3', id: 'delivery-2' }), bearer);
    await settle();
    expect(await numbers()).to.deep.equal(['1:resolved', '2:resolved', '3:triage']);
  });

  it('Alertmanager: a repeat of a firing group after resolution opens nothing, and a replayed "resolved" does not resolve the next incident', async () => {
    t = await startTestApp({ ALERT_AUTO_RESOLVE: 'true' }, { timers: false });
    const firing = JSON.stringify(fixture('alertmanager-firing'));
    const resolvedBody = fixture('alertmanager-firing');
    resolvedBody.status = 'resolved';
    for (const a of resolvedBody.alerts) Object.assign(a, { status: 'resolved', endsAt: '2026-11-23T03:55:00.000Z' });
    const resolved = JSON.stringify(resolvedBody);
    await post('alertmanager', firing, bearer);
    await settle();
    await provisioned(t);
    await post('alertmanager', resolved, bearer);
    await settle();
    expect(await numbers()).to.deep.equal(['1:resolved']);
    // Alertmanager's repeat_interval (or an attacker) sends the same firing notification again.
    await post('alertmanager', firing, bearer);
    await settle();
    expect(await numbers()).to.deep.equal(['1:resolved']);

    // The group fires again for real: new start times, a new incident.
    const again = fixture('alertmanager-firing');
    for (const a of again.alerts) a.startsAt = '2026-11-23T05:00:00.000Z';
    await post('alertmanager', JSON.stringify(again), bearer);
    await settle();
    await provisioned(t, 2);
    expect(await numbers()).to.deep.equal(['1:resolved', '2:triage']);
    // The first episode's "resolved" replayed: it belongs to INC-1, so INC-2 stays open.
    await post('alertmanager', resolved, bearer);
    await settle();
    expect(await numbers()).to.deep.equal(['1:resolved', '2:triage']);
  });

  it('timestamped signatures: the timestamp is signed, checked when present, and refused outside 5 minutes', async () => {
    t = await startTestApp({ ALERT_SECRET_GENERIC: SECRET }, { timers: false });
    const body = JSON.stringify({ title: 'Login errors', fingerprint: 'login', id: 'ts-1' });
    const stamped = (ts: string, signed = `${ts}.${body}`) => ({ 'X-Signature-Timestamp': ts, 'X-Signature-256': sign(signed) });

    const good = await post('generic', body, stamped(String(now())));
    expect(good.status).to.equal(202);
    const refused: [string, Record<string, string>][] = [
      ['six minutes old', stamped(String(now() - 360))],
      ['six minutes ahead', stamped(String(now() + 360))],
      ['not a number', stamped('yesterday')],
      ['milliseconds, not seconds', stamped(String(Date.now()))],
      // The header cannot be added to (or moved on) an old body-only signature.
      ['timestamp not in the signature', { 'X-Signature-Timestamp': String(now()), 'X-Signature-256': sign(body) }],
      ['another timestamp signed', { 'X-Signature-Timestamp': String(now()), 'X-Signature-256': sign(`${now() - 100}.${body}`) }],
    ];
    for (const [name, headers] of refused) {
      const answer = await post('generic', body, headers);
      expect(answer.status, name).to.equal(401);
      const error = (await answer.json()).error as string;
      expect(error, name).to.match(/X-Signature-Timestamp/);
      if (name.startsWith('six')) expect(error, name).to.match(/5 minutes/);
    }
    // Without the header the body-only signature still works (timestamps are opt-in per sender).
    expect((await post('generic', body, { 'X-Signature-256': sign(body) })).status).to.equal(202);
    await settle();
    expect(await numbers()).to.deep.equal(['1:triage']);
    expect(await t.app.database.connection.collection('alerts').countDocuments()).to.equal(1);
  });
});
