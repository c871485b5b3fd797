import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { generate } from 'selfsigned';
import { CHAT_RSC, setupGrants } from '../../adapters/graph/permissions.js';
import { BotFrameworkIdentity } from '../../local/standins/botFrameworkIdentity.js';
import { ConnectorStandIn } from '../../local/standins/connectorStandIn.js';
import { EntraIdentity } from '../../local/standins/entraIdentity.js';
import { GraphStandIn } from '../../local/standins/graphStandIn.js';
import type { StandInTls } from '../../local/standins/http.js';
import { cardAction, teamsActivity, toBot } from '../../local/teamsActivities.js';
import { SAMPLE_PEOPLE } from '../../local/world/people.js';
import { TeamsWorld } from '../../local/world/teamsWorld.js';
import type { Incident } from '../../models/incident/incident.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { ALEX } from '../helpers/people.js';
import { startRealModeApp, type RealModeApp } from '../helpers/realModeProcess.js';
import { tabApi } from '../helpers/tabApi.js';
import { cardText } from '../helpers/incidentRoom.js';
import { eventually } from '../helpers/testApp.js';

const APP_ID = '5e0f3c52-8d1a-4b7e-9a35-1c2d3e4f5a6b';
const SECRET = 'real-mode-client-secret-never-logged';
const TENANT = '7c9d2a41-0b6e-4f38-a1d5-93e8f7c6b5a4';
const OTHER_TENANT = '0a1b2c3d-0000-4000-8000-000000000042';
const TEAM_ID = '2f6e8d4c-1a3b-4c5d-8e7f-9a0b1c2d3e4f';
const CATALOG_ID = '8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d';
const ORGANIZER_ID = '3d4e5f6a-7b8c-4d9e-a0f1-b2c3d4e5f6a7';
const BROADCAST_CHANNEL_ID = '19:production-issues@thread.tacv2';
/** Teams' token issuer for this cloud, overridden like the rest (a name, never contacted). */
const BOT_TOKEN_ISSUER = 'https://channel-issuer.incident-room.test';
const BOT_OAUTH_SCOPE = 'https://api.botframework.com';
const BOT = { id: `28:${APP_ID}`, name: 'incident-room' };
const MEMBER = SAMPLE_PEOPLE[1]!;
/** Every Microsoft host name a preset names (public, US Government, 21Vianet), for the "never contacted" checks. */
const MICROSOFT_HOSTS = /microsoftonline|botframework\.(com|us|azure)|graph\.microsoft|microsoft\.us|chinacloudapi|trafficmanager\.net|teams\.microsoft/i;

/** A self-signed certificate for the local servers, as an operator would make for a private endpoint. */
async function localCertificate(): Promise<StandInTls> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  return { certificate: pems.cert, key: pems.private };
}

/** An HTTPS call from the test itself, trusting the local certificate (this process has no NODE_EXTRA_CA_CERTS). */
function call(ca: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * Real mode, whole: the app process started from its own entry point with real-mode settings only
 * (CLOUD=usgov with every endpoint overridden), MSAL's client credentials for Graph, botbuilder's
 * incoming-JWT check and outgoing connector tokens, and the tab's SSO check, all against local
 * HTTPS servers the app trusts through NODE_EXTRA_CA_CERTS. Nothing in the product knows it is local.
 */
describe('real mode against local issuers and services, through the cloud settings only', function () {
  this.timeout(60_000);
  let tls: StandInTls;
  let certDir: string;
  let db: TestDatabase;
  let entra: EntraIdentity;
  let botLogin: EntraIdentity;
  let teams: BotFrameworkIdentity;
  let world: TeamsWorld;
  let graph: GraphStandIn;
  let connector: ConnectorStandIn;
  let app: RealModeApp;
  let record: Database;
  let serviceUrl: string;

  before(async () => {
    tls = await localCertificate();
    certDir = await mkdtemp(join(tmpdir(), 'incident-room-ca-'));
    await writeFile(join(certDir, 'local-ca.pem'), tls.certificate);
    db = await testDatabase();
    const client = { clientId: APP_ID, clientSecret: SECRET, tenantId: TENANT };
    entra = await EntraIdentity.start({ tls, clients: [{ ...client, roles: ['Channel.Create', 'TeamsTab.Create', 'OnlineMeetings.ReadWrite.All'] }] });
    botLogin = await EntraIdentity.start({ tls, clients: [client] });
    teams = await BotFrameworkIdentity.start('bf-local-key', { tls, issuer: BOT_TOKEN_ISSUER });
    world = new TeamsWorld(TEAM_ID, new Set([CATALOG_ID]), new Set([ORGANIZER_ID]));
    graph = new GraphStandIn(world, { granted: setupGrants(), appChatRsc: CHAT_RSC, tls, tokens: entra });
    connector = new ConnectorStandIn(world, { tls, tokens: botLogin, audience: BOT_OAUTH_SCOPE });
    await connector.start(0);
    await graph.start(0);
    // This cloud's Graph is the stand-in: binds and entity URLs must name resources under it, not graph.microsoft.com.
    graph.bindBase = graph.url;
    for (const channel of world.channels.values()) channel.webUrl = `${connector.url}/view/channels/${encodeURIComponent(channel.id)}`;
    serviceUrl = `${connector.url}/`;
    app = await startRealModeApp(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: SECRET,
        MICROSOFT_APP_TENANT_ID: TENANT,
        TEAMS_TEAM_ID: TEAM_ID,
        TEAMS_APP_CATALOG_ID: CATALOG_ID,
        MEETING_ORGANIZER_ID: ORGANIZER_ID,
        BROADCAST_CHANNEL_ID,
        MONGODB_URI: db.uri,
        PUBLIC_BASE_URL: 'https://incidents.contoso.example',
        CLOUD: 'usgov',
        ENTRA_AUTHORITY_HOST: entra.url,
        GRAPH_BASE_URL: graph.url,
        BOT_OPENID_METADATA_URL: teams.metadataUrl,
        BOT_TOKEN_ISSUER,
        BOT_LOGIN_URL: `${botLogin.url}/${TENANT}`,
        BOT_OAUTH_SCOPE,
        BOT_SERVICE_URL: serviceUrl,
        TAB_SSO_JWKS_URL: entra.jwksUrl(TENANT),
      },
      join(certDir, 'local-ca.pem'),
    );
    record = await openDatabase(db.uri);
  });
  after(async () => {
    await app?.stop();
    await record?.close();
    await Promise.all([graph?.stop(), connector?.stop(), entra?.stop(), botLogin?.stop(), teams?.stop()]);
    await db?.drop();
    if (certDir) await rm(certDir, { recursive: true, force: true });
  });

  /** Posts an activity to /api/messages the way Teams does: signed by the channel's issuer. */
  async function fromTeams(fields: Record<string, unknown>) {
    const token = await teams.channelToken({ appId: APP_ID, serviceUrl });
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(teamsActivity({ serviceUrl, tenantId: TENANT, bot: BOT }, { id: randomUUID(), from: ALEX, ...fields })),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  const incidents = async (): Promise<Incident[]> => {
    const docs = await record.connection.collection('incidents').find({}).toArray();
    return (await Promise.all(docs.map((doc) => record.store.findById(String(doc._id))))).filter((i): i is Incident => Boolean(i));
  };
  const incident = async () => (await incidents())[0]!;
  const cardOf = (i: Incident) => world.activities.find((a) => a.id === i.card?.activityId);

  it('declares from a signed Teams message and provisions the war room through the local Graph and connector', async () => {
    const answer = await fromTeams({ type: 'message', ...toBot('declare Checkout API returns 500s --sev P1', BOT) });
    expect(answer.status).to.equal(200);
    const [declared] = await eventually(async () => {
      const all = await incidents();
      return all.length === 1 && all[0]!.provisioning.complete ? all : undefined;
    }, 30_000, 'the provisioned war room');
    expect(declared!.channel?.name).to.match(/^inc-1-checkout-api-returns-500s/);
    expect(world.channels.get(declared!.channel!.id)?.displayName).to.equal(declared!.channel!.name);
    expect(graph.requests.some((r) => r.method === 'POST' && r.path === `/v1.0/teams/${TEAM_ID}/channels`)).to.equal(true);
    expect(declared!.meeting?.joinUrl).to.be.a('string');
    expect(declared!.tab?.id).to.be.a('string');
    // The card and the answer to the reporter went through the connector (which takes only the bot's tokens).
    expect(cardText(cardOf(declared!)?.attachments)).to.contain('INC-1');
    expect(world.activities.some((a) => a.conversationId.startsWith('19:general@thread.tacv2') && /INC-1/.test(cardText(a.text ?? a.attachments)))).to.equal(true);
    // Who asked each issuer for what: Graph tokens from ENTRA_AUTHORITY_HOST, connector tokens from BOT_LOGIN_URL.
    expect(entra.issued.map((t) => [t.tenantId, t.clientId, t.audience])).to.deep.include([TENANT, APP_ID, graph.url]);
    expect(entra.issued.every((t) => t.audience === graph.url)).to.equal(true);
    expect(botLogin.issued.map((t) => [t.tenantId, t.clientId, t.audience])).to.deep.include([TENANT, APP_ID, BOT_OAUTH_SCOPE]);
    expect(botLogin.issued.every((t) => t.audience === BOT_OAUTH_SCOPE)).to.equal(true);
    // MSAL asked each issuer exactly what it needs for a host it does not know: the OpenID configuration, then tokens.
    for (const issuer of [entra, botLogin]) {
      expect(new Set(issuer.requests.map((r) => `${r.method} ${r.path}`))).to.deep.equal(
        new Set([`GET /${TENANT}/v2.0/.well-known/openid-configuration`, `POST /${TENANT}/oauth2/v2.0/token`]),
      );
    }
  });

  it('the stand-ins check every token as the real services do: issuer keys, audience, client secret', async () => {
    const form = (secret: string, scope: string) => new URLSearchParams({ client_id: APP_ID, client_secret: secret, scope, grant_type: 'client_credentials' }).toString();
    const tokenRequest = (issuer: EntraIdentity, secret: string, scope: string) =>
      call(tls.certificate, `${issuer.url}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form(secret, scope) });

    const refused = await tokenRequest(entra, 'wrong-secret', `${graph.url}/.default`);
    expect(refused.status).to.equal(401);
    expect(refused.body).to.have.all.keys('error', 'error_description', 'error_codes', 'timestamp', 'trace_id', 'correlation_id');
    expect(refused.body.error).to.equal('invalid_client');
    expect(refused.body.error_codes).to.deep.equal([7000215]);
    expect(refused.body.error_description).to.match(/^AADSTS7000215: Invalid client secret provided\./);

    const graphToken = (await tokenRequest(entra, SECRET, `${graph.url}/.default`)).body.access_token as string;
    const botToken = (await tokenRequest(botLogin, SECRET, `${BOT_OAUTH_SCOPE}/.default`)).body.access_token as string;
    expect(decodeJwt(graphToken)).to.deep.include({ aud: graph.url, iss: `${entra.url}/${TENANT}/v2.0`, tid: TENANT, appid: APP_ID, azp: APP_ID });
    expect(decodeJwt(botToken)).to.deep.include({ aud: BOT_OAUTH_SCOPE, iss: `${botLogin.url}/${TENANT}/v2.0`, tid: TENANT });

    const teamsChannels = `${graph.url}/v1.0/teams/${TEAM_ID}/channels`;
    expect((await call(tls.certificate, teamsChannels, { headers: { Authorization: `Bearer ${graphToken}` } })).status).to.equal(200);
    const wrongToken = await call(tls.certificate, teamsChannels, { headers: { Authorization: `Bearer ${botToken}` } });
    expect(wrongToken.status).to.equal(401);
    expect(wrongToken.body.error.code).to.equal('InvalidAuthenticationToken');

    const member = `${connector.url}/v3/conversations/${encodeURIComponent('19:general@thread.tacv2')}/members/${encodeURIComponent(MEMBER.id)}`;
    expect((await call(tls.certificate, member, { headers: { Authorization: `Bearer ${botToken}` } })).status).to.equal(200);
    expect((await call(tls.certificate, member, { headers: { Authorization: `Bearer ${graphToken}` } })).status).to.equal(401);
    expect((await call(tls.certificate, member)).status).to.equal(401);
  });

  it('answers a card action (Action.Execute acknowledge) with HTTP 200 and the refreshed card', async () => {
    const current = await incident();
    const versionBefore = cardOf(current)!.version;
    const answer = await fromTeams({
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: current.card!.activityId,
      conversation: { id: `${current.channel!.id};messageid=${current.card!.activityId}`, tenantId: TENANT, conversationType: 'channel', isGroup: true },
      channelData: { tenant: { id: TENANT }, channel: { id: current.channel!.id } },
      value: cardAction('ack', { incidentId: current.id, v: current.version }),
    });
    expect(answer.status).to.equal(200);
    expect(answer.body.statusCode).to.equal(200);
    expect(cardText(answer.body.value)).to.contain('Alex Wilber acknowledged INC-1');
    await eventually(async () => (await incident()).milestones.acknowledged, 30_000, 'the acknowledged milestone');
    // Everyone's card is refreshed in the channel, through the connector.
    await eventually(() => cardOf(current)!.version > versionBefore, 30_000, 'the refreshed channel card');
  });

  it('lets a team member into the tab API with an SSO token from the local Entra issuer, and refuses other issuers and tenants with 401', async () => {
    const current = await incident();
    const tab = (token?: string) => tabApi(app.url, current.id, token ? { Authorization: `Bearer ${token}` } : {});
    const user = { appId: APP_ID, oid: MEMBER.aadObjectId, name: MEMBER.name };

    const timeline = await tab(await entra.userToken({ ...user, tenantId: TENANT })).get('/events');
    expect(timeline.status).to.equal(200);
    expect(timeline.body.events.map((e: { kind: string }) => e.kind)).to.include.members(['declared', 'acknowledged']);

    const strangers: [string, string | undefined][] = [
      ['no token', undefined],
      ['another tenant, same issuer host', await entra.userToken({ ...user, tenantId: OTHER_TENANT })],
      ['another issuer (the bot login host)', await botLogin.userToken({ ...user, tenantId: TENANT })],
      ['another audience', await entra.userToken({ ...user, appId: '00000000-0000-0000-0000-00000000beef', tenantId: TENANT })],
    ];
    for (const [what, token] of strangers) {
      const answer = await tab(token).get('/events');
      expect(answer.status, what).to.equal(401);
      expect(answer.text, what).not.to.contain('Checkout API');
    }
    // The keys came from TAB_SSO_JWKS_URL, on the local issuer.
    expect(entra.requests.some((r) => r.method === 'GET' && r.path === `/${TENANT}/discovery/v2.0/keys`)).to.equal(true);
  });

  it('never reached for a Microsoft host: no lookup, no log line naming one, and no secret or token in the logs', () => {
    expect(app.refusedLookups).to.deep.equal([]);
    const logged = app.logs.map((line) => JSON.stringify(line));
    expect(logged.filter((line) => MICROSOFT_HOSTS.test(line))).to.deep.equal([]);
    expect(logged.filter((line) => /ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(line))).to.deep.equal([]);
    expect(app.logs.filter((line) => Number(line.level) >= 50).map((line) => JSON.stringify(line))).to.deep.equal([]);
    expect(logged.join('\n')).not.to.contain(SECRET);
    expect(logged.some((line) => line.includes('"msg":"request"'))).to.equal(true);
  });
});
