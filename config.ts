/**
 * Configuration: the only reader of process.env. Local mode (no MICROSOFT_APP_ID) needs no
 * settings at all; real mode needs the Teams/Azure ones and fails fast, naming every missing
 * or malformed setting at once.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TenantProfiles } from './models/incident/tenantProfile.js';
import type { OnCallSetup } from './models/paging/oncall.js';
import { loadOnCall, loadProfiles } from './adapters/settingsFiles.js';
import { logEnv, logSettings, type LogSettings } from './http/logSettings.js';
import { ALERT_SOURCES, parseSeverityWords, type AlertSource } from './models/alerts/alerts.js';
import { parseSeverity, type Severity } from './models/incident/severity.js';
import { LOCAL } from './local/defaults.js';
import { CLOUD_NAMES, cloudEndpoints, tabSsoSettings, type CloudEndpoints, type CloudName, type TabSsoSettings } from './adapters/clouds.js';
import { peopleListProblems } from './local/world/people.js';
import { resolveTrackers, trackerEnv, trackerSettings, type NamedTracker, type TrackerSettings } from './trackerConfig.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalText = z.string().trim().optional().transform((value) => (value ? value : undefined));
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const url = z.string().trim().url();

const envSchema = z.object({
  NODE_ENV: optionalText,
  PORT: port(3978),
  HOST: optionalText,
  PUBLIC_BASE_URL: url.optional(),
  ...logEnv,
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  // Entra writes tenant ids in lower case (activities, tokens); incidents are stored under that spelling.
  MICROSOFT_APP_TENANT_ID: optionalText.transform((value) => value?.toLowerCase()),
  // Comma-separated, lowercased: tenant ids are GUIDs, compared without regard to case.
  ALLOWED_TENANT_IDS: z.string().default('').transform((list) => list.split(',').map((id) => id.trim().toLowerCase()).filter(Boolean)),
  TEAMS_APP_ID: optionalText,
  TEAMS_TEAM_ID: optionalText,
  TEAMS_APP_CATALOG_ID: optionalText,
  MEETING_ORGANIZER_ID: optionalText,
  MONGODB_URI: z.string().trim().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  // The Microsoft cloud (public, GCC, GCC High, DoD, 21Vianet), and each of its endpoints on its own.
  CLOUD: z.enum(CLOUD_NAMES, { message: `must be one of ${CLOUD_NAMES.join(', ')}` }).default('public'),
  ENTRA_AUTHORITY_HOST: url.optional(),
  GRAPH_BASE_URL: url.optional(),
  BOT_SERVICE_URL: url.optional(),
  BOT_OPENID_METADATA_URL: url.optional(),
  BOT_TOKEN_ISSUER: url.optional(),
  BOT_LOGIN_URL: url.optional(),
  BOT_OAUTH_SCOPE: optionalText,
  LOCAL_GRAPH_PORT: port(LOCAL.graphPort),
  LOCAL_CONNECTOR_PORT: port(LOCAL.connectorPort),
  LOCAL_ENTRA_PORT: port(LOCAL.entraPort),
  LOCAL_DATA_DIR: z.string().trim().min(1).default('.incident-room-data'),
  LOCAL_PEOPLE: z
    .string()
    .default(LOCAL.people)
    .transform((list) => list.split(',').map((name) => name.trim()).filter(Boolean))
    .superRefine((names, ctx) => {
      for (const problem of peopleListProblems(names)) ctx.addIssue({ code: 'custom', message: problem });
    }),
  ALLOW_LOCAL_MODE_IN_PRODUCTION: z.enum(['true', 'false']).default('false'),
  ALLOW_LOCAL_MODE_ON_NETWORK: z.enum(['true', 'false']).default('false'),
  // Moved into TENANT_CONFIG_FILE (one file for naming and templates, per tenant); named so an old .env fails clearly.
  CHANNEL_NAME_PATTERN: optionalText,
  SOP_FILE: optionalText,
  TENANT_CONFIG_FILE: optionalText,
  MEETING_HOURS: positive(8),
  PROVISION_MAX_ATTEMPTS: positive(6),
  PROVISION_RETRY_BASE_MS: positive(500),
  PROVISION_RETRY_CAP_MS: positive(30_000),
  PROVISION_LEASE_MS: positive(60_000),
  PROVISION_SWEEP_MS: positive(30_000),
  BROADCAST_CHANNEL_ID: optionalText,
  BROADCAST_TEAM_ID: optionalText,
  ONCALL_FILE: optionalText,
  ALERT_SECRET_GENERIC: optionalText,
  ALERT_SECRET_ALERTMANAGER: optionalText,
  ALERT_SECRET_GRAFANA: optionalText,
  ALERT_DEFAULT_SEVERITY: z
    .string()
    .default('P2')
    .transform((text, ctx) => parseSeverity(text) ?? (ctx.addIssue({ code: 'custom', message: 'must be one of P0, P1, P2, P3' }), z.NEVER)),
  ALERT_SEVERITY_MAP: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const parsed = parseSeverityWords(text);
      for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', message: problem });
      return parsed.words;
    }),
  ALERT_AUTO_RESOLVE: z.enum(['true', 'false']).default('false'),
  PAGER: z.enum(['rota', 'pagerduty']).default('rota'),
  PAGERDUTY_ROUTING_KEY: optionalText,
  PAGERDUTY_EVENTS_URL: url.optional(),
  PAGERDUTY_WEBHOOK_SECRET: optionalText,
  STATUS_PAGE: z.enum(['none', 'statuspage']).default('none'),
  STATUSPAGE_API_KEY: optionalText,
  STATUSPAGE_PAGE_ID: optionalText,
  STATUSPAGE_API_URL: url.optional(),
  ...trackerEnv,
  TIMER_POLL_MS: positive(5_000),
  TIMER_LEASE_MS: positive(60_000),
  METRICS_TOKEN: optionalText,
  DB_CONNECT_RETRY_MS: positive(120_000),
  TAB_SSO_RESOURCE: optionalText,
  TAB_SSO_JWKS_URL: url.optional(),
  ARCHIVE_ON_PUBLISH: z.enum(['true', 'false']).default('false'),
  FILE_POSTMORTEMS: z.enum(['true', 'false']).optional(),
  ESCALATION_P1_MAX_MINUTES: positive(60),
  ESCALATION_MODE: z.enum(['suggest', 'force']).default('suggest'),
});

export interface TeamsSettings {
  readonly appId: string;
  readonly appPassword: string;
  readonly tenantId: string;
}

export interface Config {
  readonly mode: 'local' | 'real';
  readonly port: number;
  readonly host: string;
  /** Where Teams (and browsers) reach this app; undefined in local mode until the port is known. */
  readonly publicBaseUrl?: string;
  /** LOG_LEVEL, LOG_FORMAT (pretty in local mode, json in real mode), LOG_POLLING. */
  readonly logging: LogSettings;
  /** Bot/Entra credentials; absent in local mode, where Bot Framework auth is off. */
  readonly teams?: TeamsSettings;
  /** Where the Bot Framework's token signing keys are published (botbuilder's default unless set). */
  /** The Microsoft cloud's endpoints (CLOUD, with any endpoint overridden on its own). */
  readonly cloud: CloudEndpoints & { readonly name: CloudName };
  readonly teamsAppId: string;
  readonly teamId: string;
  readonly appCatalogId: string;
  readonly meetingOrganizerId?: string;
  /** The company-wide channel every incident is broadcast to; no broadcast when absent. */
  readonly broadcastChannelId?: string;
  /** The team of the broadcast channel, when it is not the incidents team (to find an earlier post after a crash). */
  readonly broadcastTeamId?: string;
  readonly escalation: { readonly p1MaxMinutes: number; readonly mode: 'suggest' | 'force' };
  readonly mongodbUri?: string;
  readonly graphBaseUrl: string;
  readonly botServiceUrl: string;
  /** Per tenant: channel-name pattern, severity names, SOP checklists, card texts (TENANT_CONFIG_FILE, or the built-ins). */
  readonly profiles: TenantProfiles;
  /** The on-call rota, escalation policy, timings and contact directory (ONCALL_FILE); local mode uses the sandbox people. */
  readonly onCall?: OnCallSetup;
  /** Monitor webhooks: the secret per source (a source without one is switched off), severity mapping, auto-resolve. */
  readonly alerts: {
    readonly secrets: Readonly<Partial<Record<AlertSource, string>>>;
    readonly defaultSeverity: Severity;
    readonly severityWords: Readonly<Record<string, Severity>>;
    readonly autoResolve: boolean;
  };
  /**
   * Who gets the pages: the built-in rota (@mentions in Teams) or PagerDuty (Events API v2; an
   * acknowledgement there comes back through its V3 webhook). Local mode runs a PagerDuty stand-in.
   */
  readonly pager:
    | { readonly kind: 'rota' }
    | { readonly kind: 'pagerduty'; readonly routingKey: string; readonly eventsUrl?: string; readonly webhookSecret?: string };
  /**
   * The public status page the Communications lead writes to (Statuspage), if any. Local mode
   * runs a Statuspage stand-in (apiUrl filled in by the server).
   */
  readonly statusPage?: { readonly kind: 'statuspage'; readonly apiUrl?: string; readonly pageId: string; readonly apiKey: string };
  /** Where post-mortem action items are followed through (TRACKER), if anywhere. */
  readonly tracker?: TrackerSettings;
  /** Every tracker by name ("default" is TRACKER's), and TENANT_CONFIG_FILE's, which tenants and incident types pick. */
  readonly trackers: readonly NamedTracker[];
  /** Bearer token Prometheus sends to /metrics (real mode serves /metrics only with one). */
  readonly metricsToken?: string;
  /** How long to keep trying to reach MongoDB at start before giving up. */
  readonly dbConnectRetryMs: number;
  /** Durable timers: how often each replica looks for due ones, and how long a claim lasts. */
  readonly timers: { readonly pollMs: number; readonly leaseMs: number };
  /** Publishing a post-mortem archives the (closed) incident's channel. */
  readonly archiveOnPublish: boolean;
  /** Publishing a post-mortem files it as a Word document in the incident channel's files (local mode: on). */
  readonly filePostmortems: boolean;
  /** How the tab's Teams SSO tokens are checked (audience, tenant, signing keys): Entra's, or in local mode the local Entra stand-in's. */
  readonly tabSso: TabSsoSettings;
  /** Real mode: the Entra tenants (lowercase) whose Teams activities the bot acts on; local mode takes any tenant (undefined). */
  readonly allowedTenantIds?: readonly string[];
  readonly local: { readonly graphPort: number; readonly connectorPort: number; readonly entraPort: number; readonly people: readonly string[]; readonly dataDir?: string };
  readonly meetingHours: number;
  readonly provisioning: {
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
    readonly retryCapMs: number;
    readonly leaseMs: number;
    /** How often to look for war rooms left half-built by a process that died. */
    readonly sweepMs: number;
  };
  /** This process, for leases shared with other replicas. */
  readonly instanceId: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`incident-room cannot start; fix these settings (in .env or the environment):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Local mode without a TENANT_CONFIG_FILE: the built-in profile, with local mode's admin named (a constant the tests parse). */
const localProfiles = () => (TenantProfiles.parse({ default: { access: { admins: [`user:${LOCAL.adminAadObjectId}`] } } }) as { profiles: TenantProfiles }).profiles;

type Settings = z.infer<typeof envSchema>;
type Mode = Config['mode'];

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`));
  }
  const e = parsed.data;
  const mode: Mode = e.MICROSOFT_APP_ID ? 'real' : 'local';
  const problems = modeProblems(e, mode);
  const profiles = e.TENANT_CONFIG_FILE || mode === 'real' ? loadProfiles(e.TENANT_CONFIG_FILE, problems) : localProfiles();
  const onCall = loadOnCall(e.ONCALL_FILE, problems);
  const pager = pagerSettings(e, mode, problems);
  const statusPage = statusPageSettings(e, mode, problems);
  const tracker = trackerSettings(e, mode, problems);
  const trackers = resolveTrackers(env, profiles, tracker, problems);
  const secrets = alertSecrets(e, mode, problems);
  // The cloud's endpoints, each overridable on its own (a proxy, a sovereign deployment, local issuers in tests).
  const cloud = cloudEndpoints(e.CLOUD, {
    authorityHost: e.ENTRA_AUTHORITY_HOST, graphBaseUrl: e.GRAPH_BASE_URL, botServiceUrl: e.BOT_SERVICE_URL, botOAuthScope: e.BOT_OAUTH_SCOPE,
    botOpenIdMetadataUrl: e.BOT_OPENID_METADATA_URL, botTokenIssuer: e.BOT_TOKEN_ISSUER, botLoginUrl: e.BOT_LOGIN_URL,
  });
  const allowedTenantIds = mode === 'real' ? allowedTenants(e, problems) : undefined;
  if (e.METRICS_TOKEN !== undefined && e.METRICS_TOKEN.length < 16) problems.push('METRICS_TOKEN must be at least 16 characters (a random secret Prometheus sends as a bearer token)');
  if (e.PROVISION_RETRY_CAP_MS < e.PROVISION_RETRY_BASE_MS) problems.push('PROVISION_RETRY_CAP_MS must be at least PROVISION_RETRY_BASE_MS');
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    mode,
    port: e.PORT,
    host: e.HOST ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0'),
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    logging: logSettings(e, mode),
    teams: mode === 'real' ? { appId: e.MICROSOFT_APP_ID!, appPassword: e.MICROSOFT_APP_PASSWORD!, tenantId: e.MICROSOFT_APP_TENANT_ID! } : undefined,
    cloud,
    teamsAppId: e.TEAMS_APP_ID ?? LOCAL.teamsAppId,
    teamId: e.TEAMS_TEAM_ID ?? LOCAL.teamId,
    appCatalogId: e.TEAMS_APP_CATALOG_ID ?? LOCAL.appCatalogId,
    meetingOrganizerId: e.MEETING_ORGANIZER_ID ?? (mode === 'local' ? LOCAL.meetingOrganizerId : undefined),
    broadcastChannelId: e.BROADCAST_CHANNEL_ID ?? (mode === 'local' ? LOCAL.broadcastChannelId : undefined),
    broadcastTeamId: e.BROADCAST_TEAM_ID,
    profiles,
    onCall,
    pager,
    statusPage,
    tracker,
    trackers,
    alerts: { secrets, defaultSeverity: e.ALERT_DEFAULT_SEVERITY, severityWords: e.ALERT_SEVERITY_MAP, autoResolve: e.ALERT_AUTO_RESOLVE === 'true' },
    timers: { pollMs: e.TIMER_POLL_MS, leaseMs: e.TIMER_LEASE_MS },
    metricsToken: e.METRICS_TOKEN,
    dbConnectRetryMs: e.DB_CONNECT_RETRY_MS,
    archiveOnPublish: e.ARCHIVE_ON_PUBLISH === 'true',
    filePostmortems: (e.FILE_POSTMORTEMS ?? (mode === 'local' ? 'true' : 'false')) === 'true',
    tabSso: mode === 'real'
      ? tabSsoSettings({ appId: e.MICROSOFT_APP_ID!, tenantId: e.MICROSOFT_APP_TENANT_ID!, publicBaseUrl: e.PUBLIC_BASE_URL!, resource: e.TAB_SSO_RESOURCE, jwksUrl: e.TAB_SSO_JWKS_URL }, cloud)
      : tabSsoSettings({ appId: LOCAL.appId, tenantId: LOCAL.tenantId, publicBaseUrl: 'http://localhost', resource: LOCAL.appIdUri, jwksUrl: e.TAB_SSO_JWKS_URL }, { authorityHost: e.ENTRA_AUTHORITY_HOST ?? `http://127.0.0.1:${e.LOCAL_ENTRA_PORT}` }),
    allowedTenantIds,
    escalation: { p1MaxMinutes: e.ESCALATION_P1_MAX_MINUTES, mode: e.ESCALATION_MODE },
    mongodbUri: e.MONGODB_URI,
    graphBaseUrl: cloud.graphBaseUrl,
    botServiceUrl: cloud.botServiceUrl,
    local: { graphPort: e.LOCAL_GRAPH_PORT, connectorPort: e.LOCAL_CONNECTOR_PORT, entraPort: e.LOCAL_ENTRA_PORT, people: e.LOCAL_PEOPLE, dataDir: e.LOCAL_DATA_DIR === 'none' ? undefined : e.LOCAL_DATA_DIR },
    meetingHours: e.MEETING_HOURS,
    provisioning: {
      maxAttempts: e.PROVISION_MAX_ATTEMPTS,
      retryBaseMs: e.PROVISION_RETRY_BASE_MS,
      retryCapMs: e.PROVISION_RETRY_CAP_MS,
      leaseMs: e.PROVISION_LEASE_MS,
      sweepMs: e.PROVISION_SWEEP_MS,
    },
    instanceId: randomUUID(),
  };
}

/** Real mode needs the Teams settings, well formed; local mode is refused in production and off loopback; moved settings are named. */
function modeProblems(e: Settings, mode: Mode): string[] {
  const problems: string[] = [];
  if (mode === 'real') {
    const required = ['MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'TEAMS_TEAM_ID', 'TEAMS_APP_CATALOG_ID', 'MONGODB_URI', 'PUBLIC_BASE_URL'] as const;
    for (const name of required) if (!e[name]) problems.push(`${name} is required when MICROSOFT_APP_ID is set (real Teams mode)`);
    for (const name of ['MICROSOFT_APP_ID', 'MICROSOFT_APP_TENANT_ID', 'TEAMS_APP_ID'] as const) {
      const value = e[name];
      if (value && !GUID.test(value)) problems.push(`${name} must be a GUID like 00000000-0000-0000-0000-000000000000`);
    }
    if (e.PUBLIC_BASE_URL && !e.PUBLIC_BASE_URL.startsWith('https://')) problems.push('PUBLIC_BASE_URL must be https:// in real mode (Teams only calls HTTPS endpoints)');
    if (e.TAB_SSO_RESOURCE && !e.TAB_SSO_RESOURCE.startsWith('api://')) {
      problems.push('TAB_SSO_RESOURCE must be the Application ID URI of the app registration, like api://incidents.contoso.com/<MICROSOFT_APP_ID>');
    }
  } else {
    if (isProduction(e.NODE_ENV) && e.ALLOW_LOCAL_MODE_IN_PRODUCTION !== 'true') {
      problems.push(`MICROSOFT_APP_ID is not set, which means local mode (no authentication, stand-in Teams) — refused with NODE_ENV=${e.NODE_ENV}. Set the Teams settings, or ALLOW_LOCAL_MODE_IN_PRODUCTION=true for a demo`);
    }
    // Local mode has no sign-in and a published alert secret: anyone who can reach it can act as anyone.
    if (e.HOST && !isLoopback(e.HOST) && e.ALLOW_LOCAL_MODE_ON_NETWORK !== 'true') {
      problems.push(`HOST=${e.HOST} would put local mode (no authentication, the known alert secret, stand-in Teams) on the network — refused: it listens on loopback only. Unset HOST (or use 127.0.0.1), or set ALLOW_LOCAL_MODE_ON_NETWORK=true for a demo on a network you trust`);
    }
  }
  for (const moved of ['CHANNEL_NAME_PATTERN', 'SOP_FILE'] as const) {
    if (e[moved]) problems.push(`${moved} is no longer read: put it in the TENANT_CONFIG_FILE (${moved === 'SOP_FILE' ? '"checklists"' : '"channelNamePattern"'} in its "default" section); see the README`);
  }
  return problems;
}

/** Production by any spelling (production, Production, prod, prod-eu…), so a variant never starts local mode there. */
const isProduction = (nodeEnv: string | undefined) => /^prod/i.test(nodeEnv ?? '');
/** Addresses only this machine can reach: localhost, 127.0.0.0/8, ::1. */
const isLoopback = (host: string) => /^(localhost|127(\.\d{1,3}){3}|::1)$/i.test(host);

function pagerSettings(e: Settings, mode: Mode, problems: string[]): Config['pager'] {
  if (e.PAGER !== 'pagerduty') return { kind: 'rota' };
  if (mode === 'real') {
    if (!e.PAGERDUTY_ROUTING_KEY) problems.push('PAGERDUTY_ROUTING_KEY is required with PAGER=pagerduty: the integration key of an Events API v2 integration');
    else if (!/^[0-9a-zA-Z]{32}$/.test(e.PAGERDUTY_ROUTING_KEY)) problems.push('PAGERDUTY_ROUTING_KEY must be the 32-character integration key from PagerDuty');
    if (e.PAGERDUTY_WEBHOOK_SECRET !== undefined && e.PAGERDUTY_WEBHOOK_SECRET.length < 16) problems.push('PAGERDUTY_WEBHOOK_SECRET must be the webhook subscription’s signing secret (at least 16 characters)');
  }
  return {
    kind: 'pagerduty',
    routingKey: e.PAGERDUTY_ROUTING_KEY ?? LOCAL.pagerDuty.routingKey,
    // Local mode talks to the stand-in (the server fills its URL in) unless told otherwise.
    eventsUrl: e.PAGERDUTY_EVENTS_URL ?? (mode === 'real' ? 'https://events.pagerduty.com' : undefined),
    webhookSecret: e.PAGERDUTY_WEBHOOK_SECRET ?? (mode === 'local' ? LOCAL.pagerDuty.webhookSecret : undefined),
  };
}

function statusPageSettings(e: Settings, mode: Mode, problems: string[]): Config['statusPage'] {
  if (e.STATUS_PAGE !== 'statuspage') return undefined;
  if (mode === 'real') {
    if (!e.STATUSPAGE_API_KEY) problems.push('STATUSPAGE_API_KEY is required with STATUS_PAGE=statuspage (Statuspage → API info)');
    if (!e.STATUSPAGE_PAGE_ID) problems.push('STATUSPAGE_PAGE_ID is required with STATUS_PAGE=statuspage (the page id in Statuspage → API info)');
    else if (!/^[a-z0-9]{6,40}$/i.test(e.STATUSPAGE_PAGE_ID)) problems.push('STATUSPAGE_PAGE_ID must be the page id (letters and digits), not the page URL');
  }
  return {
    kind: 'statuspage',
    apiUrl: e.STATUSPAGE_API_URL ?? (mode === 'real' ? 'https://api.statuspage.io' : undefined),
    pageId: e.STATUSPAGE_PAGE_ID ?? LOCAL.statuspage.pageId,
    apiKey: e.STATUSPAGE_API_KEY ?? LOCAL.statuspage.apiKey,
  };
}

function alertSecrets(e: Settings, mode: Mode, problems: string[]): Partial<Record<AlertSource, string>> {
  const secrets: Partial<Record<AlertSource, string>> = {};
  for (const source of ALERT_SOURCES) {
    const name = `ALERT_SECRET_${source.toUpperCase()}` as 'ALERT_SECRET_GENERIC';
    // Local mode has a known secret so the walkthrough's curl works; real mode needs real ones.
    const value = e[name] ?? (mode === 'local' ? LOCAL.alertSecret : undefined);
    if (value && mode === 'real' && value.length < 16) problems.push(`${name} must be at least 16 characters (a random secret shared with the monitor)`);
    if (value) secrets[source] = value;
  }
  return secrets;
}

/**
 * The tenants whose Teams activities the bot acts on: the app's own (MICROSOFT_APP_TENANT_ID) unless
 * ALLOWED_TENANT_IDS names them, GUIDs only. The list must include the app's own tenant: the incidents
 * team is there, and without it every activity from that team would be refused.
 */
function allowedTenants(e: Settings, problems: string[]): string[] {
  const home = e.MICROSOFT_APP_TENANT_ID?.toLowerCase();
  if (e.ALLOWED_TENANT_IDS.length === 0) return home ? [home] : [];
  const malformed = e.ALLOWED_TENANT_IDS.filter((id) => !GUID.test(id));
  if (malformed.length > 0) problems.push(`ALLOWED_TENANT_IDS must list tenant ids (GUIDs) separated by commas; not a GUID: ${malformed.map((id) => id.slice(0, 60)).join(', ')}`);
  if (home && !e.ALLOWED_TENANT_IDS.includes(home)) problems.push('ALLOWED_TENANT_IDS must include MICROSOFT_APP_TENANT_ID (the incidents team is in that tenant)');
  return [...new Set(e.ALLOWED_TENANT_IDS)];
}

/** The environment, with a `.env` file in the working directory loaded first when present. */
export function readEnvironment(): Record<string, string | undefined> {
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new ConfigError([`.env could not be read: ${(error as Error).message}`]);
  }
  return process.env;
}
