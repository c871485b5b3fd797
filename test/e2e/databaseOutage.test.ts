import { expect } from 'chai';
import { loadConfig } from '../../config.js';
import { startApp, type RunningApp } from '../../server.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../models/mongo/embedded.js';
import { LocalTeams } from '../../local/localTeams.js';
import { TcpProxy } from '../helpers/tcpProxy.js';
import { activity, ALEX, eventually, TENANT, toBot } from '../helpers/testApp.js';
import { signedInAs } from '../helpers/tabApi.js';
import { cardAction } from '../../local/teamsActivities.js';

/**
 * The database going away, through a TCP proxy the test cuts. Always the embedded server here,
 * also when MONGODB_URI is set: proxying a real replica set would need every member proxied
 * (this is about the app's answers, not the store's behaviour, which the contract tests cover).
 */
describe('when MongoDB is unreachable', function () {
  this.timeout(60_000);
  let db: EmbeddedMongo;
  let proxy: TcpProxy;
  let local: LocalTeams;
  const apps: RunningApp[] = [];
  const uri = () => db.uri.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${proxy.port}`);
  const settings = () => ({ PORT: '0', LOG_LEVEL: 'silent', MONGODB_URI: uri(), PROVISION_RETRY_BASE_MS: '10', PROVISION_RETRY_CAP_MS: '40' });

  beforeEach(async () => {
    db = await startEmbeddedMongo();
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(db.uri).port) });
    local = await LocalTeams.start({ teamId: 'local-incidents-team', appCatalogId: 'local-incident-room-app', meetingOrganizers: ['local-meeting-organizer'] });
  });
  afterEach(async () => {
    await proxy.restore();
    for (const app of apps.splice(0)) await app.close();
    await local.stop();
    await proxy.stop();
    await db.stop();
  });

  it('during operation: not ready, 503 with Retry-After on the tab API, a clear message on card clicks; all back once it returns, nothing half-written', async () => {
    const app = await startApp(loadConfig(settings()), { local, timers: false });
    apps.push(app);
    const post = (body: object) => fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity(app, local, { from: ALEX, ...body })) });
    await post({ type: 'message', id: 'declare-1', ...toBot('declare Checkout API returns 500s --sev P2') });
    const incident = await eventually(async () => (await app.database.store.listOpen(TENANT, 5))[0]?.provisioning.complete && (await app.database.store.listOpen(TENANT, 5))[0], 15_000, 'the war room');

    const inChannel = { conversation: { id: incident.channel!.id, tenantId: TENANT, conversationType: 'channel' }, channelData: { tenant: { id: TENANT }, channel: { id: incident.channel!.id } } };
    await proxy.cut();
    expect((await fetch(`${app.url}/readyz`)).status).to.equal(503);
    const tab = await fetch(`${app.url}/tab/api/incidents/${incident.id}`, { headers: await signedInAs(app) });
    expect(tab.status).to.equal(503);
    expect(tab.headers.get('retry-after')).to.equal('5');
    expect((await tab.json()).error).to.contain('cannot be reached right now; nothing was changed');
    const click = await post({ type: 'invoke', name: 'adaptiveCard/action', id: 'ack-during-outage', ...inChannel, value: cardAction('ack', { incidentId: incident.id, v: incident.version }) });
    // Universal Actions: HTTP 200 always, the outcome in the body.
    expect(click.status).to.equal(200);
    const answer = await click.json();
    expect(answer.statusCode).to.equal(500);
    expect(answer.value.message).to.contain('cannot be reached right now; nothing was changed');

    await proxy.restore();
    await eventually(async () => (await fetch(`${app.url}/readyz`)).status === 200, 20_000, 'ready again');
    const after = (await app.database.store.findById(incident.id))!;
    expect(after.version).to.equal(incident.version);
    expect(after.milestones.acknowledged).to.equal(undefined);
    const again = await post({ type: 'invoke', name: 'adaptiveCard/action', id: 'ack-after-outage', ...inChannel, value: cardAction('ack', { incidentId: incident.id, v: incident.version }) });
    expect(again.status).to.equal(200);
    expect((await app.database.store.findById(incident.id))!.milestones.acknowledged).to.be.instanceOf(Date);
  });

  it('at start: keeps trying while the database is away, and starts once it answers', async () => {
    await proxy.cut();
    const starting = startApp(loadConfig({ ...settings(), DB_CONNECT_RETRY_MS: '30000' }), { local, timers: false, resume: false });
    await new Promise((r) => setTimeout(r, 1_500));
    await proxy.restore();
    const app = await starting;
    apps.push(app);
    expect((await fetch(`${app.url}/readyz`)).status).to.equal(200);
  });

  it('at start: gives up after DB_CONNECT_RETRY_MS with a message naming the server (password hidden) and what to check', async () => {
    await proxy.cut();
    const secretUri = uri().replace('mongodb://', 'mongodb://app:hunter2@');
    const error = await startApp(loadConfig({ ...settings(), MONGODB_URI: secretUri, DB_CONNECT_RETRY_MS: '1000' }), { local, timers: false, resume: false }).then(
      (app) => (apps.push(app), undefined),
      (e: Error) => e,
    );
    expect(error?.message).to.contain(`cannot reach MongoDB at mongodb://***@127.0.0.1:${proxy.port}`).and.contain('check MONGODB_URI').and.not.contain('hunter2');
  });
});
