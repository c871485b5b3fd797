import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { LOCAL } from '../../local/defaults.js';
import { eventually, provisioned, startTestApp, TENANT, type TestApp } from '../helpers/testApp.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}.json`, import.meta.url), 'utf8')) as Record<string, any>;

/** Monitor webhooks: each format, authentication, dedup into one incident, resolve, and bad input. */
describe('alert webhooks', function () {
  this.timeout(60_000);
  let t: TestApp;
  afterEach(() => t?.close());

  const post = (source: string, body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${LOCAL.alertSecret}` }) =>
    fetch(`${t.app.url}/api/alerts/${source}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const settle = async () => {
    await t.app.alerts.drain();
    await t.app.actions.drain();
  };
  const events = async (incidentId: string, kind: string) => (await t.app.database.store.listEvents(incidentId)).filter((e) => e.kind === kind);
  /** An incident's alerts fold into one timeline entry that counts them. */
  const alertsCounted = async (incidentId: string) => {
    const entries = (await events(incidentId, 'alert_received')).filter((e) => e.payload.folded);
    expect(entries, 'one folded alert entry').to.have.length(1);
    return entries[0]!.payload.count;
  };

  it('Alertmanager: a firing group opens one incident, mapped severity, provisioned and paged; repeats attach to it', async () => {
    t = await startTestApp({}, { timers: false });
    const answer = await post('alertmanager', fixture('alertmanager-firing'));
    expect(answer.status).to.equal(202);
    expect((await answer.json()).accepted).to.equal(2);
    await settle();
    const [incident] = await provisioned(t);
    expect(incident).to.deep.include({ title: 'Checkout API 5xx rate above 5%', severity: 'P1', component: 'checkout-api' });
    expect(incident!.source).to.deep.include({ kind: 'webhook' });
    expect(incident!.description).to.contain('5xx ratio is 12.3%').and.contain('Source: http://prometheus.example.com:9090/graph');
    const declared = (await events(incident!.id, 'declared'))[0]!;
    expect(declared.actor).to.deep.include({ kind: 'monitor' });
    expect(await alertsCounted(incident!.id)).to.equal(2);

    // The same notification again (Alertmanager retries): no new effect at all.
    await post('alertmanager', fixture('alertmanager-firing'));
    // The group fires again later (a new alert in it): counted on the same entry, no new incident.
    const again = fixture('alertmanager-firing');
    again.alerts[0].startsAt = '2026-11-23T03:40:00.000Z';
    await post('alertmanager', again);
    await settle();
    expect(await t.incidents()).to.have.length(1);
    expect(await alertsCounted(incident!.id)).to.equal(3);
    // Paging starts with provisioning (timers run when the test moves them).
    await t.app.jobs.runDue();
    expect((await t.app.database.store.findById(incident!.id))!.paging).to.deep.include({ level: 0 });
  });

  it('a resolved alert is recorded and suggested on the card, and closes nothing by itself', async () => {
    t = await startTestApp({}, { timers: false });
    await post('alertmanager', fixture('alertmanager-firing'));
    await settle();
    const [incident] = await provisioned(t);
    const resolved = fixture('alertmanager-firing');
    resolved.status = 'resolved';
    for (const a of resolved.alerts) Object.assign(a, { status: 'resolved', endsAt: '2026-11-23T03:55:00.000Z' });
    await post('alertmanager', resolved);
    await settle();
    const after = (await t.app.database.store.findById(incident!.id))!;
    expect(after.status).to.equal('triage');
    expect(after.monitorResolved).to.deep.include({ title: 'Checkout API 5xx rate above 5%', source: 'alertmanager' });
    const card = JSON.stringify(t.local.world.activities.find((a) => a.id === after.card!.activityId)!.attachments);
    expect(card).to.contain('The monitor reported').and.contain('resolved at');
  });

  it('resolves the incident on a resolved alert when ALERT_AUTO_RESOLVE is set', async () => {
    t = await startTestApp({ ALERT_AUTO_RESOLVE: 'true' }, { timers: false });
    await post('generic', { title: 'Disk full on db-3', fingerprint: 'disk-db-3', severity: 'warning', id: 'delivery-1' });
    await settle();
    const [incident] = await provisioned(t);
    expect(incident!.severity).to.equal('P2');
    await post('generic', { title: 'Disk full on db-3', fingerprint: 'disk-db-3', status: 'resolved', id: 'delivery-2' });
    await settle();
    expect((await t.app.database.store.findById(incident!.id))!.status).to.equal('resolved');

    // The same fingerprint firing after its incident is over opens a new incident.
    await post('generic', { title: 'Disk full on db-3', fingerprint: 'disk-db-3', id: 'delivery-3' });
    await settle();
    expect((await t.incidents()).map((i) => i.number)).to.deep.equal([1, 2]);
  });

  it('Grafana, with an HMAC signature: one incident, warning → P2, the panel link kept', async () => {
    const secret = 'grafana-webhook-secret-0123456789';
    t = await startTestApp({ ALERT_SECRET_GRAFANA: secret }, { timers: false });
    const body = JSON.stringify(fixture('grafana-firing'));
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    expect((await post('grafana', body, { 'X-Grafana-Alerting-Signature': signature })).status).to.equal(202);
    await settle();
    const [incident] = await provisioned(t);
    expect(incident).to.deep.include({ title: 'Search p99 latency above 2 s', severity: 'P2', component: 'search' });
    expect(incident!.description).to.contain('https://grafana.example.com/d/search-overview?viewPanel=4');
  });

  it('refuses bad secrets and signatures with 401, unknown or unconfigured sources with 404, and stores nothing', async () => {
    t = await startTestApp({ ALERT_SECRET_GRAFANA: 'grafana-webhook-secret-0123456789' }, { timers: false });
    const body = JSON.stringify(fixture('grafana-firing'));
    const cases: [string, Record<string, string>][] = [
      ['no credentials', {}],
      ['wrong bearer', { Authorization: 'Bearer local-alert-secreT' }],
      ['another source’s secret', { Authorization: `Bearer ${LOCAL.alertSecret}` }],
      ['signature of another body', { 'X-Grafana-Alerting-Signature': createHmac('sha256', 'grafana-webhook-secret-0123456789').update(`${body} `).digest('hex') }],
      ['signature with the wrong key', { 'X-Signature-256': `sha256=${createHmac('sha256', 'guess').update(body).digest('hex')}` }],
      ['garbage signature', { 'X-Signature-256': 'sha256=zz' }],
    ];
    for (const [name, headers] of cases) {
      const answer = await post('grafana', body, headers);
      expect(answer.status, name).to.equal(401);
      expect((await answer.json()).error, name).to.contain('Not authenticated');
    }
    expect((await post('nagios', {})).status).to.equal(404);
    const off = await fetch(`${t.app.url}/api/alerts/grafana`, { method: 'POST' });
    expect(off.status).to.be.oneOf([401, 415]);
    await settle();
    expect(await t.app.database.connection.collection('alerts').countDocuments()).to.equal(0);
    expect(await t.incidents()).to.deep.equal([]);
  });

  it('answers malformed and oversized notifications with a clear 4xx and stores nothing', async () => {
    t = await startTestApp({}, { timers: false });
    const bad: [unknown, RegExp][] = [
      [{ alerts: [] }, /no alerts/],
      [{ alerts: [{ status: 'burning', labels: {} }] }, /alerts\.0\.status/],
      [[1, 2, 3], /expected a JSON object/],
      [{ alerts: [{ status: 'firing', labels: { alertname: { $gt: '' } } }] }, /alerts\.0\.labels\.alertname/],
    ];
    for (const [body, message] of bad) {
      const answer = await post('alertmanager', body);
      expect(answer.status).to.equal(400);
      const json = await answer.json();
      expect(json.error).to.contain('nothing was stored');
      expect(json.problems.join(' ')).to.match(message);
    }
    const generic = await post('generic', { title: '', severity: 'P1', $where: 'sleep(1)' });
    expect(generic.status).to.equal(400);
    expect((await generic.json()).problems.join(' ')).to.contain('a title is required');
    expect((await post('generic', '{"title": "unterminated')).status).to.equal(400);
    const huge = await post('generic', { title: 'big', description: 'x'.repeat(600 * 1024) });
    expect(huge.status).to.equal(413);
    await settle();
    expect(await t.app.database.connection.collection('alerts').countDocuments()).to.equal(0);
  });

  it('a storm of concurrent alerts with one fingerprint makes one incident, with every alert counted on its timeline', async () => {
    t = await startTestApp({}, { timers: false });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, n) => post('generic', { title: 'Payments timeouts', fingerprint: 'payments-timeouts', id: `storm-${n}`, description: `sample ${n}` })),
    );
    expect(answers.every((a) => a.status === 202)).to.equal(true);
    await settle();
    const [incident] = await provisioned(t);
    expect(await t.incidents()).to.have.length(1);
    expect(await alertsCounted(incident!.id)).to.equal(200);
    expect(await t.app.database.connection.collection('alerts').countDocuments()).to.equal(200);
  });

  it('processes alerts a crashed process left stored but unprocessed (the sweep)', async () => {
    t = await startTestApp({}, { timers: false, resume: false });
    // As if a process stored the alert and died before acting on it: the row is there, unprocessed.
    const { parseAlerts } = await import('../../models/alerts/alerts.js');
    const parsed = parseAlerts('generic', { title: 'Queue backlog growing', fingerprint: 'queue', id: 'orphan-1' });
    if (!('alerts' in parsed)) throw new Error('fixture');
    const receivedAt = new Date(Date.now() - 60_000);
    await t.app.database.alerts.storeBatches([{ id: 'b'.repeat(24), receivedAt, alerts: [{ ...parsed.alerts[0]!, id: 'a'.repeat(24), tenantId: TENANT, receivedAt }] }]);
    expect(await t.incidents()).to.deep.equal([]);
    expect(await t.app.alerts.sweep()).to.equal(1);
    await eventually(async () => (await t.incidents()).length === 1, 10_000, 'the swept alert to declare');
    expect(await t.app.database.alerts.pendingBatches(new Date(), new Date(), 10)).to.deep.equal([]);
  });
});
