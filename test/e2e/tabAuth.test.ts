import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createGraphClient, localTokens } from '../../adapters/graph/graphClient.js';
import { GraphWorkspace } from '../../adapters/graph/graphWorkspace.js';
import { ssoAuthenticator } from '../../tab/auth.js';
import { SAMPLE_PEOPLE } from '../../local/world/people.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { tabApi } from '../helpers/tabApi.js';
import { TENANT } from '../helpers/testApp.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const MEMBER = SAMPLE_PEOPLE[1]!;
const OUTSIDER_OID = '99999999-0000-0000-0000-000000000000';

/**
 * The tab API in real-mode sign-in: Teams SSO tokens signed by a locally generated key, served
 * from a local JWKS endpoint; membership checked against the incidents team through Graph (the
 * stand-in). What the authenticator checks in detail is in test/tab/auth.test.ts; here, that the
 * API refuses what it must, over HTTP, and lets a member in.
 */
describe('incident tab API with Teams SSO', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let jwks: Server;
  let key: CryptoKey;
  let api: (token?: string) => ReturnType<typeof tabApi>;

  const token = (claims: Record<string, unknown> = {}, options: { expiresIn?: string; signWith?: CryptoKey } = {}) =>
    new SignJWT({ tid: TENANT, oid: MEMBER.aadObjectId, name: MEMBER.name, scp: 'access_as_user', azp: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(`https://login.microsoftonline.com/${(claims.tid as string | undefined) ?? TENANT}/v2.0`)
      .setAudience((claims.aud as string | undefined) ?? APP_ID)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.signWith ?? key);

  before(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', () => resolve()));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`;
    // The incidents team's members come from the Graph stand-in, as they would from Graph.
    let workspace: GraphWorkspace | undefined;
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P2', {
      tabAuthenticator: ssoAuthenticator({ appId: APP_ID, tenantId: TENANT, jwksUrl, isMember: (oid) => workspace!.isTeamMember(oid) }),
    });
    workspace = new GraphWorkspace(createGraphClient(room.t.local.graph.url, localTokens), { teamId: room.t.app.config.teamId, appCatalogId: room.t.app.config.appCatalogId, graphBaseUrl: room.t.app.config.graphBaseUrl, botAppId: room.t.local.world.botAppId });
    const incidentId = (await room.incident()).id;
    api = (bearer) => tabApi(room.t.app.url, incidentId, bearer ? { Authorization: `Bearer ${bearer}` } : {});
  });
  after(async () => {
    await room?.close();
    jwks?.close();
  });

  it('lets a member of the incidents team in, under their own name', async () => {
    const answer = await api(await token()).get();
    expect(answer.status).to.equal(200);
    expect(answer.body.identity).to.deep.equal({ name: MEMBER.name, dev: false });
    const note = await api(await token()).note('signed-in note');
    expect(note.status).to.equal(201);
    await room.t.app.actions.drain();
    const notes = (await api(await token()).get('/events?kinds=note')).body.events;
    expect(notes[0].actor).to.equal(MEMBER.name);
  });

  it('refuses a missing, expired, wrong-audience, wrong-tenant or forged token with 401', async () => {
    const other = await generateKeyPair('RS256');
    const cases: [string, string | undefined][] = [
      ['missing', undefined],
      ['garbage', 'not.a.jwt'],
      ['expired', await token({}, { expiresIn: '-5m' })],
      ['wrong audience', await token({ aud: 'api://someone-else/00000000-0000-0000-0000-000000000000' })],
      ['wrong tenant', await token({ tid: '22222222-0000-0000-0000-000000000000' })],
      ['forged (other key)', await token({}, { signWith: other.privateKey })],
      ['no access_as_user scope', await token({ scp: 'User.Read' })],
    ];
    for (const [what, bearer] of cases) {
      const answer = await api(bearer).get();
      expect(answer.status, what).to.equal(401);
      expect(answer.body.error, what).to.be.a('string').and.not.empty;
      if (bearer) expect(answer.text, what).not.to.contain(bearer);
      // Nothing leaks about the incident to someone who is not signed in.
      expect(answer.text, what).not.to.contain('Checkout API');
    }
  });

  it('refuses a signed-in person who is not in the incidents team with 403, on reads and writes', async () => {
    const outsider = await token({ oid: OUTSIDER_OID, name: 'Mallory' });
    const read = await api(outsider).get('/events');
    expect(read.status).to.equal(403);
    expect(read.body.error).to.match(/not a member of the incidents team/);
    expect((await api(outsider).note('let me in')).status).to.equal(403);
    await room.t.app.actions.drain();
    expect(JSON.stringify((await api(await token()).get('/events?kinds=note')).body)).not.to.contain('let me in');
  });
});
