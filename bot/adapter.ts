import { ConfidentialClientApplication } from '@azure/msal-node';
import { CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import {
  AppCredentials,
  AuthenticationConstants,
  AuthenticationError,
  GovernmentConstants,
  PasswordServiceClientCredentialFactory,
  type AuthenticateRequestResult,
  type AuthenticatorResult,
  type ServiceClientCredentials,
} from 'botframework-connector';
import type { Logger } from '../models/ports/logger.js';
import { isStoreUnavailable, STORE_UNAVAILABLE_MESSAGE } from '../models/ports/storeUnavailable.js';

export interface AdapterSettings {
  /** Absent in local mode: Bot Framework authentication is then off (no tokens in or out). */
  readonly teams?: { readonly appId: string; readonly appPassword: string; readonly tenantId: string };
  /** The cloud's Bot Framework endpoints (national clouds; a local issuer in tests). Public cloud when absent. */
  readonly cloud?: BotCloud;
}

type BotCloud = { readonly botOpenIdMetadataUrl: string; readonly botTokenIssuer: string; readonly botLoginUrl: string; readonly botOAuthScope: string };

/**
 * The cloud's Bot Framework endpoints, all named (naming one means naming them all, or the issuer
 * check has nothing to compare with): tokens out to the connector, tokens in from Teams.
 */
function cloudEndpoints(cloud: BotCloud) {
  const publicCloud = cloud.botTokenIssuer === AuthenticationConstants.ToBotFromChannelTokenIssuer;
  return {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: cloud.botLoginUrl,
    ToChannelFromBotOAuthScope: cloud.botOAuthScope,
    ToBotFromChannelTokenIssuer: cloud.botTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: cloud.botOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: publicCloud ? CallerIdConstants.PublicAzureChannel : CallerIdConstants.USGovChannel,
  };
}

/** Token failures botbuilder lets through as plain errors (answered 500), named so they become 401. */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * botbuilder's validation, except that a token with a bad signature (or otherwise unverifiable)
 * is the caller's fault: 401, not the 500 botbuilder answers for it.
 */
class BotFrameworkTokenCheck extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      if (TOKEN_ERRORS.has((error as Error).name)) throw new AuthenticationError(`Unauthorized: ${(error as Error).message}`, 401);
      throw error;
    }
  }
}

/** The bot's connector tokens from one login authority, by our MSAL (the host named as known, so no instance discovery). */
class LoginHostCredentials extends AppCredentials {
  constructor(appId: string, scope: string, private readonly msal: ConfidentialClientApplication) {
    super(appId, undefined, scope);
  }

  protected override async refreshToken(): Promise<AuthenticatorResult> {
    const scope = this.oAuthScope.endsWith('/.default') ? this.oAuthScope : `${this.oAuthScope}/.default`;
    const result = await this.msal.acquireTokenByClientCredential({ scopes: [scope] });
    if (!result?.accessToken || !result.expiresOn) throw new Error('Authentication: no access token received from MSAL.');
    return { accessToken: result.accessToken, expiresOn: result.expiresOn };
  }
}

/**
 * botbuilder's credentials, except for a BOT_LOGIN_URL outside the two login hosts botbuilder
 * knows (login.microsoftonline.com and .us): botbuilder hands such an authority to its MSAL
 * without `knownAuthorities`, so MSAL first asks login.microsoftonline.com whether the host is an
 * authority (instance discovery) and fails where that is not reachable, or not the right cloud.
 * Here that host is named as known: MSAL reads the OpenID configuration from the host itself.
 */
class BotLoginCredentialFactory extends PasswordServiceClientCredentialFactory {
  private msal?: { readonly authority: string; readonly app: ConfidentialClientApplication };

  constructor(private readonly teams: NonNullable<AdapterSettings['teams']>) {
    super(teams.appId, teams.appPassword, teams.tenantId);
  }

  override async createCredentials(appId: string, audience: string, loginEndpoint: string, validateAuthority: boolean): Promise<ServiceClientCredentials> {
    const endpoint = (loginEndpoint ?? '').toLowerCase();
    const builtIn = [AuthenticationConstants.ToChannelFromBotLoginUrlPrefix, GovernmentConstants.ToChannelFromBotLoginUrlPrefix].some((prefix) => endpoint.startsWith(prefix));
    if (builtIn || !endpoint || appId !== this.teams.appId) return super.createCredentials(appId, audience, loginEndpoint, validateAuthority);
    if (this.msal?.authority !== loginEndpoint) {
      const auth = { clientId: appId, clientSecret: this.teams.appPassword, authority: loginEndpoint, knownAuthorities: [new URL(loginEndpoint).host] };
      this.msal = { authority: loginEndpoint, app: new ConfidentialClientApplication({ auth }) };
    }
    return new LoginHostCredentials(appId, audience || AuthenticationConstants.ToChannelFromBotOAuthScope, this.msal.app);
  }
}

/**
 * The botbuilder CloudAdapter, single-tenant in real mode: every activity must carry a Bot
 * Framework token (issuer api.botframework.com, audience our app id, signed by a published key
 * endorsed for the channel, serviceurl claim matching the activity) or it is answered 401.
 */
export function createAdapter(settings: AdapterSettings, log: Logger): CloudAdapter {
  const auth = settings.teams
    ? new BotFrameworkTokenCheck(
        {
          MicrosoftAppId: settings.teams.appId,
          MicrosoftAppPassword: settings.teams.appPassword,
          MicrosoftAppType: 'SingleTenant',
          MicrosoftAppTenantId: settings.teams.tenantId,
          ...(settings.cloud ? cloudEndpoints(settings.cloud) : {}),
        },
        new BotLoginCredentialFactory(settings.teams),
      )
    : new ConfigurationBotFrameworkAuthentication({});
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ err: error, activityId: context.activity?.id, type: context.activity?.type }, 'unhandled error in a bot turn');
    if (context.activity?.type === 'message') {
      const text = isStoreUnavailable(error)
        ? STORE_UNAVAILABLE_MESSAGE
        : "Sorry, something went wrong on my side. Please try again; if it keeps failing, tell your incident-room admin (the error is in the app's log).";
      await context.sendActivity(text).catch(() => undefined);
    }
  };
  return adapter;
}
