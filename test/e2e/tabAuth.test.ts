import { expect } from 'chai';
import { generateKeyPair } from 'jose';
import { teamsSsoToken } from '../../local/sandbox/ssoToken.js';
import type { UserTokenOptions } from '../../local/standins/entraIdentity.js';
import { MEGAN, OUTSIDER, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

/**
 * Sign-in to the tab API in local mode: the same Teams SSO check as real mode (ssoAuthenticator),
 * against the local Entra stand-in's published keys and issuer; membership of the incidents team
 * asked through Graph (the stand-in knows the team). What the validator checks in detail is in
 * test/tab/auth.test.ts; here, that the running app refuses what it must, over HTTP, and lets a
 * member in under their own name.
 */
describe('incident tab API sign-in (Teams SSO against the local Entra stand-in)', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: (headers?: Record<string, string> | Promise<Record<string, string>>) => ReturnType<typeof tabApi>;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  /** A token signed by the local Entra stand-in (or, with signWith, by someone else under its key id). */
  const token = (options: Partial<UserTokenOptions> = {}) =>
    room.t.local.entra.userToken({ appId: room.t.app.config.tabSso.appId, tenantId: room.t.app.config.tabSso.tenantId, oid: MEGAN.aadObjectId, name: MEGAN.name, clientId: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', ...options });
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  before(async () => {
    room = await openIncidentRoom();
    const incidentId = (await room.incident()).id;
    api = (headers = {}) => tabApi(room.t.app.url, incidentId, headers);
  });
  after(() => room?.close());

  it('lets a member in under their own name, with the token Entra gives Teams for them', async () => {
    const answer = await api(signedInAs(room.t.app, MEGAN)).get();
    expect(answer.status).to.equal(200);
    expect(answer.body.identity).to.deep.equal({ name: MEGAN.name });
    expect((await api(signedInAs(room.t.app, MEGAN)).note('signed-in note')).status).to.equal(201);
    await room.t.app.actions.drain();
    const notes = (await api(signedInAs(room.t.app, MEGAN)).get('/events?kinds=note')).body.events;
    expect(notes[0].actor).to.equal(MEGAN.name);
  });

  it('refuses a missing, unsigned, forged, expired, wrong-audience, wrong-tenant, wrong-client or scope-less token with 401', async () => {
    const other = await generateKeyPair('RS256');
    const real = await token();
    const [, payload] = real.split('.');
    const cases: [string, string | undefined][] = [
      ['missing', undefined],
      ['garbage', 'not.a.jwt'],
      ['unsigned (alg none)', `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`],
      ['signature stripped', `${real.split('.').slice(0, 2).join('.')}.`],
      ['forged (another key under the stand-in’s key id)', await token({ signWith: other.privateKey })],
      ['expired', await token({ expiresIn: '-5m' })],
      ['another audience', await token({ appId: '22222222-3333-4444-5555-666666666666' })],
      ['another tenant', await token({ tenantId: 'another-tenant' })],
      ['issued to a client that is not Teams', await token({ clientId: '33333333-0000-0000-0000-000000000000' })],
      ['no access_as_user scope', await token({ scp: 'User.Read' })],
    ];
    for (const [what, value] of cases) {
      const answer = await api(value ? bearer(value) : {}).get();
      expect(answer.status, what).to.equal(401);
      expect(answer.body.error, what).to.be.a('string').and.not.empty;
      if (value) expect(answer.text, what).not.to.contain(value);
      // Nothing leaks about the incident to someone who is not signed in.
      expect(answer.text, what).not.to.contain('Checkout API');
    }
  });

  it('refuses a signed-in person who is not in the incidents team with 403, on reads and writes', async () => {
    const outsider = bearer(await token({ oid: OUTSIDER.aadObjectId, name: OUTSIDER.name }));
    const read = await api(outsider).get('/events');
    expect(read.status).to.equal(403);
    expect(read.body.error).to.match(/not a member of the incidents team/);
    expect((await api(outsider).note('let me in')).status).to.equal(403);
    await room.t.app.actions.drain();
    expect(JSON.stringify((await api(signedInAs(room.t.app)).get('/events?kinds=note')).body)).not.to.contain('let me in');
  });

  it('Entra gives no token for someone outside the directory, nor to a client the app did not authorize', async () => {
    const { tabSso } = room.t.app.config;
    const nobody = await teamsSsoToken(room.t.local.entra.url, tabSso.tenantId, tabSso, OUTSIDER.aadObjectId);
    expect(nobody).to.include({ status: 400 });
    expect('error' in nobody && nobody.error).to.match(/^AADSTS50034/);
    const wrongScope = await teamsSsoToken(room.t.local.entra.url, tabSso.tenantId, { appId: '44444444-0000-0000-0000-000000000000' }, MEGAN.aadObjectId);
    expect('error' in wrongScope && wrongScope.error).to.match(/^AADSTS500011/);
    const response = await fetch(`${room.t.local.entra.url}/_fake/${tabSso.tenantId}/sso-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: '33333333-0000-0000-0000-000000000000', scope: `${tabSso.resource}/access_as_user`, login_hint: MEGAN.aadObjectId }),
    });
    expect(response.status).to.equal(400);
    expect(((await response.json()) as { error: string }).error).to.equal('consent_required');
  });
});
