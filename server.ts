/**
 * Composition root, in named steps: listen → local mode's Teams (if any) → stores → Teams
 * gateways → use cases → routes → background work. `npm start` runs main(); tests call
 * startApp() with their own config on port 0.
 */
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Logger as PinoLogger } from 'pino';
import { ConfigError, loadConfig, readEnvironment, type Config } from './config.js';
import { openDatabaseWhenReachable, type Database } from './models/mongo/database.js';
import { startEmbeddedMongo } from './models/mongo/embedded.js';
import type { Clock } from './models/ports/clock.js';
import type { Pager } from './models/ports/pager.js';
import { systemClock } from './models/support/systemClock.js';
import { CachedConversations } from './models/support/conversationCache.js';
import { Provisioner } from './models/warRoom/provisioning.js';
import { ProvisioningRunner } from './models/warRoom/provisioningRunner.js';
import { IncidentActions } from './models/actions/incidentActions.js';
import { Notifications } from './models/actions/notifications.js';
import { FollowerUpdates } from './models/actions/followers.js';
import { PrivateMembership } from './models/actions/privateMembership.js';
import { PublicStatusSync } from './models/actions/publicStatusSync.js';
import { Access } from './models/access/access.js';
import { recordAttendance } from './models/record/meetingAttendance.js';
import { IncidentTab } from './models/record/incidentTab.js';
import { recordSearch } from './models/record/recordSearchSources.js';
import { myIncidents } from './models/record/myIncidents.js';
import { EventLog } from './models/record/eventLog.js';
import { Postmortems } from './models/postmortem/postmortems.js';
import { WORD_FILING } from './adapters/documents/postmortemDocx.js';
import { ReviewScheduler } from './models/followThrough/scheduleReview.js';
import { GraphCalendar } from './adapters/graph/graphCalendar.js';
import { JobRunner } from './models/paging/jobs.js';
import { localOnCall } from './models/paging/oncall.js';
import { Paging } from './models/paging/paging.js';
import { Rota } from './models/paging/rota.js';
import { RotaPager } from './models/paging/rotaPager.js';
import { AlertIntake } from './models/alerts/alertIntake.js';
import { createAdapter } from './bot/adapter.js';
import { commandTable } from './bot/commands.js';
import { ConnectorMessenger } from './bot/connectorMessenger.js';
import { incidentCardRenderer } from './bot/cards/renderer.js';
import { IncidentDesk } from './bot/incidentDesk.js';
import { DeclareFlow } from './bot/declareFlow.js';
import { messageRecord } from './bot/messageRecord.js';
import { IncidentBot } from './bot/incidentBot.js';
import { mountBotRoutes } from './bot/messagesRoute.js';
import { ActivityGate } from './bot/activityGate.js';
import { incidentTabFor, incidentTabLink } from './bot/tabLinks.js';
import { verbTable } from './bot/verbs.js';
import { IncidentDialogs } from './bot/dialogs.js';
import { GraphActivityFeed } from './adapters/graph/graphActivityFeed.js';
import { clientCredentialTokens, createGraphClient, localTokens } from './adapters/graph/graphClient.js';
import { checkApplicationPermissions } from './adapters/graph/consentedPermissions.js';
import { GraphDirectory } from './adapters/graph/graphDirectory.js';
import { ChecklistAutoTick } from './models/actions/checklistAutoTick.js';
import { GraphWorkspace } from './adapters/graph/graphWorkspace.js';
import { followThrough } from './adapters/followThroughWiring.js';
import { chooseStatusPage } from './adapters/statuspage.js';
import { graphBridgeRecord } from './adapters/graph/graphMeetingRecords.js';
import { PagerDutyPager } from './adapters/pagerDuty.js';
import { PrometheusTelemetry } from './adapters/prometheus.js';
import { listen, type HttpServer } from './http/httpServer.js';
import { mountOpsRoutes } from './http/opsRoutes.js';
import { mountAlertRoutes } from './http/alertRoutes.js';
import { mountPagerDutyWebhook } from './http/pagerDutyWebhook.js';
import { mountTrackerWebhooks } from './http/trackerWebhooks.js';
import { createLogger } from './http/logger.js';
import { ShutdownList } from './http/shutdown.js';
import { appUrls, type Urls } from './http/urls.js';
import { mountTabRoutes } from './tab/routes.js';
import { mountTabApi } from './tab/api.js';
import { mountMetricsApi } from './tab/metricsApi.js';
import { mountMyIncidentsApi } from './tab/myIncidentsApi.js';
import { tabAuthenticator } from './tab/tabSignIn.js';
import { startLocalTeams, type LocalTeams } from './local/localTeams.js';
import { mountSandboxRoutes } from './local/sandbox/routes.js';
import { sandboxOrigins } from './local/sandbox/sameOrigin.js';
import { printLocalBanner } from './local/banner.js';
import { LOCAL, LOCAL_BOT } from './local/defaults.js';

export interface RunningApp {
  readonly url: string;
  readonly config: Config;
  readonly database: Database;
  readonly provisioner: Provisioner;
  readonly runner: ProvisioningRunner;
  readonly actions: IncidentActions;
  readonly postmortems: Postmortems;
  /** Durable timers (paging, escalation, reminders): tests move the clock and call jobs.runDue(). */
  readonly jobs: JobRunner;
  readonly rota: Rota;
  readonly alerts: AlertIntake;
  /** Present in local mode: the Graph and connector stand-ins. */
  readonly local?: LocalTeams;
  readonly log: PinoLogger;
  readonly telemetry: PrometheusTelemetry;
  /** Graceful: not ready, stop accepting, finish requests in flight, stop timers and provisioning (leases released), close the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly clock?: Clock;
  readonly log?: PinoLogger;
  /** Use these stand-ins instead of starting new ones (tests share one across restarts). */
  readonly local?: LocalTeams;
  /** Finish half-built war rooms at start (default true). */
  readonly resume?: boolean;
  /** Poll for due timers in the background (default true; tests in virtual time call jobs.runDue()). */
  readonly timers?: boolean;
}

export { createLogger };

/** What every step gets: the settings, the time, the log and the operators' telemetry. */
interface Basics {
  readonly config: Config;
  readonly clock: Clock;
  readonly log: PinoLogger;
  readonly telemetry: PrometheusTelemetry;
  /** The tenant incidents belong to when an activity names none: the configured one, or local mode's. */
  readonly tenantId: string;
}

export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger(config.logging.level, undefined, config.logging.format);
  const basics: Basics = { config, clock: options.clock ?? systemClock, log, telemetry: new PrometheusTelemetry(), tenantId: config.teams?.tenantId ?? LOCAL.tenantId };
  const shutdown = new ShutdownList(log);
  let http: HttpServer | undefined;
  let shuttingDown = false;
  try {
    http = await listen(config, basics);
    const urls = appUrls(config.publicBaseUrl ?? http.url.replace('127.0.0.1', 'localhost'));
    const local = await localTeams(basics, options.local, http.url, shutdown);
    const stores = await openStores(basics, shutdown);
    const teams = teamsGateways(basics, stores, local);
    const work = useCases(basics, stores, teams, urls, local, shutdown);
    mountRoutes(http, { basics, stores, teams, work, urls, local, shuttingDown: () => shuttingDown });
    await startBackgroundWork(basics, teams, work, options, shutdown);
    shutdown.add('stop accepting requests and finish those in flight', http.close);
    return {
      url: http.url,
      config,
      database: stores,
      ...work,
      local,
      log,
      telemetry: basics.telemetry,
      async close() {
        // Readiness fails first, so a load balancer stops sending work while in-flight work finishes.
        shuttingDown = true;
        await shutdown.closeAll();
      },
    };
  } catch (error) {
    await shutdown.closeAll();
    await http?.close();
    throw error;
  }
}

/** Local mode's stand-in Teams (started here, or shared by a test), told where this app listens. */
async function localTeams(basics: Basics, shared: LocalTeams | undefined, appUrl: string, shutdown: ShutdownList): Promise<LocalTeams | undefined> {
  const { config } = basics;
  if (!shared && config.mode !== 'local') return undefined;
  // Kept between restarts with the embedded database's data (not when MONGODB_URI holds the data).
  const local = shared ?? (await startLocalTeams(config, { dataDir: config.mongodbUri ? undefined : config.local.dataDir }));
  if (!shared) shutdown.add('local Teams stand-ins', () => local.stop());
  // Teams sends meeting participant events to the bot's messaging endpoint.
  local.world.meetingEventRoute = { botEndpoint: `${appUrl}/api/messages`, serviceUrl: `${local.connector.url}/`, tenantId: basics.tenantId };
  if (local.pagerDuty && config.pager.kind === 'pagerduty' && config.pager.webhookSecret) {
    // The local PagerDuty's webhook subscription points back at this app.
    local.pagerDuty.webhook = { url: `${appUrl}/api/pagerduty/webhook`, secret: config.pager.webhookSecret };
  }
  return local;
}

/** MongoDB at MONGODB_URI, or the embedded server in local mode; every store over one connection. */
async function openStores(basics: Basics, shutdown: ShutdownList): Promise<Database> {
  const { config, log } = basics;
  let uri = config.mongodbUri;
  if (!uri) {
    // Local mode keeps its data in a folder between restarts (LOCAL_DATA_DIR; `npm start -- --fresh` empties it).
    const embedded = await startEmbeddedMongo('incident-room', { dataDir: config.local.dataDir });
    if (embedded.restored) log.info({ dataDir: config.local.dataDir, ...embedded.restored }, 'local mode: data from the last run restored');
    shutdown.add('embedded database', () => embedded.stop());
    uri = embedded.uri;
  }
  const database = await openDatabaseWhenReachable(uri, config.dbConnectRetryMs, log);
  database.store.onRecorded(new EventLog({ log, incidents: database.store }));
  shutdown.add('database connection', () => database.close());
  return database;
}

type TeamsGateways = ReturnType<typeof teamsGateways>;

/** Graph (the incidents team), the Bot Framework connector (messages and cards), and how cards look. */
function teamsGateways(basics: Basics, stores: Database, local: LocalTeams | undefined) {
  const { config, clock, log } = basics;
  const tokens = config.teams ? clientCredentialTokens(config.teams, config.cloud) : localTokens;
  const graph = createGraphClient(local ? local.graph.url : config.graphBaseUrl, tokens);
  const workspace = new GraphWorkspace(graph, { teamId: config.teamId, appCatalogId: config.appCatalogId, meetingOrganizerId: config.meetingOrganizerId, graphBaseUrl: config.graphBaseUrl, botAppId: config.teams?.appId ?? local?.world.botAppId ?? '' });
  const adapter = createAdapter(config, log);
  const rota = new Rota({ store: stores.onCall, clock, initial: config.onCall ?? (local ? localOnCall(local.world.people) : undefined) });
  const cards = incidentCardRenderer({ clock, rules: config.escalation, profiles: config.profiles, statusPage: Boolean(config.statusPage), onCallSetup: (tenantId) => rota.setup(tenantId), postmortemUrl: (i) => i.tab?.webUrl });
  const conversations = new CachedConversations(stores.store, clock);
  const messenger = new ConnectorMessenger(
    {
      adapter,
      botAppId: config.teams?.appId ?? '',
      conversations,
      fallbackServiceUrl: local ? `${local.connector.url}/` : config.botServiceUrl,
      broadcastChannelId: config.broadcastChannelId,
      profiles: config.profiles,
    },
    cards,
  );
  return { tokens, graph, workspace, adapter, cards, conversations, messenger, rota, access: new Access({ membership: workspace, directory: new GraphDirectory(graph), policyOf: (tenantId) => config.profiles.policyOf(tenantId), clock, log }) };
}

type UseCases = ReturnType<typeof useCases>;

/** The use cases, each given only the ports it needs; the reactions that follow every change. */
function useCases(basics: Basics, stores: Database, teams: TeamsGateways, urls: Urls, local: LocalTeams | undefined, shutdown: ShutdownList) {
  const { config, clock, log, telemetry } = basics;
  const { store } = stores;
  const { workspace, messenger, rota } = teams;
  const delivery = { effects: stores.effects, broadcastTeamId: config.broadcastTeamId, owner: config.instanceId, leaseMs: config.provisioning.leaseMs };
  const actions = new IncidentActions({ store, messenger, workspace, clock, log, rules: config.escalation, profiles: config.profiles, access: teams.access, ...delivery });
  const paging = new Paging({ store, jobs: stores.jobs, actions, messenger, pager: choosePager(config, messenger, clock, local), setup: (tenantId) => rota.setup(tenantId), types: config.profiles, clock, log });
  const provisioner = new Provisioner({
    telemetry,
    onStart: (incident) => paging.incidentDeclared(incident),
    store,
    workspace,
    messenger,
    clock,
    log,
    config: {
      profiles: config.profiles,
      meetingHours: config.meetingHours,
      retry: { maxAttempts: config.provisioning.maxAttempts, baseMs: config.provisioning.retryBaseMs, capMs: config.provisioning.retryCapMs },
      leaseMs: config.provisioning.leaseMs,
      owner: config.instanceId,
      broadcastChannel: config.broadcastChannelId ? { channelId: config.broadcastChannelId, teamId: config.broadcastTeamId } : undefined,
      tabFor: incidentTabFor(urls),
    },
  });
  const statusPage = chooseStatusPage(config, local?.statuspage);
  const autoTick = new ChecklistAutoTick({ actions, profiles: config.profiles, log });
  actions.react({
    paging,
    notifications: new Notifications({ feed: new GraphActivityFeed(teams.graph, config.teamId, config.graphBaseUrl), messenger, clock, log, pagesMentionInChat: config.pager.kind === 'rota' }),
    followers: new FollowerUpdates({ messenger, log }),
    members: new PrivateMembership({ workspace, messenger, actions }),
    checklist: autoTick,
    ...(statusPage ? { statusPage: new PublicStatusSync({ page: statusPage, actions, messenger, clock, log }) } : {}),
  });
  const runner = new ProvisioningRunner(provisioner, log);
  const { severityWords, defaultSeverity, autoResolve } = config.alerts;
  const alerts = new AlertIntake({ store, alerts: stores.alerts, actions, clock, log, tenantId: basics.tenantId, severityWords, defaultSeverity, autoResolve, warRooms: runner });
  const postmortems = new Postmortems({ store, actions, messenger, workspace, clock, log, archiveOnPublish: config.archiveOnPublish, types: config.profiles, filing: config.filePostmortems ? WORD_FILING : undefined });
  const { tracking, handlers } = followThrough(config, local, teams.graph, { store, postmortems, links: stores.trackerLinks, jobs: stores.jobs, actions, messenger, access: teams.access, clock, log, incidentLink: (i) => i.tab?.webUrl ?? i.channel?.webUrl ?? urls.base });
  const bridge = graphBridgeRecord(teams.graph, config.meetingOrganizerId, { store, actions, jobs: stores.jobs, transcripts: stores.transcripts, workspace, clock, log });
  const jobs = new JobRunner({ store: stores.jobs, clock, log, owner: config.instanceId, leaseMs: config.timers.leaseMs, handlers: { ...paging.handlers, ...handlers, bridge_records: bridge.handle }, telemetry });
  shutdown.add('provisioning runs in hand', () => runner.stop());
  shutdown.add('deliveries after changes', () => (actions.stop(), actions.drain()));
  shutdown.add('durable timers', () => jobs.stop());
  shutdown.add('alert processing', () => alerts.drain());
  const reviews = new ReviewScheduler({ calendar: new GraphCalendar(teams.graph, config.teamId), actions, access: teams.access, clock, log, postmortemDue: (i) => paging.postmortemDue(i), postmortemLink: (i) => incidentTabLink(urls, config.appCatalogId)(i, 'postmortem') });
  return { actions, rota, provisioner, runner, alerts, jobs, postmortems, autoTick, reviews, tracking, bridge };
}

interface RouteDeps {
  readonly basics: Basics;
  readonly stores: Database;
  readonly teams: TeamsGateways;
  readonly work: UseCases;
  readonly urls: Urls;
  readonly local?: LocalTeams;
  readonly shuttingDown: () => boolean;
}

/** Every HTTP entry point: the bot, the monitors and PagerDuty, the tab and its APIs, operations, and local mode's sandbox. */
function mountRoutes({ server, url }: HttpServer, { basics, stores, teams, work, urls, local, shuttingDown }: RouteDeps): void {
  const { config, clock, log, telemetry, tenantId } = basics;
  const { store } = stores;
  const { actions } = work;
  // Only Teams activities of the tenants served reach the bot (local mode: any tenant; one without is local mode's).
  const gate = new ActivityGate({ allowedTenantIds: config.allowedTenantIds, defaultTenantId: tenantId, log });
  mountBotRoutes(server, teams.adapter, conversationBot(basics, stores, teams, work, urls), gate);
  mountAlertRoutes(server, { intake: work.alerts, secrets: config.alerts.secrets, log });
  if (config.pager.kind === 'pagerduty' && config.pager.webhookSecret) mountPagerDutyWebhook(server, { secret: config.pager.webhookSecret, store, actions, log });
  if (work.tracking) mountTrackerWebhooks(server, { tracking: work.tracking, log });
  const authenticate = tabAuthenticator(config.tabSso, teams.access, local?.entra);
  mountTabRoutes(server, { urls, mode: config.mode, cloudFrameHosts: config.cloud.teamsClientHosts });
  mountMetricsApi(server, { authenticate, metrics: stores.metrics, store, clock, log, access: teams.access, profiles: config.profiles, directory: async (t) => (await teams.rota.setup(t))?.directory });
  mountMyIncidentsApi(server, { authenticate, store, actions, urls, log, profiles: config.profiles });
  mountTabApi(server, { authenticate, tab: new IncidentTab({ store, profiles: config.profiles, access: teams.access, chat: stores.record }), actions, postmortems: work.postmortems, reviews: work.reviews, tabLink: incidentTabLink(urls, config.appCatalogId), log, access: teams.access, tracking: work.tracking, search: recordSearch(stores), roster: teams.workspace, transcripts: stores.transcripts });
  if (local) mountSandboxRoutes(server, { local, tenantId, appUrl: url, origins: sandboxOrigins(url, urls.base), bot: LOCAL_BOT, tabApp: config.tabSso });
  mountOpsRoutes(server, { mode: config.mode, telemetry, log, ping: () => stores.ping(), shuttingDown, metricsToken: config.metricsToken });
}

/** The Teams bot: chat commands, card verbs, the message extension and meeting events, over one desk. */
function conversationBot(basics: Basics, stores: Database, teams: TeamsGateways, work: UseCases, urls: Urls): IncidentBot {
  const { config, clock, log } = basics;
  const { store } = stores;
  const desk = new IncidentDesk({ incidents: store, timeline: store, clock, actions: work.actions, access: teams.access, cards: teams.cards, roster: teams.workspace });
  const declare = new DeclareFlow({ store, clock, runner: work.runner, profiles: config.profiles, log, access: teams.access });
  return new IncidentBot({
    commands: commandTable({ declare, desk, rota: work.rota, metrics: { store: stores.metrics, clock, types: (t) => config.profiles.for(t).types }, mine: (turn) => myIncidents(store, turn.tenantId, turn.actor), urls, reviews: work.reviews, postmortems: work.postmortems }),
    verbs: verbTable({ declare, desk }),
    ...messageRecord({ incidents: store, record: stores.record, actions: work.actions, access: teams.access, profiles: config.profiles, clock, declare }),
    dialogs: new IncidentDialogs({ desk, profiles: config.profiles }),
    bridge: (event) => work.bridge.meetingEvent(event),
    attendance: (change) => recordAttendance({ store, clock, afterJoin: (incident) => work.autoTick.incidentChanged(incident, { kind: 'meeting_joined', payload: {} }) }, change),
    membershipChanged: (aadObjectId) => teams.access.forget(aadObjectId),
    conversations: teams.conversations,
    log,
    desk,
  });
}

/**
 * At start, and then periodically: a replica that died mid-provisioning leaves a lease that
 * expires, outboxes and alerts it did not finish; whoever sweeps next finishes them. Then the
 * timers, once the rota's health is logged.
 */
async function startBackgroundWork(basics: Basics, teams: TeamsGateways, work: UseCases, options: StartOptions, shutdown: ShutdownList): Promise<void> {
  const { config, log } = basics;
  // Archiving has no RSC permission: say at start, not after the first post-mortem, when it is not consented.
  if (config.archiveOnPublish) void checkApplicationPermissions({ tokens: teams.tokens, log }, ['archiveChannel']);
  if (config.filePostmortems) void checkApplicationPermissions({ tokens: teams.tokens, log }, ['uploadFile']);
  for (const warning of (await work.rota.view(basics.tenantId)).warnings) log.warn({ component: 'oncall' }, warning);
  if (options.resume !== false) {
    let sweeping: Promise<unknown> = Promise.resolve();
    const sweep = () => {
      sweeping = Promise.all([work.provisioner.resumeAll(), work.actions.flushAllOutboxes(), work.alerts.sweep()]).catch((error: unknown) => log.error({ err: error }, 'could not resume unfinished work'));
    };
    sweep();
    const timer = setInterval(sweep, config.provisioning.sweepMs);
    timer.unref();
    // Shutdown waits for a sweep in progress (the provisioner has been told to stop) before the database closes.
    shutdown.add('the sweep', async () => {
      clearInterval(timer);
      work.provisioner.stop();
      await sweeping;
    });
  }
  if (options.timers !== false) work.jobs.start(config.timers.pollMs);
}

/** The built-in rota, or PagerDuty (its stand-in in local mode unless PAGERDUTY_EVENTS_URL says otherwise). */
function choosePager(config: Config, messenger: ConnectorMessenger, clock: Clock, local: LocalTeams | undefined): Pager {
  if (config.pager.kind === 'rota') return new RotaPager(messenger, config.profiles);
  const eventsUrl = config.pager.eventsUrl ?? local?.pagerDuty?.url;
  if (!eventsUrl) throw new ConfigError(['PAGER=pagerduty needs PAGERDUTY_EVENTS_URL here (no local PagerDuty stand-in is running)']);
  return new PagerDutyPager({ eventsUrl, routingKey: config.pager.routingKey, routingKeyFor: (incident) => config.profiles.pagerDutyKeyOf(incident) }, messenger, clock);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(readEnvironment());
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (process.argv.includes('--fresh') && config.local.dataDir && config.mode === 'local') rmSync(config.local.dataDir, { recursive: true, force: true });
  const app = await startApp(config);
  if (app.local) printLocalBanner({ url: app.url, config, local: app.local });
  else app.log.info({ url: app.url, publicBaseUrl: config.publicBaseUrl }, 'incident-room is running (real Teams mode)');
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down: finishing in-flight provisioning');
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`incident-room failed to start: ${(error as Error).message}`);
    process.exit(1);
  });
}
