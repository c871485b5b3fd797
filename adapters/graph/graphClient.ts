import { ConfidentialClientApplication } from '@azure/msal-node';
import { Client, HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';

export type AccessTokenSource = () => Promise<string>;

/** Real mode: app-only tokens by client credentials (the Microsoft identity platform's client-credentials flow), cached by MSAL. */
export function clientCredentialTokens(
  settings: { appId: string; appPassword: string; tenantId: string },
  cloud: { readonly authorityHost: string; readonly graphBaseUrl: string } = { authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com' },
): AccessTokenSource {
  // Tokens are per cloud: the authority is the cloud's login host, the scope its Graph.
  const msal = new ConfidentialClientApplication({
    auth: { clientId: settings.appId, clientSecret: settings.appPassword, authority: `${cloud.authorityHost}/${settings.tenantId}`, knownAuthorities: [new URL(cloud.authorityHost).host] },
  });
  return async () => {
    const result = await msal.acquireTokenByClientCredential({ scopes: [`${cloud.graphBaseUrl}/.default`] });
    if (!result?.accessToken) throw new Error('Entra ID returned no Graph access token');
    return result.accessToken;
  };
}

/** Local mode: the Graph stand-in only checks that a bearer token is present. */
export const localTokens: AccessTokenSource = async () => 'local-mode-token';

/**
 * Adds the bearer token and a per-request timeout. Our own middleware rather than the SDK's
 * AuthenticationHandler, which drops the header for any host that is not https Graph (the
 * local stand-in is plain http), and without the SDK's RetryHandler: the provisioning saga owns
 * retries (with Retry-After) so there is one policy, visible on the incident.
 */
class BearerAndTimeout implements Middleware {
  private next?: Middleware;
  constructor(private readonly tokens: AccessTokenSource, private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    const token = await this.tokens();
    const options = (context.options ??= {});
    const headers = new Headers(options.headers as HeadersInit | undefined);
    headers.set('Authorization', `Bearer ${token}`);
    options.headers = headers;
    options.signal = AbortSignal.timeout(this.timeoutMs);
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function createGraphClient(baseUrl: string, tokens: AccessTokenSource, timeoutMs = 30_000): Client {
  const first = new BearerAndTimeout(tokens, timeoutMs);
  first.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ middleware: first, baseUrl, defaultVersion: 'v1.0' });
}
