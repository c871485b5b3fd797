/**
 * The Microsoft endpoints of each cloud Teams runs in, as Microsoft documents them
 * (docs/microsoft-rules.md §4: "National clouds" for Entra, "Microsoft Graph national cloud
 * deployments", "Configure Bot Framework bots for US Government customers", "Configure a bot in
 * Microsoft Azure operated by 21Vianet", "Send proactive messages"). GCC uses the public
 * endpoints except for the Teams service URL. Every value can be overridden one by one.
 */
export const CLOUD_NAMES = ['public', 'usgov', 'usgovhigh', 'usgovdod', 'china'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface CloudEndpoints {
  /** Entra ID's login host: client-credential tokens and the tab's SSO keys come from `{host}/{tenant}`. */
  readonly authorityHost: string;
  readonly graphBaseUrl: string;
  /** Where the Bot Framework publishes the keys that sign Teams' tokens to /api/messages, and their issuer. */
  readonly botOpenIdMetadataUrl: string;
  readonly botTokenIssuer: string;
  /** The login authority and scope for the bot's own calls to the Bot Framework connector (botbuilder's form: no /oauth2 path, no /.default). */
  readonly botLoginUrl: string;
  readonly botOAuthScope: string;
  /** The connector used until a tenant's regional service URL is learned from its activities. */
  readonly botServiceUrl: string;
  /**
   * Teams web clients of this cloud beyond the public ones, which must be allowed to frame the tab.
   * Microsoft's tab requirements list only the public hosts; GCC High and DoD clients run on
   * gov.teams.microsoft.us and dod.teams.microsoft.us (as vendors' GCC High guides give them).
   */
  readonly teamsClientHosts: readonly string[];
}

const PUBLIC: CloudEndpoints = {
  authorityHost: 'https://login.microsoftonline.com',
  graphBaseUrl: 'https://graph.microsoft.com',
  botOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  botTokenIssuer: 'https://api.botframework.com',
  botLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  botOAuthScope: 'https://api.botframework.com',
  botServiceUrl: 'https://smba.trafficmanager.net/teams/',
  teamsClientHosts: [],
};

const US_GOVERNMENT_BOTS = {
  botOpenIdMetadataUrl: 'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
  botTokenIssuer: 'https://api.botframework.us',
  botLoginUrl: 'https://login.microsoftonline.us/MicrosoftServices.onmicrosoft.us',
  botOAuthScope: 'https://api.botframework.us',
};

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  public: PUBLIC,
  usgov: { ...PUBLIC, botServiceUrl: 'https://smba.infra.gcc.teams.microsoft.com/teams/' },
  usgovhigh: { ...US_GOVERNMENT_BOTS, authorityHost: 'https://login.microsoftonline.us', graphBaseUrl: 'https://graph.microsoft.us', botServiceUrl: 'https://smba.infra.gov.teams.microsoft.us/teams/', teamsClientHosts: ['gov.teams.microsoft.us'] },
  usgovdod: { ...US_GOVERNMENT_BOTS, authorityHost: 'https://login.microsoftonline.us', graphBaseUrl: 'https://dod-graph.microsoft.us', botServiceUrl: 'https://smba.infra.dod.teams.microsoft.us/teams/', teamsClientHosts: ['dod.teams.microsoft.us'] },
  china: {
    authorityHost: 'https://login.partner.microsoftonline.cn',
    graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn',
    botOpenIdMetadataUrl: 'https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
    botTokenIssuer: 'https://api.botframework.azure.cn',
    botLoginUrl: 'https://login.partner.microsoftonline.cn/microsoftservices.partner.onmschina.cn',
    botOAuthScope: 'https://api.botframework.azure.cn',
    // No default service URL is documented for 21Vianet: the one Teams' activities carry is learned and used.
    botServiceUrl: 'https://smba.trafficmanager.net/teams/',
    // Not documented for 21Vianet's Teams web client: add its host here once known.
    teamsClientHosts: [],
  },
};

/** The tab's SSO signing keys for a tenant in this cloud (the v2 discovery keys under the cloud's login host). */
export function tabSsoJwksUrl(cloud: Pick<CloudEndpoints, 'authorityHost'>, tenantId: string): string {
  return `${cloud.authorityHost}/${tenantId}/discovery/v2.0/keys`;
}

/** Endpoints set one by one (BOT_SERVICE_URL…), over the cloud's; config.ts reads them from the environment. */
export type CloudOverrides = { readonly [K in Exclude<keyof CloudEndpoints, 'teamsClientHosts'>]?: string };

/** The cloud's endpoints, each overridable on its own (a proxy, a sovereign deployment, local issuers in tests). */
export function cloudEndpoints(name: CloudName, overrides: CloudOverrides): CloudEndpoints & { readonly name: CloudName } {
  const preset = CLOUDS[name];
  // Graph and the login host are joined with paths later: no trailing slash.
  const trim = (value: string) => value.replace(/\/+$/, '');
  return {
    name,
    authorityHost: trim(overrides.authorityHost ?? preset.authorityHost),
    graphBaseUrl: trim(overrides.graphBaseUrl ?? preset.graphBaseUrl),
    botOpenIdMetadataUrl: overrides.botOpenIdMetadataUrl ?? preset.botOpenIdMetadataUrl,
    botTokenIssuer: overrides.botTokenIssuer ?? preset.botTokenIssuer,
    botLoginUrl: overrides.botLoginUrl ?? preset.botLoginUrl,
    botOAuthScope: overrides.botOAuthScope ?? preset.botOAuthScope,
    botServiceUrl: overrides.botServiceUrl ?? preset.botServiceUrl,
    teamsClientHosts: preset.teamsClientHosts,
  };
}

/** How the tab's Teams SSO tokens are checked: audience (app id or resource), tenant, signing keys, issuer host. */
export interface TabSsoSettings {
  readonly appId: string;
  readonly tenantId: string;
  readonly resource: string;
  readonly jwksUrl: string;
  readonly authorityHost: string;
}

/** Real mode's tab SSO check, from the app registration's values and any set on their own (TAB_SSO_RESOURCE, TAB_SSO_JWKS_URL). */
export function tabSsoSettings(app: { readonly appId: string; readonly tenantId: string; readonly publicBaseUrl: string; readonly resource?: string; readonly jwksUrl?: string }, cloud: Pick<CloudEndpoints, 'authorityHost'>): TabSsoSettings {
  return {
    appId: app.appId,
    tenantId: app.tenantId,
    // The manifest's webApplicationInfo.resource, which must match the app registration's Application ID URI.
    resource: app.resource ?? `api://${new URL(app.publicBaseUrl).host}/${app.appId}`,
    jwksUrl: app.jwksUrl ?? tabSsoJwksUrl(cloud, app.tenantId),
    authorityHost: cloud.authorityHost,
  };
}
