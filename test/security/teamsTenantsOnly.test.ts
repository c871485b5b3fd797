import { randomUUID } from 'node:crypto';
import { configProblems } from '../helpers/configProblems.js';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config.js';
import { createLogger, startApp, type RunningApp } from '../../server.js';
import { LOCAL } from '../../local/defaults.js';
import { BotFrameworkIdentity } from '../../local/standins/botFrameworkIdentity.js';
import { LocalTeams } from '../../local/localTeams.js';
import { cardAction, teamsActivity, toBot } from '../../local/teamsActivities.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { ALEX } from '../helpers/people.js';
import { eventually, provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '66666666-7777-8888-9999-000000000000';
/** A second tenant named in ALLOWED_TENANT_IDS (in capitals there: tenant ids compare without case). */
const SECOND = 'abcdef00-7777-8888-9999-000000000000';
const OTHER = '0a1b2c3d-0000-4000-8000-000000000042';
const TEAM_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'a-client-secret-never-logged';
const BOT = { id: `28:${APP_ID}`, name: 'incident-room' };

const REAL = {
  MICROSOFT_APP_ID: APP_ID,
  MICROSOFT_APP_PASSWORD: SECRET,
  MICROSOFT_APP_TENANT_ID: TENANT,
  TEAMS_TEAM_ID: TEAM_ID,
  TEAMS_APP_CATALOG_ID: 'catalog-id',
  MONGODB_URI: 'mongodb://127.0.0.1:1/x',
  PUBLIC_BASE_URL: 'https://incidents.example.com',
};

const problems = configProblems;

/**
 * The bot acts only on Microsoft Teams activities (channelId msteams) from the tenants it serves.
 * A Bot Framework token is also issued for Web Chat and Direct Line, and the tenant fields are the
 * sender's: before, a Web Chat message was acted on and its service URL became the tenant's (so
 * cards for new incidents were posted nowhere), an activity naming no tenant was taken as ours,
 * and another tenant's activities were stored under it.
 */
describe('security: only Teams activities, only from the tenants served', function () {
  this.timeout(60_000);

  describe('ALLOWED_TENANT_IDS', () => {
    it('defaults to MICROSOFT_APP_TENANT_ID in real mode; local mode takes any tenant', () => {
      expect(loadConfig(REAL).allowedTenantIds).to.deep.equal([TENANT]);
      expect(loadConfig({ ...REAL, MICROSOFT_APP_TENANT_ID: TENANT.toUpperCase() }).allowedTenantIds).to.deep.equal([TENANT]);
      expect(loadConfig({}).allowedTenantIds).to.equal(undefined);
    });

    it('takes comma-separated GUIDs in any case, which must include the app’s own tenant', () => {
      expect(loadConfig({ ...REAL, ALLOWED_TENANT_IDS: ` ${TENANT}, ${SECOND.toUpperCase()} ,` }).allowedTenantIds).to.deep.equal([TENANT, SECOND]);
      expect(problems({ ...REAL, ALLOWED_TENANT_IDS: `${TENANT},contoso.onmicrosoft.com` }).join()).to.contain('ALLOWED_TENANT_IDS must list tenant ids (GUIDs)').and.contain('contoso.onmicrosoft.com');
      expect(problems({ ...REAL, ALLOWED_TENANT_IDS: SECOND }).join()).to.contain('ALLOWED_TENANT_IDS must include MICROSOFT_APP_TENANT_ID');
    });
  });

  describe('real mode (Bot Framework tokens from a local issuer that, like the real one, also signs for Web Chat)', () => {
    let db: TestDatabase;
    let local: LocalTeams;
    let issuer: BotFrameworkIdentity;
    let app: RunningApp;
    let serviceUrl: string;
    const logged: string[] = [];

    before(async () => {
      db = await testDatabase();
      issuer = await BotFrameworkIdentity.start('bf-local-key', { endorsements: ['msteams', 'webchat', 'directline'] });
      local = await LocalTeams.start({ teamId: TEAM_ID, appCatalogId: 'catalog-id', meetingOrganizers: [] });
      serviceUrl = `${local.connector.url}/`;
      const config = loadConfig({
        ...REAL,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        MONGODB_URI: db.uri,
        BOT_OPENID_METADATA_URL: issuer.metadataUrl,
        ALLOWED_TENANT_IDS: `${TENANT},${SECOND.toUpperCase()}`,
      });
      const sink = new Writable({
        write(chunk, _encoding, done) {
          logged.push(String(chunk));
          done();
        },
      });
      app = await startApp(config, { local, resume: false, timers: false, log: createLogger('debug', sink) });
    });
    after(async () => {
      await app?.close();
      await local?.stop();
      await issuer?.stop();
      await db?.drop();
    });

    /** Every document in every collection: what "nothing was stored" is checked against. */
    async function everything(): Promise<string> {
      const collections = await app.database.connection.db!.listCollections().toArray();
      const all: Record<string, unknown[]> = {};
      for (const { name } of collections.sort((a, b) => a.name.localeCompare(b.name))) all[name] = await app.database.connection.collection(name).find({}).toArray();
      return JSON.stringify(all);
    }

    async function post(body: Record<string, unknown>) {
      const token = await issuer.channelToken({ appId: APP_ID, serviceUrl: String(body.serviceUrl) });
      const response = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    }

    /** A Teams activity of this tenant, over the fields given (the General channel, Alex). */
    const from = (tenantId: string | undefined, fields: Record<string, unknown>) => {
      const base = teamsActivity({ serviceUrl, tenantId: tenantId ?? '', bot: BOT }, { id: randomUUID(), from: ALEX, ...fields });
      if (tenantId !== undefined) return base;
      return { ...base, conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', isGroup: true }, channelData: { channel: { id: '19:general@thread.tacv2' } } };
    };
    const declare = (tenantId: string | undefined, fields: Record<string, unknown> = {}) => from(tenantId, { type: 'message', ...toBot('declare Should never exist --sev P1', BOT), ...fields });
    const refresh = (tenantId: string | undefined, fields: Record<string, unknown> = {}) =>
      from(tenantId, { type: 'invoke', name: 'adaptiveCard/action', value: { ...cardAction('refresh', { incidentId: '0123456789abcdef01234567', v: 1 }), trigger: 'automatic' }, ...fields });

    const refused: [string, () => Record<string, unknown>][] = [
      ['a Web Chat message of the tenant itself', () => declare(TENANT, { channelId: 'webchat', serviceUrl: 'https://webchat.botframework.com/' })],
      ['a Direct Line message', () => declare(TENANT, { channelId: 'directline', serviceUrl: 'https://directline.botframework.com/' })],
      ['a Teams message from another tenant', () => declare(OTHER)],
      ['a Teams message naming no tenant', () => declare(undefined)],
      ['a Teams message naming our tenant in one place and another in the other', () => ({ ...declare(TENANT), channelData: { tenant: { id: OTHER }, channel: { id: '19:general@thread.tacv2' } } })],
      ['a Teams conversation update from another tenant', () => from(OTHER, { type: 'conversationUpdate', membersAdded: [{ id: '29:someone' }], channelData: { tenant: { id: OTHER }, eventType: 'channelMemberAdded' } })],
    ];
    for (const [what, activity] of refused) {
      it(`refuses ${what} with 403, storing nothing and answering nothing`, async () => {
        const before = await everything();
        const posted = Date.now();
        const answer = await post(activity());
        expect(answer.status).to.equal(403);
        expect(answer.body.message).to.match(/only on Microsoft Teams activities from the organisation it serves/);
        // Nothing stored (no incident, no conversation, no service URL learned) and nothing posted anywhere.
        await new Promise((r) => setTimeout(r, 200));
        expect(await everything()).to.equal(before);
        expect(local.connector.requests.filter((r) => r.at >= posted)).to.have.length(0);
      });
    }

    it('answers a card action from another tenant as Universal Actions expect (HTTP 200, an error in the body), doing nothing', async () => {
      const before = await everything();
      const answer = await post(refresh(OTHER));
      expect(answer.status).to.equal(200);
      expect(answer.body).to.deep.include({ statusCode: 400, type: 'application/vnd.microsoft.error' });
      expect(answer.body.value.message).to.match(/only on Microsoft Teams activities/);
      expect(await everything()).to.equal(before);
    });

    it('learns no service URL from a Web Chat activity: the tenant keeps the one Teams uses', async () => {
      expect((await post(refresh(TENANT))).status).to.equal(200);
      expect(await app.database.store.serviceUrlFor(TENANT)).to.equal(serviceUrl);
      await post(declare(TENANT, { channelId: 'webchat', serviceUrl: 'https://webchat.botframework.com/' }));
      expect(await app.database.store.serviceUrlFor(TENANT)).to.equal(serviceUrl);
      const conversations = await app.database.connection.collection('conversations').find({}).toArray();
      expect(conversations.map((c) => c.serviceUrl)).to.not.include('https://webchat.botframework.com/');
    });

    it('acts on Teams activities of every tenant served, whatever the case of its id', async () => {
      for (const tenantId of [TENANT, TENANT.toUpperCase(), SECOND]) {
        const answer = await post(refresh(tenantId));
        expect(answer.status, tenantId).to.equal(200);
        expect(answer.body.value, tenantId).to.contain('cannot find');
      }
      // One tenant is one tenant in the record, however Teams spelled it.
      const tenants = new Set((await app.database.connection.collection('conversations').find({}).toArray()).map((c) => c.tenantId));
      expect([...tenants].sort()).to.deep.equal([TENANT, SECOND].sort());
    });

    it('logs each refusal as a warning naming the channel and tenant, never the secret or a token', () => {
      const warnings = logged.join('').split('\n').filter((line) => line.includes('refused an activity')).map((line) => JSON.parse(line));
      expect(warnings.some((w) => w.channelId === 'webchat' && w.tenantIds.includes(TENANT) && /not from Microsoft Teams/.test(w.msg))).to.equal(true);
      expect(warnings.some((w) => w.channelId === 'msteams' && w.tenantIds.includes(OTHER) && /tenant this app does not serve/.test(w.msg))).to.equal(true);
      expect(warnings.some((w) => /names no tenant/.test(w.msg))).to.equal(true);
      expect(warnings.every((w) => w.level === 40)).to.equal(true);
      expect(logged.join('')).to.not.contain(SECRET).and.not.contain('Bearer ');
    });
  });

  describe('local mode', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({}, { timers: false });
    });
    after(() => t?.close());

    it('refuses a Web Chat message even without sign-in, and its service URL never replaces the tenant’s: cards of new incidents still arrive', async () => {
      // Web Chat naming local mode's own tenant, with a service URL where nothing listens.
      const webChat = await t.send({ type: 'message', channelId: 'webchat', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'webchat-conversation', tenantId: LOCAL.tenantId }, channelData: { tenant: { id: LOCAL.tenantId } }, text: 'hello' });
      // A monitor declares in that tenant: the card is posted through the connector Teams uses.
      const alert = await fetch(`${t.app.url}/api/alerts/generic`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${LOCAL.alertSecret}` }, body: JSON.stringify({ title: 'Checkout 5xx above 5%', severity: 'critical' }) });
      expect(alert.status).to.equal(202);
      const [incident] = await provisioned(t);
      expect(incident!.tenantId).to.equal(LOCAL.tenantId);
      expect(incident!.card?.serviceUrl).to.equal(`${t.local.connector.url}/`);
      await eventually(() => t.local.world.cardsIn(incident!.channel!.id).length > 0, 5_000, 'the incident card in its channel');
      expect(webChat.status).to.equal(403);
      expect(await t.app.database.store.serviceUrlFor(LOCAL.tenantId, 'webchat-conversation')).to.equal(undefined);
    });

    it('accepts Teams activities of any tenant, and one naming none as local mode’s own', async () => {
      const elsewhere = await t.send({ type: 'message', ...toBot('help'), conversation: { id: '19:general@thread.tacv2', tenantId: 'tenant-elsewhere', conversationType: 'channel' }, channelData: { tenant: { id: 'tenant-elsewhere' } } });
      expect(elsewhere.status).to.equal(200);
      const none = await t.send({ type: 'message', ...toBot('help'), conversation: { id: '19:general@thread.tacv2', conversationType: 'channel' }, channelData: {} });
      expect(none.status).to.equal(200);
      expect(await t.app.database.store.serviceUrlFor('tenant-elsewhere')).to.equal(`${t.local.connector.url}/`);
    });

    it('refuses an activity with no channelId at all (only msteams is Teams)', async () => {
      const answer = await t.send({ type: 'message', channelId: undefined, ...toBot('declare Should never exist') });
      expect(answer.status).to.equal(403);
      expect(await t.incidents()).to.have.length(1);
    });
  });
});
