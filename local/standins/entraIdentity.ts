/**
 * Microsoft Entra ID's token issuer, locally, for real mode run against local servers: the app's
 * MSAL (Graph tokens), botbuilder's MSAL (connector tokens) and the tab's SSO check all reach it
 * only through the cloud settings (ENTRA_AUTHORITY_HOST, BOT_LOGIN_URL, TAB_SSO_JWKS_URL), exactly
 * as they reach login.microsoftonline.com, so nothing in the product knows it is local.
 *
 * Shapes, from Microsoft Learn:
 * - "Microsoft identity platform and the OAuth 2.0 client credentials flow": `POST /{tenant}/oauth2/v2.0/token`
 *   with a form body (client_id, client_secret, scope = `{resource}/.default`, grant_type=client_credentials),
 *   answered `{token_type: "Bearer", expires_in, access_token}`, or an error
 *   `{error, error_description, error_codes, timestamp, trace_id, correlation_id}` (the description starts
 *   with the AADSTS code and ends with the trace id, correlation id and timestamp).
 * - "Access tokens": RS256 JWTs whose `kid` is in the tenant's key set at `/{tenant}/discovery/v2.0/keys`;
 *   v2.0 issuer `{login host}/{tid}/v2.0`; app-only tokens carry azp/appid, tid, oid = sub (the service
 *   principal), idtyp "app" and the granted application permissions in `roles`; delegated (user) tokens
 *   carry scp, oid, name and preferred_username.
 * - What MSAL asks for an authority host it does not know (msal-common's Authority, with the host in
 *   `knownAuthorities`): no instance discovery, then `GET {authority}/v2.0/.well-known/openid-configuration`,
 *   whose document must have authorization_endpoint, token_endpoint, issuer (on this host) and jwks_uri.
 *
 * The Bot Framework's login (BOT_LOGIN_URL) is the same kind of token endpoint: a second instance
 * serves it, so a connector token is never mistaken for a Graph token (other keys, other issuer).
 *
 * Local mode runs one too, for the tab's Teams SSO ("Single sign-on in tabs", "Configure your tab
 * app in Microsoft Entra ID"): Teams asks Entra for a token to our app for the person signed in to
 * Teams, and Entra issues it only to an authorized client application of that app, for a scope the
 * app exposes, to a person in the tenant's directory. The sign-in itself is Teams' own business;
 * the sandbox's "Act as" stands for it, and `/_fake/{tenant}/sso-token` is where it asks.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTVerifyGetKey } from 'jose';
import type { Request, Response } from 'restify';
import { FaultPlan } from './faults.js';
import { close, listen, standInServer, type RecordedRequest, type StandInTls, type TokenIssuer } from './http.js';

/** An app registration: its client secret, the tenant it lives in (single-tenant), and the application permissions granted to it. */
export interface EntraClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tenantId: string;
  readonly roles?: readonly string[];
}

/** A token this issuer handed out (tests check who asked for which resource). */
export interface IssuedToken {
  readonly tenantId: string;
  readonly clientId: string;
  readonly audience: string;
  readonly at: number;
}

/** A Teams SSO token (what `authentication.getAuthToken()` gives the tab): delegated, for our app. */
export interface UserTokenOptions {
  /** Our app id: the token's audience. */
  readonly appId: string;
  readonly tenantId: string;
  readonly oid: string;
  readonly name: string;
  readonly preferredUsername?: string;
  readonly scp?: string;
  /** The client that asked (`azp`): Teams desktop unless said. */
  readonly clientId?: string;
  readonly expiresIn?: string;
  /** Sign with another key under our key id (a forgery). */
  readonly signWith?: CryptoKey;
}

/** An app registration that exposes an API (the tab's): its id, Application ID URI, scopes and authorized client applications. */
export interface EntraApi {
  readonly appId: string;
  readonly tenantId: string;
  readonly identifierUri?: string;
  readonly scopes: readonly string[];
  /** Clients that may get tokens to it without asking the person for consent (Teams and the Microsoft 365 apps, for a tab). */
  readonly authorizedClients: ReadonlySet<string>;
}

/** A person in a tenant's directory. */
export interface EntraUser {
  readonly oid: string;
  readonly name: string;
  readonly upn: string;
}

export interface EntraIdentityOptions {
  /** HTTPS, as login.microsoftonline.com; local mode, whose other stand-ins are plain HTTP, leaves it out. */
  readonly tls?: StandInTls;
  readonly clients: readonly EntraClient[];
  /** APIs people get delegated tokens to (local mode: the tab). */
  readonly apis?: readonly EntraApi[];
  /** The people of a tenant (read on every request: the directory may change). */
  readonly directory?: (tenantId: string) => readonly EntraUser[];
  readonly port?: number;
  readonly kid?: string;
}

/** The Teams client that asks for SSO tokens on the tab's behalf (the `azp` of a tab SSO token). */
const TEAMS_CLIENT_APP_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
const TOKEN_LIFETIME_SECONDS = 3599;

/** Entra ID's error body ("Microsoft identity platform and the OAuth 2.0 client credentials flow", error response). */
export function aadstsError(error: string, code: number, message: string) {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = `${new Date().toISOString().slice(0, 19).replace('T', ' ')}Z`;
  return {
    error,
    error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  };
}

export class EntraIdentity implements TokenIssuer {
  readonly faults = new FaultPlan();
  /** Every request that reached this issuer, in order. */
  readonly requests: RecordedRequest[] = [];
  readonly issued: IssuedToken[] = [];
  /** The login host (what ENTRA_AUTHORITY_HOST or BOT_LOGIN_URL names), https://127.0.0.1:port. */
  url = '';
  readonly keys: JWTVerifyGetKey;
  private readonly http: ReturnType<typeof standInServer>;
  private readonly tenants: Set<string>;

  private constructor(
    private readonly options: EntraIdentityOptions,
    private readonly key: CryptoKey,
    private readonly jwk: JWK,
  ) {
    this.tenants = new Set([...options.clients.map((c) => c.tenantId), ...(options.apis ?? []).map((a) => a.tenantId)]);
    // The resources check tokens against the same key set this issuer publishes.
    this.keys = createLocalJWKSet({ keys: [jwk] });
    // Injected faults (429, 503) answer as Entra's transient failure does.
    this.http = standInServer('entra-stand-in', this.faults, this.requests, (_status, _code, message) => aadstsError('temporarily_unavailable', 90033, message), options.tls);
    const { route } = this.http;
    route.get('/:tenant/v2.0/.well-known/openid-configuration', async (req, res) => this.discovery(req, res));
    route.get('/:tenant/discovery/v2.0/keys', async (req, res) => {
      if (!this.tenantKnown(req, res)) return;
      res.send(200, { keys: [this.jwk] });
    });
    route.post('/:tenant/oauth2/v2.0/token', async (req, res) => this.token(req, res));
    route.post('/_fake/:tenant/sso-token', async (req, res) => this.ssoToken(req, res));
  }

  static async start(options: EntraIdentityOptions): Promise<EntraIdentity> {
    const kid = options.kid ?? `entra-${randomUUID().slice(0, 8)}`;
    const pair = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, use: 'sig', alg: 'RS256' };
    const identity = new EntraIdentity(options, pair.privateKey, jwk);
    identity.url = await listen(identity.http.server, options.port ?? 0);
    return identity;
  }

  /** The v2.0 issuer of each tenant this issuer serves (what a resource accepts as `iss`). */
  get issuers(): string[] {
    return [...this.tenants].map((tenant) => this.issuerOf(tenant));
  }

  issuerOf(tenantId: string): string {
    return `${this.url}/${tenantId}/v2.0`;
  }

  /** Where a tenant's signing keys are published (the tab's TAB_SSO_JWKS_URL). */
  jwksUrl(tenantId: string): string {
    return `${this.url}/${tenantId}/discovery/v2.0/keys`;
  }

  /** A v2.0 Teams SSO token for the tab ("Access tokens": delegated, `scp` access_as_user). */
  userToken(options: UserTokenOptions): Promise<string> {
    return new SignJWT({
      tid: options.tenantId,
      oid: options.oid,
      sub: options.oid,
      name: options.name,
      preferred_username: options.preferredUsername ?? `${options.name.toLowerCase().replace(/\s+/g, '.')}@contoso.example`,
      scp: options.scp ?? 'access_as_user',
      azp: options.clientId ?? TEAMS_CLIENT_APP_ID,
      azpacr: '0',
      ver: '2.0',
      uti: randomUUID(),
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.jwk.kid! })
      .setIssuer(this.issuerOf(options.tenantId))
      .setAudience(options.appId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(options.signWith ?? this.key);
  }

  stop(): Promise<void> {
    return close(this.http.server);
  }

  /** AADSTS90002 for a tenant this issuer does not serve (Entra answers 400 for an unknown tenant). */
  private tenantKnown(req: Request, res: Response): boolean {
    const tenant = String(req.params.tenant);
    if (this.tenants.has(tenant)) return true;
    res.send(400, aadstsError('invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`));
    return false;
  }

  /** The OpenID configuration MSAL fetches for an authority host outside its built-in list. */
  private discovery(req: Request, res: Response) {
    if (!this.tenantKnown(req, res)) return;
    const base = `${this.url}/${String(req.params.tenant)}`;
    res.send(200, {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'tid', 'oid', 'azp', 'roles', 'scp'],
    });
  }

  /** The client credentials grant: the secret checked, one `.default` scope, a token for that resource. */
  private async token(req: Request, res: Response) {
    if (!this.tenantKnown(req, res)) return;
    const tenant = String(req.params.tenant);
    const form = (typeof req.body === 'object' && req.body ? req.body : {}) as Record<string, unknown>;
    for (const name of ['grant_type', 'client_id', 'scope'] as const) {
      if (typeof form[name] !== 'string' || !form[name]) {
        return void res.send(400, aadstsError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`));
      }
    }
    if (form.grant_type !== 'client_credentials') {
      return void res.send(400, aadstsError('unsupported_grant_type', 70003, 'The app requested an unsupported grant type.'));
    }
    const clientId = String(form.client_id);
    const client = this.options.clients.find((c) => c.clientId === clientId && c.tenantId === tenant);
    if (!client) {
      return void res.send(400, aadstsError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`));
    }
    if (typeof form.client_secret !== 'string' || !form.client_secret) {
      return void res.send(401, aadstsError('invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."));
    }
    if (form.client_secret !== client.clientSecret) {
      return void res.send(
        401,
        aadstsError('invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
      );
    }
    const scopes = String(form.scope).split(' ').filter(Boolean);
    const resource = scopes.length === 1 && scopes[0]!.endsWith('/.default') ? scopes[0]!.slice(0, -'/.default'.length) : undefined;
    if (!resource) {
      return void res.send(
        400,
        aadstsError('invalid_scope', 1002012, `The provided value for scope ${String(form.scope)} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
      );
    }
    const accessToken = await this.appToken(client, resource);
    this.issued.push({ tenantId: tenant, clientId, audience: resource, at: Date.now() });
    res.header('Cache-Control', 'no-store');
    res.send(200, { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: accessToken });
  }

  /**
   * What Entra gives Teams for the person signed in to it: a delegated v2 token to the app, or the
   * AADSTS error Entra answers when the client is not authorized for the app (65001, consent
   * required), the scope is not one the app exposes (70011), the resource is unknown (500011) or
   * the person is not in the directory (50034).
   */
  private async ssoToken(req: Request, res: Response) {
    if (!this.tenantKnown(req, res)) return;
    const tenant = String(req.params.tenant);
    const body = (typeof req.body === 'object' && req.body ? req.body : {}) as Record<string, unknown>;
    const [clientId, scope, login] = [body.client_id, body.scope, body.login_hint].map((v) => (typeof v === 'string' ? v : ''));
    if (!clientId || !scope || !login) return void res.send(400, aadstsError('invalid_request', 900144, "The request body must contain the following parameters: 'client_id', 'scope' and 'login_hint'."));
    const slash = scope.lastIndexOf('/');
    const [resource, scopeName] = [scope.slice(0, slash), scope.slice(slash + 1)];
    const api = (this.options.apis ?? []).find((a) => a.tenantId === tenant && (a.appId === resource || a.identifierUri === resource));
    if (!api) return void res.send(400, aadstsError('invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}.`));
    if (!api.scopes.includes(scopeName)) return void res.send(400, aadstsError('invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} does not exist.`));
    if (!api.authorizedClients.has(clientId)) {
      return void res.send(400, aadstsError('consent_required', 65001, `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`));
    }
    const user = (this.options.directory?.(tenant) ?? []).find((u) => u.oid === login || u.upn.toLowerCase() === login.toLowerCase());
    if (!user) return void res.send(400, aadstsError('invalid_grant', 50034, `The user account ${login} does not exist in the ${tenant} directory. To sign into this application, the account must be added to the directory.`));
    const accessToken = await this.userToken({ appId: api.appId, tenantId: tenant, oid: user.oid, name: user.name, preferredUsername: user.upn, scp: scopeName, clientId, expiresIn: `${TOKEN_LIFETIME_SECONDS}s` });
    this.issued.push({ tenantId: tenant, clientId, audience: api.appId, at: Date.now() });
    res.header('Cache-Control', 'no-store');
    res.send(200, { token_type: 'Bearer', scope, expires_in: TOKEN_LIFETIME_SECONDS, access_token: accessToken });
  }

  /** An app-only access token ("Access tokens": no scp, the permissions in roles, idtyp app). */
  private appToken(client: EntraClient, resource: string): Promise<string> {
    const servicePrincipal = `sp-${client.clientId}`;
    return new SignJWT({
      tid: client.tenantId,
      azp: client.clientId,
      azpacr: '1',
      appid: client.clientId,
      appidacr: '1',
      oid: servicePrincipal,
      sub: servicePrincipal,
      idtyp: 'app',
      ver: '2.0',
      uti: randomUUID(),
      ...(client.roles?.length ? { roles: [...client.roles] } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.jwk.kid! })
      .setIssuer(this.issuerOf(client.tenantId))
      .setAudience(resource)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
      .sign(this.key);
  }
}
