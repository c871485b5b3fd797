import { Writable } from 'node:stream';
import { expect } from 'chai';
import { loadConfig } from '../../config.js';
import { createLogger, startApp } from '../../server.js';
import { requestContext } from '../../http/requestContext.js';
import { eventually, provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';
import { testDatabase } from '../helpers/database.js';
import { LocalTeams } from '../../local/localTeams.js';
import { signedInAs } from '../helpers/tabApi.js';

/** A pino destination that keeps the JSON lines. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

describe('operations: health, readiness, metrics, request logs, graceful shutdown', () => {
  let t: TestApp;
  let sink: ReturnType<typeof logSink>;
  beforeEach(async () => {
    sink = logSink();
    t = await startTestApp({ METRICS_TOKEN: 'prometheus-scrape-token-123' }, { log: sink.log });
  });
  afterEach(async () => {
    await t.close();
  });

  it('answers /healthz and /readyz, echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const health = await fetch(`${t.app.url}/healthz`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ status: 'ok', mode: 'local' });
    const ready = await fetch(`${t.app.url}/readyz`, { headers: { 'X-Request-Id': 'lb-7f3a.42' } });
    expect(ready.status).to.equal(200);
    expect(ready.headers.get('x-request-id')).to.equal('lb-7f3a.42');
    const odd = await fetch(`${t.app.url}/healthz`, { headers: { 'X-Request-Id': '{"$gt":""} ' + 'x'.repeat(200) } });
    expect(odd.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('serves Prometheus metrics to the bearer of METRICS_TOKEN: requests by route, provisioning steps, timers', async () => {
    await t.message('declare Checkout API returns 500s --sev P1');
    await provisioned(t);
    await t.app.jobs.runDue();
    expect((await fetch(`${t.app.url}/metrics`)).status).to.equal(401);
    expect((await fetch(`${t.app.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-of-same-size' } })).status).to.equal(401);
    const response = await fetch(`${t.app.url}/metrics`, { headers: { Authorization: 'Bearer prometheus-scrape-token-123' } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.contain('text/plain');
    const text = await response.text();
    expect(text).to.match(/incident_room_http_requests_total\{method="POST",route="\/api\/messages",status="200"\} 1\b/);
    expect(text).to.match(/incident_room_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/api\/messages"\}/);
    for (const step of ['channel', 'meeting', 'tab', 'card', 'cardLinks']) {
      expect(text).to.match(new RegExp(`incident_room_provisioning_steps_total\\{step="${step}",outcome="done"\\} 1\\b`));
    }
    expect(text).to.contain('incident_room_timer_lag_seconds_bucket');
    expect(text).to.contain('incident_room_process_cpu_seconds_total');
  });

  it('writes one JSON line per request with its id and incident number, and the use cases’ lines inside carry them too', async () => {
    await t.message('declare Checkout API returns 500s --sev P1');
    const [incident] = await provisioned(t);
    const response = await fetch(`${t.app.url}/tab/api/incidents/${incident!.id}`, { headers: { 'X-Request-Id': 'req-tab-1', ...(await signedInAs(t.app)) } });
    expect(response.status).to.equal(200);
    const line = await eventually(() => sink.lines.find((l) => l.msg === 'request' && l.reqId === 'req-tab-1'), 2_000, 'the request line');
    expect(line).to.include({ incident: 'INC-1', method: 'GET', route: '/tab/api/incidents/:id', status: 200 });
    expect(line.ms).to.be.a('number');
    // A command in the incident's channel: its request line names the incident too.
    await t.message('ack', { conversationId: incident!.channel!.id, id: 'activity-ack-1' });
    const ack = await eventually(() => sink.lines.filter((l) => l.msg === 'request' && l.route === '/api/messages')[1], 2_000, 'the ack request line');
    expect(ack).to.include({ incident: 'INC-1', status: 200 });
    // Lines the use cases write while a request is handled carry the same fields (pino mixin).
    requestContext.run({ reqId: 'req-inner' }, () => {
      requestContext.tagIncident('INC-9');
      t.app.log.warn({ step: 'channel' }, 'inside a request');
    });
    t.app.log.warn({}, 'outside any request');
    expect(sink.lines.find((l) => l.msg === 'inside a request')).to.include({ reqId: 'req-inner', incident: 'INC-9', step: 'channel' });
    expect(sink.lines.find((l) => l.msg === 'outside any request')).to.not.have.property('reqId');
  });

  it('shutdown stops mid-retry and gives the provisioning lease back at once', async () => {
    // The channel call keeps failing with 503 and a long Retry-After: this process is mid-retry when it stops.
    t.local.graph.faults.add({ method: 'POST', path: /\/channels$/, status: 503, retryAfterSeconds: 30, times: 1 });
    await t.message('declare Payments are slow --sev P2');
    await eventually(async () => (await t.incidents())[0]?.provisioning.steps.channel.attempts === 1 || undefined, 5_000, 'the first channel attempt');
    await new Promise((r) => setTimeout(r, 100));
    const began = Date.now();
    const closing = t.app.close();
    await closing;
    // It did not wait out the 30 s Retry-After, and left the war room unfinished but unlocked.
    expect(Date.now() - began).to.be.below(10_000);
    // A replica (here a restart, not sweeping on its own) finds it unfinished and unlocked, and finishes it at once.
    const replica = await t.restart({ PROVISION_LEASE_MS: '600000' }, { resume: false, timers: false });
    const [raw] = await replica.database.connection.collection('incidents').find({}).toArray();
    expect(raw!.provisioning.complete).to.equal(false);
    expect(raw!.provisioning.lease).to.equal(undefined);
    expect(await replica.provisioner.resumeAll()).to.equal(1);
    const done = (await replica.database.store.findById(String(raw!._id)))!;
    expect(done.provisioning.complete).to.equal(true);
    expect([...t.local.world.channels.values()].filter((c) => c.displayName.startsWith('inc-1-'))).to.have.length(1);
  });
});

describe('readiness without a database', () => {
  it('answers 503 with Retry-After when the database stops answering, 200 again when it is back', async () => {
    const db = await testDatabase();
    const local = await LocalTeams.start({ teamId: 'local-incidents-team', appCatalogId: 'local-incident-room-app', meetingOrganizers: ['local-meeting-organizer'] });
    const app = await startApp(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', MONGODB_URI: db.uri }), { local, resume: false, timers: false });
    try {
      expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
      const ping = app.database.ping;
      app.database.ping = () => Promise.reject(new Error('connection refused'));
      const down = await fetch(`${app.url}/readyz`);
      expect(down.status).to.equal(503);
      expect(down.headers.get('retry-after')).to.equal('5');
      expect(await down.json()).to.deep.equal({ status: 'not ready', reason: 'the database does not answer' });
      app.database.ping = ping;
      expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
    } finally {
      await app.close();
      await local.stop();
      await db.drop();
    }
  });
});
