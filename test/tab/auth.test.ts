import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ssoAuthenticator, TabAuthError, type SsoOptions, type TabAuthenticator } from '../../tab/auth.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const RESOURCE = `api://incidents.example.com/${APP_ID}`;
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const OID = '00000000-1111-2222-3333-444444444444';
const NOW = new Date('2026-11-23T10:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The Teams SSO check in detail, with tokens signed by locally generated keys and a local JWKS
 * endpoint. Time is injected, so expiry and the membership cache are tested without waiting.
 */
describe('Teams SSO authenticator', () => {
  let jwks: Server;
  let jwksUrl: string;
  let key: CryptoKey;
  let stranger: CryptoKey;
  let keyRequests = 0;

  before(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    stranger = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      keyRequests++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', () => resolve()));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`;
  });
  after(() => jwks.close());

  interface TokenOptions {
    claims?: Record<string, unknown>;
    issuer?: string;
    audience?: string;
    issuedAt?: Date;
    expires?: Date;
    notBefore?: Date;
    kid?: string;
    signWith?: CryptoKey;
  }
  const token = (o: TokenOptions = {}) => {
    const jwt = new SignJWT({ tid: TENANT, oid: OID, name: 'Adele Vance', preferred_username: 'adele@contoso.example', scp: 'User.Read access_as_user', azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', ...o.claims })
      .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'k1' })
      .setIssuer(o.issuer ?? `https://login.microsoftonline.com/${TENANT}/v2.0`)
      .setAudience(o.audience ?? APP_ID)
      .setIssuedAt(seconds(o.issuedAt ?? new Date(NOW.getTime() - 60_000)))
      .setExpirationTime(seconds(o.expires ?? new Date(NOW.getTime() + 3_600_000)));
    if (o.notBefore) jwt.setNotBefore(seconds(o.notBefore));
    return jwt.sign(o.signWith ?? key);
  };

  const authenticator = (overrides: Partial<SsoOptions> = {}): TabAuthenticator =>
    ssoAuthenticator({ appId: APP_ID, tenantId: TENANT, resource: RESOURCE, jwksUrl, isMember: async () => true, now: () => NOW, ...overrides });

  const refusal = async (auth: TabAuthenticator, header: string | undefined): Promise<TabAuthError> => {
    try {
      await auth(header);
    } catch (error) {
      expect(error).to.be.instanceOf(TabAuthError);
      return error as TabAuthError;
    }
    throw new Error('the token was accepted');
  };

  it('accepts a v2 token for the app id and says who it is', async () => {
    const identity = await authenticator()(`Bearer ${await token()}`);
    expect(identity).to.deep.equal({ userId: OID, tenantId: TENANT, name: 'Adele Vance', upn: 'adele@contoso.example' });
  });

  it('accepts the v1 token Teams usually sends: sts.windows.net issuer and the Application ID URI as audience', async () => {
    // v1 tokens name the client in appid rather than azp.
    const identity = await authenticator()(`Bearer ${await token({ issuer: `https://sts.windows.net/${TENANT}/`, audience: RESOURCE, claims: { name: undefined, upn: 'adele@contoso.example', azp: undefined, appid: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' } })}`);
    expect(identity.userId).to.equal(OID);
    expect(identity.upn).to.equal('adele@contoso.example');
  });

  it('compares tenant ids without regard to case (a setting in capitals still matches Entra’s lower case)', async () => {
    expect((await authenticator({ tenantId: TENANT.toUpperCase() })(`Bearer ${await token()}`)).userId).to.equal(OID);
  });

  it('in another cloud takes v2 tokens from that cloud’s login host only (no public-cloud or v1 issuers)', async () => {
    const gov = authenticator({ authorityHost: 'https://login.microsoftonline.us' });
    expect((await gov(`Bearer ${await token({ issuer: `https://login.microsoftonline.us/${TENANT}/v2.0` })}`)).userId).to.equal(OID);
    expect((await refusal(gov, `Bearer ${await token()}`)).status).to.equal(401);
    expect((await refusal(gov, `Bearer ${await token({ issuer: `https://sts.windows.net/${TENANT}/`, audience: RESOURCE })}`)).status).to.equal(401);
  });

  const refusals: [string, () => Promise<string | undefined>, RegExp][] = [
    ['no Authorization header', async () => undefined, /Sign-in required/],
    ['a non-Bearer scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, /Sign-in required/],
    ['a malformed token', async () => 'Bearer not.a.jwt', /malformed/],
    ['an expired token', async () => `Bearer ${await token({ issuedAt: new Date(NOW.getTime() - 7_200_000), expires: new Date(NOW.getTime() - 120_000) })}`, /expired/],
    ['a token not valid yet', async () => `Bearer ${await token({ notBefore: new Date(NOW.getTime() + 600_000) })}`, /not valid yet/],
    ['another app’s audience', async () => `Bearer ${await token({ audience: 'api://other.example.com/22222222-0000-0000-0000-000000000000' })}`, /wrong audience/],
    ['another tenant’s issuer', async () => `Bearer ${await token({ issuer: 'https://login.microsoftonline.com/ffffffff-0000-0000-0000-000000000000/v2.0' })}`, /another tenant or authority/],
    ['our issuer but another tenant id claim', async () => `Bearer ${await token({ claims: { tid: 'ffffffff-0000-0000-0000-000000000000' } })}`, /another tenant/],
    ['a token signed with another key under our kid', async () => `Bearer ${await token({ signWith: stranger })}`, /signature is not valid/],
    ['a token naming a key the tenant does not publish', async () => `Bearer ${await token({ kid: 'unknown', signWith: stranger })}`, /does not publish/],
    ['a token without the access_as_user scope', async () => `Bearer ${await token({ claims: { scp: 'User.Read' } })}`, /access_as_user/],
    ['a token without an oid', async () => `Bearer ${await token({ claims: { oid: undefined } })}`, /no oid/],
    ['a token issued to another client than Teams or Microsoft 365', async () => `Bearer ${await token({ claims: { azp: '99999999-0000-0000-0000-00000000c11e' } })}`, /not issued to Teams/],
    ['a token naming no client', async () => `Bearer ${await token({ claims: { azp: undefined } })}`, /not issued to Teams/],
  ];
  for (const [name, header, message] of refusals) {
    it(`refuses ${name} with 401 and a message that says why`, async () => {
      const value = await header();
      const error = await refusal(authenticator(), value);
      expect(error.status).to.equal(401);
      expect(error.message).to.match(message);
      // The message is shown to people and logged: it never carries the token.
      const raw = value?.split(' ')[1];
      if (raw && raw.length > 20) expect(error.message).not.to.contain(raw.slice(0, 20));
    });
  }

  it('refuses an alg=none token', async () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ tid: TENANT, oid: OID, aud: APP_ID, scp: 'access_as_user', exp: seconds(NOW) + 3600 })).toString('base64url')}.`;
    expect((await refusal(authenticator(), `Bearer ${unsigned}`)).status).to.equal(401);
  });

  it('tolerates a minute of clock skew, not more', async () => {
    const justExpired = await token({ issuedAt: new Date(NOW.getTime() - 3_600_000), expires: new Date(NOW.getTime() - 30_000) });
    expect((await authenticator()(`Bearer ${justExpired}`)).userId).to.equal(OID);
    const longExpired = await token({ issuedAt: new Date(NOW.getTime() - 3_600_000), expires: new Date(NOW.getTime() - 90_000) });
    expect((await refusal(authenticator(), `Bearer ${longExpired}`)).status).to.equal(401);
  });

  it('refuses non-members with 403, and remembers the answer for the cache period only', async () => {
    let now = NOW;
    const asked: string[] = [];
    let member = false;
    const auth = authenticator({ now: () => now, membershipCacheMs: 60_000, isMember: async (oid) => (asked.push(oid), member) });
    const header = `Bearer ${await token({ expires: new Date(NOW.getTime() + 3_600_000) })}`;
    expect((await refusal(auth, header)).status).to.equal(403);
    member = true; // added to the team just now
    expect((await refusal(auth, header)).status).to.equal(403, 'the cached "no" stands within the cache period');
    expect(asked).to.have.length(1);
    now = new Date(NOW.getTime() + 61_000);
    expect((await auth(header)).userId).to.equal(OID);
    expect(asked).to.have.length(2);
    await auth(header);
    expect(asked).to.have.length(2, 'the "yes" is cached too');
  });

  it('answers 503 (and caches nothing) when membership cannot be checked', async () => {
    let fail = true;
    let calls = 0;
    const auth = authenticator({
      isMember: async () => {
        calls++;
        if (fail) throw new Error('Graph said 503');
        return true;
      },
    });
    const header = `Bearer ${await token()}`;
    const error = await refusal(auth, header);
    expect(error.status).to.equal(503);
    expect(error.message).to.match(/try again/);
    fail = false;
    expect((await auth(header)).userId).to.equal(OID);
    expect(calls).to.equal(2);
  });

  it('answers 503 when the signing keys cannot be fetched', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/keys`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await refusal(authenticator({ jwksUrl: url }), `Bearer ${await token()}`);
    expect(error.status).to.equal(503);
  });

  it('fetches the tenant keys once, not per request', async () => {
    const auth = authenticator();
    const before = keyRequests;
    for (let i = 0; i < 5; i++) await auth(`Bearer ${await token()}`);
    expect(keyRequests - before).to.equal(1);
  });
  describe('checked tokens kept until their exp', () => {
    it('keeps accepting a checked token until its exp, and refuses it as expired once the clock tolerance is past', async () => {
      let now = NOW;
      const auth = authenticator({ now: () => now });
      const header = `Bearer ${await token({ expires: new Date(NOW.getTime() + 120_000) })}`;
      expect((await auth(header)).userId).to.equal(OID);
      now = new Date(NOW.getTime() + 119_000);
      expect((await auth(header)).userId).to.equal(OID);
      now = new Date(NOW.getTime() + 120_000 + 61_000);
      const refused = await refusal(auth, header);
      expect([refused.status, refused.message]).to.deep.equal([401, 'Your Teams sign-in has expired; reload the tab.']);
    });

    it('never keeps a refusal: a token not valid yet is accepted once its nbf comes', async () => {
      let now = NOW;
      const auth = authenticator({ now: () => now });
      const header = `Bearer ${await token({ notBefore: new Date(NOW.getTime() + 600_000) })}`;
      expect((await refusal(auth, header)).status).to.equal(401);
      expect((await refusal(auth, header)).status).to.equal(401);
      now = new Date(NOW.getTime() + 600_000);
      expect((await auth(header)).userId).to.equal(OID);
    });

    it('refuses a forged copy of a checked token (kept by exact text), and still asks about membership for a kept one', async () => {
      let now = NOW;
      let member = true;
      const auth = authenticator({ now: () => now, membershipCacheMs: 60_000, isMember: async () => member });
      const good = await token();
      await auth(`Bearer ${good}`);
      const [head, body] = good.split('.');
      const forged = `${head}.${body}.${Buffer.from('not the signature').toString('base64url')}`;
      expect((await refusal(auth, `Bearer ${forged}`)).status).to.equal(401);
      member = false;
      now = new Date(NOW.getTime() + 61_000);
      expect((await refusal(auth, `Bearer ${good}`)).status).to.equal(403);
    });
  });
});
