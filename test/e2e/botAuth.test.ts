import { randomUUID } from 'node:crypto';
import { generateKeyPair } from 'jose';
import { expect } from 'chai';
import { loadConfig } from '../../config.js';
import { Writable } from 'node:stream';
import { createLogger, startApp, type RunningApp } from '../../server.js';
import { BotFrameworkIdentity } from '../../local/standins/botFrameworkIdentity.js';
import { LocalTeams } from '../../local/localTeams.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { ALEX } from '../helpers/people.js';
import { cardAction, teamsActivity } from '../../local/teamsActivities.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '66666666-7777-8888-9999-000000000000';

/**
 * Real mode's /api/messages, with botbuilder's own token validation against a local Bot
 * Framework issuer (OpenID metadata + keys). A card refresh needs no outgoing call, so a valid
 * token gets a real answer without reaching Microsoft.
 */
describe('Bot Framework authentication on /api/messages (real mode)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let local: LocalTeams;
  let issuer: BotFrameworkIdentity;
  let app: RunningApp;
  let serviceUrl: string;
  const logged: string[] = [];
  const tokensSent: string[] = [];

  before(async () => {
    db = await testDatabase();
    issuer = await BotFrameworkIdentity.start();
    local = await LocalTeams.start({ teamId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', appCatalogId: 'catalog-id', meetingOrganizers: [] });
    serviceUrl = `${local.connector.url}/`;
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'a-client-secret-never-logged',
      MICROSOFT_APP_TENANT_ID: TENANT,
      TEAMS_TEAM_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      TEAMS_APP_CATALOG_ID: 'catalog-id',
      MONGODB_URI: db.uri,
      PUBLIC_BASE_URL: 'https://incidents.example.com',
      BOT_OPENID_METADATA_URL: issuer.metadataUrl,
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

  const refresh = () =>
    teamsActivity({ serviceUrl, tenantId: TENANT, bot: { id: `28:${APP_ID}`, name: 'incident-room' } }, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: randomUUID(),
      from: ALEX,
      value: { ...cardAction('refresh', { incidentId: '0123456789abcdef01234567', v: 1 }), trigger: 'automatic' },
    });

  async function post(authorization: string | undefined, body: object = refresh()) {
    if (authorization) tokensSent.push(authorization.replace(/^Bearer /, ''));
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  it('answers an activity with a valid Bot Framework token', async () => {
    const token = await issuer.channelToken({ appId: APP_ID, serviceUrl });
    const answer = await post(`Bearer ${token}`);
    expect(answer.status).to.equal(200);
    expect(answer.body.value).to.contain('cannot find');
  });

  const refused: [string, () => Promise<string | undefined>][] = [
    ['no Authorization header', async () => undefined],
    ['a malformed header', async () => 'Bearer not.a.jwt'],
    ['a token for another app', async () => `Bearer ${await issuer.channelToken({ appId: '99999999-2222-3333-4444-555555555555', serviceUrl })}`],
    ['a token from another issuer', async () => `Bearer ${await issuer.channelToken({ appId: APP_ID, serviceUrl, issuer: 'https://sts.example.com' })}`],
    ['an expired token', async () => `Bearer ${await issuer.channelToken({ appId: APP_ID, serviceUrl, expiresIn: '-10m' })}`],
    ['a token signed by another key under the published key id', async () => `Bearer ${await issuer.channelToken({ appId: APP_ID, serviceUrl, signWith: (await generateKeyPair('RS256')).privateKey })}`],
    ['a token naming a key that is not published', async () => `Bearer ${await issuer.channelToken({ appId: APP_ID, serviceUrl }, 'unknown-kid')}`],
    ['a token for another service URL', async () => `Bearer ${await issuer.channelToken({ appId: APP_ID, serviceUrl: 'https://attacker.example.com/' })}`],
  ];
  for (const [what, header] of refused) {
    it(`refuses ${what} with 401 and does nothing`, async () => {
      const before = await app.database.connection.collection('incidents').countDocuments();
      const answer = await post(await header(), { ...refresh(), type: 'message', text: 'declare Should never exist', value: undefined, name: undefined });
      expect(answer.status).to.equal(401);
      expect(await app.database.connection.collection('incidents').countDocuments()).to.equal(before);
    });
  }

  it('never writes the client secret or a token to the logs', () => {
    const all = logged.join('');
    expect(all).to.contain('"msg":"request"');
    expect(all).to.not.contain('a-client-secret-never-logged');
    for (const token of tokensSent.filter((t) => t.length > 20)) expect(all).to.not.contain(token);
  });
});
