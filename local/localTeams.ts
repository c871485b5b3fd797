import { ConnectorStandIn } from './standins/connectorStandIn.js';
import { EntraIdentity } from './standins/entraIdentity.js';
import { GraphStandIn } from './standins/graphStandIn.js';
import { PagerDutyStandIn } from './standins/pagerDutyStandIn.js';
import { StatuspageStandIn } from './standins/statuspageStandIn.js';
import { GitHubStandIn } from './standins/githubStandIn.js';
import { JiraStandIn } from './standins/jiraStandIn.js';
import { AzureDevOpsStandIn } from './standins/azureDevOpsStandIn.js';
import { peopleFrom } from './world/people.js';
import { TeamsWorld } from './world/teamsWorld.js';
import { WorldFileStore } from './world/worldFile.js';
import type { Config } from '../config.js';
import { CHAT_RSC, setupGrants } from '../adapters/graph/permissions.js';
import { MICROSOFT_365_CLIENT_IDS } from '../tab/auth.js';
import { LOCAL } from './defaults.js';

export interface LocalTeamsOptions {
  readonly teamId: string;
  readonly appCatalogId: string;
  readonly meetingOrganizers: readonly string[];
  readonly graphPort?: number;
  readonly connectorPort?: number;
  readonly entraPort?: number;
  /** The tab's app registration, whose SSO tokens the Entra stand-in issues to people of the local tenant. */
  readonly tabApp?: { readonly appId: string; readonly resource?: string };
  /** Names of the incidents team's members (LOCAL_PEOPLE); the sample directory by default. */
  readonly people?: readonly string[];
  /** Also run a PagerDuty stand-in accepting this routing key (PAGER=pagerduty in local mode). */
  readonly pagerDutyRoutingKey?: string;
  /** Also run a Statuspage stand-in for this page and key (STATUS_PAGE=statuspage in local mode). */
  readonly statuspage?: { readonly pageId: string; readonly apiKey: string };
  /** Also run a GitHub stand-in for this repository (TRACKER=github in local mode). */
  readonly github?: { readonly repo: string; readonly token: string; readonly webhookSecret?: string };
  /** Also run a Jira Cloud stand-in for this project and account (TRACKER=jira in local mode). */
  readonly jira?: { readonly projectKey: string; readonly email: string; readonly apiToken: string; readonly webhookSecret?: string };
  /** Also run an Azure DevOps stand-in for this project and token (TRACKER=azure-devops in local mode). */
  readonly azureDevOps?: { readonly project: string; readonly pat: string; readonly hookAuth?: { readonly username: string; readonly password: string } };
  /** The Graph permissions the app holds; by default what the setup steps tell an admin to grant. */
  readonly granted?: Iterable<string>;
  /** Keep local Teams (channels, posts, meetings) in this folder between restarts. */
  readonly dataDir?: string;
}

/** Graph, the Bot connector and Entra ID, as real HTTP servers over one shared local Teams. */
export class LocalTeams {
  readonly world: TeamsWorld;
  readonly graph: GraphStandIn;
  readonly connector: ConnectorStandIn;
  /** Issues the tab's Teams SSO tokens to the local team's people and publishes their signing keys. */
  entra!: EntraIdentity;
  readonly pagerDuty?: PagerDutyStandIn;
  readonly statuspage?: StatuspageStandIn;
  readonly github?: GitHubStandIn;
  readonly jira?: JiraStandIn;
  readonly azureDevOps?: AzureDevOpsStandIn;
  private keep?: { readonly store: WorldFileStore; readonly timer: NodeJS.Timeout };

  /** Points the trackers' stand-ins' webhooks (GitHub's, Jira's admin webhook, Azure DevOps' service hook) at the app. */
  connectTrackerHooks(appUrl: string): void {
    const hook = (system: string) => `${appUrl.replace(/\/+$/, '')}/api/trackers/${system}/webhook`;
    if (this.github) this.github.hookUrl = hook('github');
    if (this.jira) this.jira.hookUrl = hook('jira');
    if (this.azureDevOps) this.azureDevOps.hookUrl = hook('azureDevOps');
  }

  private constructor(options: LocalTeamsOptions) {
    if (options.statuspage) this.statuspage = new StatuspageStandIn(options.statuspage.pageId, options.statuspage.apiKey);
    if (options.github) this.github = new GitHubStandIn(options.github.repo, options.github.token, options.github.webhookSecret ?? '');
    if (options.azureDevOps) this.azureDevOps = new AzureDevOpsStandIn(LOCAL.azureDevOps.organization, options.azureDevOps.project, options.azureDevOps.pat, options.azureDevOps.hookAuth ?? { username: '', password: '' });
    if (options.jira) this.jira = new JiraStandIn(options.jira.projectKey, { email: options.jira.email, apiToken: options.jira.apiToken, displayName: 'incident-room' }, options.jira.webhookSecret ?? '');
    if (options.pagerDutyRoutingKey) this.pagerDuty = new PagerDutyStandIn(options.pagerDutyRoutingKey);
    this.world = new TeamsWorld(options.teamId, new Set([options.appCatalogId]), new Set(options.meetingOrganizers), options.people && peopleFrom(options.people));
    this.graph = new GraphStandIn(this.world, { granted: options.granted ?? setupGrants(), appChatRsc: CHAT_RSC });
    this.graph.planner.addPlan(LOCAL.planner.planId, [LOCAL.planner.bucketId]);
    this.connector = new ConnectorStandIn(this.world);
  }

  static async start(options: LocalTeamsOptions): Promise<LocalTeams> {
    const local = new LocalTeams(options);
    await local.connector.start(options.connectorPort ?? 0);
    await local.graph.start(options.graphPort ?? 0);
    local.entra = await startEntra(local.world, options);
    await local.pagerDuty?.start(0);
    await local.statuspage?.start(0);
    await local.github?.start(0);
    await local.jira?.start(0);
    await local.azureDevOps?.start(0);
    if (options.dataDir) {
      const store = new WorldFileStore(options.dataDir);
      store.restore(local.world);
      const timer = setInterval(() => store.save(local.world), 2000);
      timer.unref();
      local.keep = { store, timer };
    }
    // Channels created before the connector knew its URL (General) get their web URL now.
    for (const channel of local.world.channels.values()) channel.webUrl = `${local.connector.url}/view/channels/${encodeURIComponent(channel.id)}`;
    return local;
  }

  async stop(): Promise<void> {
    if (this.keep) {
      clearInterval(this.keep.timer);
      this.keep.store.save(this.world);
    }
    await Promise.all([this.graph.stop(), this.connector.stop(), this.entra.stop(), this.pagerDuty?.stop(), this.statuspage?.stop(), this.github?.stop(), this.jira?.stop(), this.azureDevOps?.stop()]);
  }
}

/**
 * Local Entra ID: the local tenant's directory is the incidents team's people, and the tab's app
 * registration exposes access_as_user to Teams and the Microsoft 365 clients, as its setup steps say.
 */
function startEntra(world: TeamsWorld, options: LocalTeamsOptions): Promise<EntraIdentity> {
  const app = options.tabApp ?? { appId: LOCAL.appId, resource: LOCAL.appIdUri };
  return EntraIdentity.start({
    clients: [],
    apis: [{ appId: app.appId, identifierUri: app.resource, tenantId: LOCAL.tenantId, scopes: ['access_as_user'], authorizedClients: MICROSOFT_365_CLIENT_IDS }],
    directory: (tenantId) => (tenantId === LOCAL.tenantId ? world.people.map((p) => ({ oid: p.aadObjectId, name: p.name, upn: p.email })) : []),
    port: options.entraPort ?? 0,
  });
}

/**
 * Local mode's Teams, from the settings: the stand-ins the app talks to instead of Microsoft's
 * services (and PagerDuty's and Statuspage's when those are chosen). `anyPorts` picks free ports
 * (tests and benches run many at once).
 */
export function startLocalTeams(config: Config, options: { readonly anyPorts?: boolean; readonly dataDir?: string } = {}): Promise<LocalTeams> {
  return LocalTeams.start({
    teamId: config.teamId,
    appCatalogId: config.appCatalogId,
    meetingOrganizers: config.meetingOrganizerId ? [config.meetingOrganizerId] : [],
    graphPort: options.anyPorts ? 0 : config.local.graphPort,
    connectorPort: options.anyPorts ? 0 : config.local.connectorPort,
    entraPort: options.anyPorts ? 0 : config.local.entraPort,
    tabApp: config.tabSso,
    people: config.local.people,
    pagerDutyRoutingKey: config.pager.kind === 'pagerduty' ? config.pager.routingKey : undefined,
    statuspage: config.statusPage,
    github: config.tracker?.kind === 'github' && !config.tracker.apiUrl ? config.tracker : undefined,
    jira: config.tracker?.kind === 'jira' && !config.tracker.siteUrl ? config.tracker : undefined,
    azureDevOps: config.tracker?.kind === 'azureDevOps' && !config.tracker.organizationUrl ? config.tracker : undefined,
    dataDir: options.dataDir,
  });
}
