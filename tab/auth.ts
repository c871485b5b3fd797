/**
 * Who is calling the tab API. Inside Teams the tab sends a Teams SSO token
 * (`authentication.getAuthToken()`): an Entra access token for our app. We check it here, on the
 * server: signature against the tenant's published keys, audience (our app id or its Application
 * ID URI), issuer (v1 or v2 form, our tenant only), expiry, the `access_as_user` scope; then that
 * the person belongs to the incidents team. Local mode checks the same way, against the local
 * Entra stand-in that issues the sandbox's tokens (see local/standins/entraIdentity.ts).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface TabIdentity {
  /** Entra object id (`oid`). */
  readonly userId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly upn?: string;
}

/** 401: not signed in properly; 403: signed in but not allowed; 503: we could not check right now. */
export class TabAuthError extends Error {
  constructor(readonly status: 401 | 403 | 503, message: string) {
    super(message);
  }
}

type Claims = JWTPayload & { tid?: string; oid?: string; scp?: string; name?: string; preferred_username?: string; upn?: string; azp?: string; appid?: string };

export type TabAuthenticator = (authorizationHeader: string | undefined) => Promise<TabIdentity>;

export interface SsoOptions {
  readonly appId: string;
  readonly tenantId: string;
  /** Application ID URI, e.g. api://incidents.contoso.com/{appId}: accepted as audience besides the app id. */
  readonly resource?: string;
  readonly jwksUrl?: string;
  /** The cloud's Entra login host (the v2 issuer is under it); the public cloud's by default. */
  readonly authorityHost?: string;
  /** Whether this Entra user belongs to the incidents team. */
  readonly isMember: (userId: string) => Promise<boolean>;
  readonly now?: () => Date;
  /** How long a membership answer (yes or no) is reused; default 5 minutes. */
  readonly membershipCacheMs?: number;
  /** Allowed clock skew; default 60 s. */
  readonly clockToleranceSec?: number;
}

const MEMBERSHIP_CACHE_ENTRIES = 5_000;
/** Tokens whose checked claims are kept: one per signed-in person for an hour is far below this. */
const TOKEN_CACHE_ENTRIES = 5_000;
const SIGN_IN = 'Sign-in required: open the tab inside Teams, which sends a Teams SSO token with each request.';

/** What went wrong with a token, in words a person (or an admin) can act on; never the token itself. */
function explain(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'Your Teams sign-in has expired; reload the tab.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (claim === 'aud') return 'The sign-in token is for another app (wrong audience); check TAB_SSO_RESOURCE and the manifest webApplicationInfo.';
    if (claim === 'iss') return 'The sign-in token was issued by another tenant or authority; this app only accepts its own tenant.';
    if (claim === 'nbf') return 'The sign-in token is not valid yet; check the server clock.';
    return `The sign-in token was refused (${claim} claim).`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'The sign-in token is signed with a key this tenant does not publish.';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The sign-in token signature is not valid.';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid || error instanceof errors.JOSEAlgNotAllowed) return 'The sign-in token is malformed.';
  return 'The sign-in token could not be verified.';
}

const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

/** Teams in a browser: the client the sandbox stands for when it asks for the tab's token. */
export const TEAMS_WEB_CLIENT_ID = '5e3ce6c0-2b1f-4285-8d4b-75ee78787346';

/**
 * The Microsoft 365 clients that may ask Entra for a token to this app on a person's behalf (the
 * "authorized client applications" of "Configure your tab app in Microsoft Entra ID"): Teams
 * desktop/mobile and web, the Microsoft 365 app and Outlook. A token issued to any other client
 * (`azp` in v2 tokens, `appid` in v1) did not come from a Teams tab.
 */
export const MICROSOFT_365_CLIENT_IDS: ReadonlySet<string> = new Set([
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams mobile or desktop
  TEAMS_WEB_CLIENT_ID, // Teams web
  '4765445b-32c6-49b0-83e6-1d93765276ca', // Microsoft 365 web
  '0ec893e0-5785-4de6-99da-4ed124e5296c', // Microsoft 365 desktop
  'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Microsoft 365 mobile, Outlook desktop
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
  '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
]);

export function ssoAuthenticator(options: SsoOptions): TabAuthenticator {
  const appId = options.appId;
  // Entra writes tenant ids in lower case; a setting may not.
  const tenantId = options.tenantId.toLowerCase();
  const now = options.now ?? (() => new Date());
  const cacheMs = options.membershipCacheMs ?? 5 * 60_000;
  const authority = options.authorityHost ?? PUBLIC_AUTHORITY;
  const keys = createRemoteJWKSet(new URL(options.jwksUrl ?? `${authority}/${tenantId}/discovery/v2.0/keys`));
  const audiences = [appId, ...(options.resource ? [options.resource] : [])];
  // v2 tokens and v1 tokens (the Teams default) name the issuer differently; both only for our tenant.
  // The v1 issuer host is documented for the public cloud only, so elsewhere only v2 tokens are taken.
  const issuers = [`${authority}/${tenantId}/v2.0`, ...(authority === PUBLIC_AUTHORITY ? [`https://sts.windows.net/${tenantId}/`] : [])];
  const membership = new Map<string, { member: boolean; until: number }>();

  async function isMember(userId: string): Promise<boolean> {
    const at = now().getTime();
    const cached = membership.get(userId);
    if (cached && cached.until > at) return cached.member;
    let member: boolean;
    try {
      member = await options.isMember(userId);
    } catch {
      throw new TabAuthError(503, 'Could not check your membership of the incidents team right now; try again in a moment.');
    }
    if (membership.size >= MEMBERSHIP_CACHE_ENTRIES) membership.delete(membership.keys().next().value!);
    membership.set(userId, { member, until: at + cacheMs });
    return member;
  }

  /**
   * Claims of tokens that passed every check, by the token's exact text, until the token's `exp`:
   * the tab sends the same token with each call for its hour, and a signature check per call is
   * the dearest part of a request. Only successes are kept; a refusal is checked afresh each time.
   */
  const verified = new Map<string, { claims: Claims; until: number }>();

  async function checkedClaims(token: string): Promise<Claims> {
    const at = now().getTime();
    const cached = verified.get(token);
    if (cached && cached.until > at) return cached.claims;
    if (cached) verified.delete(token);
    const claims = await verify(token);
    if (verified.size >= TOKEN_CACHE_ENTRIES) verified.delete(verified.keys().next().value!);
    // requiredClaims makes exp present; a token is reused until its exp, never into the clock tolerance.
    verified.set(token, { claims, until: Number(claims.exp) * 1000 });
    return claims;
  }

  async function verify(token: string): Promise<Claims> {
    let claims: Claims;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        audience: audiences,
        issuer: issuers,
        currentDate: now(),
        clockTolerance: options.clockToleranceSec ?? 60,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || (error instanceof Error && /fetch|ECONNREFUSED|network/i.test(error.message) && !(error instanceof errors.JOSEError))) {
        throw new TabAuthError(503, 'Could not fetch the tenant’s signing keys to check your sign-in; try again in a moment.');
      }
      throw new TabAuthError(401, explain(error));
    }
    if (String(claims.tid ?? '').toLowerCase() !== tenantId) throw new TabAuthError(401, 'The sign-in token belongs to another tenant; this app only accepts its own tenant.');
    if (!MICROSOFT_365_CLIENT_IDS.has(String(claims.azp ?? claims.appid ?? '').toLowerCase())) {
      throw new TabAuthError(401, 'The sign-in token was not issued to Teams or another Microsoft 365 client; open the tab in Teams.');
    }
    if (!String(claims.scp ?? '').split(' ').includes('access_as_user')) {
      throw new TabAuthError(401, 'The sign-in token lacks the access_as_user scope; expose that scope in the app registration (see README).');
    }
    if (!claims.oid) throw new TabAuthError(401, 'The sign-in token does not say who you are (no oid claim).');
    return claims;
  }

  return async (header) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!token) throw new TabAuthError(401, SIGN_IN);
    const claims = await checkedClaims(token);
    // Membership is asked each time (through its own, shorter cache): leaving the team ends access within minutes.
    if (!(await isMember(claims.oid!))) {
      throw new TabAuthError(403, 'You are not a member of the incidents team, so you cannot see incidents here. Ask a team owner to add you.');
    }
    return { userId: claims.oid!, tenantId, name: claims.name ?? claims.preferred_username ?? claims.upn ?? 'Teams user', upn: claims.preferred_username ?? claims.upn };
  };
}
