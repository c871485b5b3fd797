/**
 * Composition root: config → database → Teams gateways → use cases → restify routes.
 * `npm start` runs main(); tests call startApp() with their own config on port 0.
 */
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { ConfigError, loadConfig, readEnvironment, type Config } from './config.js';
import { incidentLabel, type Incident } from './models/incident/incident.js';
import { openDatabaseWhenReachable, type Database } from './models/mongo/mongoStore.js';
import { startEmbeddedMongo, type EmbeddedMongo } from './models/mongo/embedded.js';
import { systemClock, type Clock } from './models/ports.js';
import { CachedConversations } from './models/support/conversationCache.js';
import { Provisioner } from './models/warRoom/provisioning.js';
import { ProvisioningRunner } from './models/warRoom/provisioningRunner.js';
import { createAdapter } from './bot/adapter.js';
import { commandTable } from './bot/commands.js';
import { ConnectorMessenger } from './bot/connectorMessenger.js';
import { incidentCard } from './bot/cards/incidentCard.js';
import { IncidentDesk } from './bot/incidentDesk.js';
import { IncidentActions } from './models/actions/incidentActions.js';
import { DeclareFlow } from './bot/declareFlow.js';
import { GraphActivityFeed } from './adapters/graph/graphActivityFeed.js';
import { Notifications } from './models/actions/notifications.js';
import { FollowerUpdates } from './models/actions/followers.js';
import { PublicStatusSync } from './models/actions/statusPage.js';
import { StatuspagePage } from './adapters/statuspage.js';
import { clientCredentialTokens, createGraphClient, localTokens } from './adapters/graph/graphClient.js';
import { GraphWorkspace } from './adapters/graph/graphWorkspace.js';
import { recordAttendance } from './models/record/meetingAttendance.js';
import { MessageExtension } from './bot/messageExtension.js';
import { IncidentBot } from './bot/incidentBot.js';
import { mountBotRoutes } from './bot/messagesRoute.js';
import { instrumentRequests, mountOpsRoutes } from './http/opsRoutes.js';
import { PrometheusTelemetry } from './adapters/prometheus.js';
import { requestContext } from './http/requestContext.js';
import { verbTable } from './bot/verbs.js';
import { mountTabRoutes } from './tab/routes.js';
import { mountTabApi } from './tab/api.js';
import { mountMetricsApi } from './tab/metricsApi.js';
import { mountMyIncidentsApi } from './tab/myIncidentsApi.js';
import { localDevAuthenticator, ssoAuthenticator, type TabAuthenticator } from './tab/auth.js';
import { IncidentTab } from './models/record/incidentTab.js';
import { Postmortems } from './models/postmortem/postmortems.js';
import { mountSandboxRoutes } from './local/sandbox/routes.js';
import { JobRunner } from './models/paging/jobs.js';
import { localOnCall } from './models/paging/oncall.js';
import { Paging } from './models/paging/paging.js';
import { Rota } from './models/paging/rota.js';
import { RotaPager } from './models/paging/rotaPager.js';
import { AlertIntake } from './models/alerts/alertIntake.js';
import { MongoAlertStore } from './models/mongo/alertStore.js';
import { mountAlertRoutes } from './http/alertRoutes.js';
import { mountPagerDutyWebhook, PagerDutyPager } from './adapters/pagerDuty.js';
import type { Pager } from './models/ports.js';
import { startLocalTeams, type LocalTeams } from './local/localTeams.js';
import { LOCAL, LOCAL_BOT, LOCAL_DEV_IDENTITY } from './local/defaults.js';

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
  /** How the tab API checks who is calling (default: Teams SSO in real mode, the dev identity in local mode). */
  readonly tabAuthenticator?: TabAuthenticator;
}

/** JSON logs: secrets redacted; every line written while a request is handled names it (and its incident, once known). */
export function createLogger(level: string, destination?: DestinationStream): PinoLogger {
  const options = {
    level,
    redact: ['*.appPassword', '*.authorization', '*.apiKey', '*.routingKey', '*.password', 'req.headers.authorization', 'headers.authorization'],
    mixin: () => requestContext.fields(),
  };
  return destination ? pino(options, destination) : pino(options);
}

export async function startApp(config: Config, options: StartOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLogger(config.logLevel);
  const telemetry = new PrometheusTelemetry();
  let shuttingDown = false;
  const clock = options.clock ?? systemClock;
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    let embedded: EmbeddedMongo | undefined;
    if (!config.mongodbUri) {
      embedded = await startEmbeddedMongo();
      cleanups.push(() => embedded!.stop());
    }
    const database = await openDatabaseWhenReachable(config.mongodbUri ?? embedded!.uri, config.dbConnectRetryMs, log);
    cleanups.push(() => database.close());
    const store = database.store;
    /** The tenant in real mode; local mode's own (incidents there belong to the dev identity's tenant). */
    const tenantId = config.teams?.tenantId ?? LOCAL_DEV_IDENTITY.tenantId;
    const statusPageOn = Boolean(config.statusPage);

    let local = options.local;
    if (!local && config.mode === 'local') {
      const started = await startLocalTeams(config);
      cleanups.push(() => started.stop());
      local = started;
    }

    const graph = createGraphClient(local ? local.graph.url : config.graphBaseUrl, config.teams ? clientCredentialTokens(config.teams) : localTokens);
    const workspace = new GraphWorkspace(graph, { teamId: config.teamId, appCatalogId: config.appCatalogId, meetingOrganizerId: config.meetingOrganizerId });
    const adapter = createAdapter(config, log);
    const rules = config.escalation;
    const renderIncidentCard = (incident: Incident, notice?: string) =>
      incidentCard(incident, { now: clock.now(), rules, profile: config.profiles.for(incident.tenantId), statusPage: statusPageOn, notice });
    const conversations = new CachedConversations(store, clock);
    const messenger = new ConnectorMessenger(
      {
        adapter,
        botAppId: config.teams?.appId ?? '',
        conversations,
        fallbackServiceUrl: local ? `${local.connector.url}/` : config.botServiceUrl,
        broadcastChannelId: config.broadcastChannelId,
        profiles: config.profiles,
      },
      { incident: (incident) => renderIncidentCard(incident) },
    );

    const server = restify.createServer({ name: 'incident-room', handleUncaughtExceptions: false, log: log.child({ component: 'http' }) as never });
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 512 * 1024, rejectUnknown: true }));
    instrumentRequests(server, { telemetry, log });
    let baseUrl = config.publicBaseUrl ?? '';
    const publicBaseUrl = () => baseUrl;

    // Paging and provisioning need each other's results only through the database; the
    // provisioner schedules the paging timers when it starts on an incident.
    let paging: Paging | undefined;
    const provisioner = new Provisioner({
      telemetry,
      onStart: (incident) => paging!.incidentDeclared(incident),
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
        tabFor: (incident) => ({
          displayName: incidentLabel(incident),
          entityId: incident.id,
          contentUrl: `${publicBaseUrl()}/tab/incidents/${incident.id}`,
          websiteUrl: `${publicBaseUrl()}/tab/incidents/${incident.id}`,
        }),
      },
    });
    const runner = new ProvisioningRunner(provisioner, log);
    cleanups.unshift(() => runner.stop());
    const actions = new IncidentActions({ store, messenger, workspace, clock, log, rules, profiles: config.profiles });
    cleanups.unshift(() => actions.drain());
    const rota = new Rota({ store: database.onCall, clock, initial: config.onCall ?? (local ? localOnCall(local.world.people) : undefined) });
    for (const warning of (await rota.view(tenantId)).warnings) log.warn({ component: 'oncall' }, warning);
    paging = new Paging({ store, jobs: database.jobs, actions, messenger, pager: choosePager(config, messenger, clock, local), setup: (tenantId) => rota.setup(tenantId), clock, log });
    const pagingTimers = paging;
    actions.onApplied((incident, event) => pagingTimers.incidentChanged(incident, event));
    const notifications = new Notifications({ feed: new GraphActivityFeed(graph, config.teamId), messenger, clock, log, pagesMentionInChat: config.pager.kind === 'rota' });
    actions.onApplied((incident, event) => notifications.incidentChanged(incident, event));
    const followers = new FollowerUpdates({ messenger, log });
    actions.onApplied((incident, event) => followers.incidentChanged(incident, event));
    const statusPage = chooseStatusPage(config, local);
    if (statusPage) {
      const publicStatus = new PublicStatusSync({ page: statusPage, actions, messenger, clock, log });
      actions.onApplied((incident, event) => publicStatus.incidentChanged(incident, event));
    }
    const jobs = new JobRunner({ store: database.jobs, clock, log, owner: config.instanceId, leaseMs: config.timers.leaseMs, handlers: paging.handlers, telemetry });
    cleanups.unshift(() => jobs.stop());
    const desk = new IncidentDesk({ store, actions, workspace, clock, renderCard: renderIncidentCard });
    const declare = new DeclareFlow({ store, clock, runner, profiles: config.profiles, log });
    const bot = new IncidentBot({
      commands: commandTable({ declare, desk, rota, metrics: { store: database.metrics, clock, url: () => `${publicBaseUrl()}/tab/metrics` }, myIncidentsUrl: () => `${publicBaseUrl()}/tab/mine` }),
      verbs: verbTable({ declare, desk }),
      messageExtension: new MessageExtension(declare),
      attendance: (change) => recordAttendance({ store, clock }, change),
      conversations,
      log,
      defaultTenantId: tenantId,
      desk,
    });

    mountBotRoutes(server, adapter, bot);
    const alerts = new AlertIntake({
      store,
      alerts: database.alerts,
      actions,
      clock,
      log,
      tenantId,
      severityWords: config.alerts.severityWords,
      defaultSeverity: config.alerts.defaultSeverity,
      autoResolve: config.alerts.autoResolve,
      provision: (incidentId) => runner.start(incidentId),
    });
    cleanups.unshift(() => alerts.drain());
    mountAlertRoutes(server, { intake: alerts, secrets: config.alerts.secrets, log });
    if (config.pager.kind === 'pagerduty' && config.pager.webhookSecret) {
      mountPagerDutyWebhook(server, { secret: config.pager.webhookSecret, store, actions, log });
    }
    const postmortems = new Postmortems({ store, actions, messenger, workspace, clock, log, archiveOnPublish: config.archiveOnPublish });
    const tabAuthenticator =
      options.tabAuthenticator ??
      (config.tabSso
        ? ssoAuthenticator({ ...config.tabSso, isMember: (userId) => workspace.isTeamMember(userId) })
        : localDevAuthenticator(LOCAL_DEV_IDENTITY));
    mountTabRoutes(server, { publicBaseUrl, mode: config.mode });
    mountMetricsApi(server, { authenticate: tabAuthenticator, metrics: database.metrics, store, clock, log, localTenantId: tenantId });
    mountMyIncidentsApi(server, { authenticate: tabAuthenticator, store, actions, publicBaseUrl, log, localTenantId: tenantId, profiles: config.profiles });
    mountTabApi(server, { authenticate: tabAuthenticator, tab: new IncidentTab({ store, profiles: config.profiles }), actions, postmortems, publicBaseUrl, log });
    let selfUrl = '';
    if (local) {
      // Local mode only: the browser sandbox, a Teams-like client of /api/messages (issue 9).
      mountSandboxRoutes(server, { local, tenantId, appUrl: () => selfUrl, bot: LOCAL_BOT });
    }
    mountOpsRoutes(server, { mode: config.mode, telemetry, log, ping: () => database.ping(), shuttingDown: () => shuttingDown, metricsToken: config.metricsToken });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    selfUrl = url;
    if (local?.pagerDuty && config.pager.kind === 'pagerduty' && config.pager.webhookSecret) {
      // The local PagerDuty's webhook subscription points back at this app.
      local.pagerDuty.webhook = { url: `${url}/api/pagerduty/webhook`, secret: config.pager.webhookSecret };
    }
    baseUrl ||= url.replace('127.0.0.1', 'localhost');

    if (options.resume !== false) {
      // At start, and then periodically: a replica that died mid-provisioning leaves a lease
      // that expires; whoever sweeps next finishes its war room.
      let sweeping: Promise<unknown> = Promise.resolve();
      const sweep = () => {
        sweeping = Promise.all([provisioner.resumeAll(), actions.flushAllOutboxes(), alerts.sweep()]).catch((error: unknown) => log.error({ err: error }, 'could not resume unfinished work'));
      };
      sweep();
      const timer = setInterval(sweep, config.provisioning.sweepMs);
      timer.unref();
      // Shutdown waits for a sweep in progress (the provisioner has been told to stop) before the database closes.
      cleanups.unshift(async () => {
        clearInterval(timer);
        provisioner.stop();
        await sweeping;
      });
    }
    if (options.timers !== false) jobs.start(config.timers.pollMs);
    // First at shutdown: stop accepting connections and let the requests in flight finish.
    cleanups.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())));

    return {
      url,
      config,
      database,
      provisioner,
      runner,
      actions,
      postmortems,
      jobs,
      rota,
      alerts,
      local,
      log,
      telemetry,
      async close() {
        // Readiness fails first, so a load balancer stops sending work while in-flight work finishes.
        shuttingDown = true;
        for (const cleanup of cleanups.splice(0)) await cleanup().catch((error: unknown) => log.warn({ err: error }, 'error while shutting down'));
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

/** Statuspage when STATUS_PAGE=statuspage (its stand-in in local mode unless STATUSPAGE_API_URL says otherwise). */
function chooseStatusPage(config: Config, local: LocalTeams | undefined): StatuspagePage | undefined {
  if (!config.statusPage) return undefined;
  const apiUrl = config.statusPage.apiUrl ?? local?.statuspage?.url;
  if (!apiUrl) throw new ConfigError(['STATUS_PAGE=statuspage needs STATUSPAGE_API_URL here (no local Statuspage stand-in is running)']);
  return new StatuspagePage({ apiUrl, pageId: config.statusPage.pageId, apiKey: config.statusPage.apiKey });
}

/** The built-in rota, or PagerDuty (its stand-in in local mode unless PAGERDUTY_EVENTS_URL says otherwise). */
function choosePager(config: Config, messenger: ConnectorMessenger, clock: Clock, local: LocalTeams | undefined): Pager {
  if (config.pager.kind === 'rota') return new RotaPager(messenger, config.profiles);
  const eventsUrl = config.pager.eventsUrl ?? local?.pagerDuty?.url;
  if (!eventsUrl) throw new ConfigError(['PAGER=pagerduty needs PAGERDUTY_EVENTS_URL here (no local PagerDuty stand-in is running)']);
  return new PagerDutyPager({ eventsUrl, routingKey: config.pager.routingKey }, messenger, clock);
}

function printLocalBanner(app: RunningApp): void {
  const local = app.local!;
  const lines = [
    '',
    '  incident-room is running in LOCAL MODE: stand-in Teams, embedded database, no sign-in.',
    '',
    `  Open the sandbox    ${app.url.replace('127.0.0.1', 'localhost')}/   (the incidents team in your browser: declare, click cards, open the tab)`,
    '',
    `  Bot endpoint        POST ${app.url}/api/messages`,
    `  What Teams received ${local.connector.url}/   (channels, cards, meetings)`,
    `  Graph stand-in      ${local.graph.url}/v1.0/...`,
    `  Connector stand-in  ${local.connector.url}/v3/conversations   (use as serviceUrl)`,
    `  Health              ${app.url}/healthz`,
    `  Alert webhooks      POST ${app.url}/api/alerts/{generic,alertmanager,grafana}   (Authorization: Bearer ${LOCAL.alertSecret})`,
    `  Pager               ${app.config.pager.kind === 'pagerduty' ? `PagerDuty stand-in at ${local.pagerDuty?.url}` : 'on-call rota of the sandbox people (@mentions in the incident channel)'}`,
    `  Database            ${app.config.mongodbUri ? 'MONGODB_URI' : 'embedded CongoDB (in memory; gone when you stop)'}`,
    '',
    '  Declare an incident:',
    `    curl -s -X POST ${app.url}/api/messages -H 'Content-Type: application/json' -d '{"type":"message","id":"demo-1","channelId":"msteams",` +
      `"serviceUrl":"${local.connector.url}/","from":{"id":"29:alex","name":"Alex"},"recipient":{"id":"28:bot","name":"incident-room"},` +
      `"conversation":{"id":"19:general@thread.tacv2","tenantId":"local-tenant","conversationType":"channel"},"text":"<at>incident-room</at> declare Checkout API returns 500s --sev P1",` +
      `"entities":[{"type":"mention","text":"<at>incident-room</at>","mentioned":{"id":"28:bot","name":"incident-room"}}]}'`,
    `  then open ${local.connector.url}/`,
    '',
    '  Or let a monitor declare one:',
    `    curl -s -X POST ${app.url}/api/alerts/generic -H 'Authorization: Bearer ${LOCAL.alertSecret}' -H 'Content-Type: application/json' -d '{"title":"Checkout 5xx above 5%","severity":"critical","component":"checkout"}'`,
    '',
  ];
  console.log(lines.join('\n'));
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
  const app = await startApp(config);
  if (app.local) printLocalBanner(app);
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
