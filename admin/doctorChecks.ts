/**
 * What `npm run doctor` checks, in order, each with a plain verdict and the fix. Every Graph
 * permission it expects comes from the one permission table (adapters/graph/permissions.ts); the
 * application permissions the tenant consented to are read from the `roles` claim of the app's
 * own token ("Access tokens": app-only tokens carry the granted application permissions as
 * roles), which needs no directory permission, unlike reading the service principal's
 * appRoleAssignments (Application.Read.All).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config.js';
import { namedGroups } from '../models/access/policy.js';
import { REFUSE_AT, TEAM_CHANNEL_LIMIT, WARN_AT } from '../models/warRoom/channelBudget.js';
import type { AccessTokenSource } from '../adapters/graph/graphClient.js';
import { consentedApplicationPermissions } from '../adapters/graph/consentedPermissions.js';
import { trackersCheck } from './trackerChecks.js';
import { applicationPermissions, FEATURES, GRAPH_OPERATIONS, manifestRsc, permissionHint, type Feature, type GraphOperation, type GraphOperationName } from '../adapters/graph/permissions.js';

export type Verdict = 'ok' | 'warn' | 'fail' | 'skipped';

export interface Finding {
  readonly check: string;
  readonly verdict: Verdict;
  readonly detail: string;
  readonly fix?: string;
}

export interface DoctorDatabase {
  version(): Promise<string>;
  meetingEventEvidence(since: Date): Promise<{ bridges: number; withJoins: number }>;
  close(): Promise<void>;
}

export interface DoctorDeps {
  readonly config: Config;
  readonly tokens: AccessTokenSource;
  readonly graph: Client;
  readonly fetch: typeof fetch;
  readonly openDatabase: (uri: string) => Promise<DoctorDatabase>;
  readonly now: () => Date;
}

/** What the checks learn as they go: later checks read what earlier ones found. */
interface Findings {
  roles?: ReadonlySet<string>;
  rscGrants?: ReadonlySet<string>;
}

interface Check {
  readonly name: string;
  run(deps: DoctorDeps, found: Findings): Promise<Omit<Finding, 'check'>>;
}

/** The oldest MongoDB release still supported by MongoDB Inc. that the app is tested against. */
export const MIN_MONGODB_MAJOR = 6;

const ok = (detail: string) => ({ verdict: 'ok' as const, detail });
const fail = (detail: string, fix: string) => ({ verdict: 'fail' as const, detail, fix });
const warn = (detail: string, fix: string) => ({ verdict: 'warn' as const, detail, fix });
const skipped = (detail: string) => ({ verdict: 'skipped' as const, detail });

function graphStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function graphMessage(error: unknown): string {
  const e = error as { statusCode?: number; code?: string; message?: string };
  return [e.statusCode, e.code, e.message].filter(Boolean).join(' ');
}

/** The features this deployment uses, from its settings. */
export function featuresInUse(config: Config): Feature[] {
  const meetings = config.meetingOrganizerId !== undefined;
  return (Object.keys(FEATURES) as Feature[]).filter((feature) => {
    if (feature === 'archive') return config.archiveOnPublish;
    if (feature === 'planner') return config.trackers.some((t) => t.settings.kind === 'planner');
    if (feature === 'filing') return config.filePostmortems;
    if (feature === 'accessGroups') return policiesNameGroups(config);
    if (feature === 'meeting' || feature === 'meetingLookup' || feature === 'meetingTab' || feature === 'bridgeRecords') return meetings;
    return true;
  });
}

function policiesNameGroups(config: Config): boolean {
  return [config.profiles.fallback, ...config.profiles.tenants().map((t) => t.profile)].some((profile) => namedGroups(profile.access).length > 0);
}

function missingFor(feature: Feature, found: Required<Findings>): GraphOperationName[] {
  return (Object.entries(GRAPH_OPERATIONS) as [GraphOperationName, GraphOperation][])
    .filter(([, op]) => op.feature === feature)
    .filter(([, op]) => !(op.rsc && found.rscGrants.has(op.rsc)) && !applicationPermissions(op).every((p) => found.roles.has(p)))
    .map(([name]) => name);
}

const token: Check = {
  name: 'token',
  async run(deps, found) {
    let accessToken: string;
    try {
      accessToken = await deps.tokens();
    } catch (error) {
      return fail(`no Graph token: ${(error as Error).message}`, 'Check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD (a client secret that has not expired) and MICROSOFT_APP_TENANT_ID, and CLOUD / ENTRA_AUTHORITY_HOST for your cloud.');
    }
    const roles = await consentedApplicationPermissions(async () => accessToken);
    found.roles = roles ?? new Set();
    if (!roles) return warn('got a token, but not one whose granted permissions can be read', 'Nothing to fix if the checks below pass.');
    return ok(`token acquired from ${deps.config.cloud.authorityHost} (${found.roles.size} application permission(s) consented)`);
  },
};

const installedInTeam: Check = {
  name: 'team',
  async run(deps, found) {
    const teamId = deps.config.teamId;
    try {
      const answer = (await deps.graph.api(`/teams/${encodeURIComponent(teamId)}/permissionGrants`).get()) as { value?: { clientAppId?: string; permission?: string }[] };
      const mine = (answer.value ?? []).filter((grant) => grant.clientAppId === deps.config.teams?.appId);
      found.rscGrants = new Set(mine.flatMap((grant) => (grant.permission ? [grant.permission] : [])));
      if (mine.length === 0) return fail(`the incidents team ${teamId} has no grants for this app: it is not installed there`, 'In Teams, add the app to the incidents team (Apps → Manage your apps → Upload, then Add to a team); see README "Real Teams setup".');
      const expected = manifestRsc().filter((name) => name.endsWith('.Group'));
      const absent = expected.filter((name) => !found.rscGrants!.has(name));
      // A grant missing here fails the feature that needs it below, unless an application permission covers it.
      if (absent.length > 0) return warn(`the app is installed in the team but without ${absent.join(', ')}`, 'The installed app is an older version: build the manifest (npm run manifest), upload it again in Teams admin center and update the app in the team.');
      return ok(`installed in the incidents team with its ${expected.length} RSC permissions`);
    } catch (error) {
      found.rscGrants = new Set();
      const status = graphStatus(error);
      if (status === 404) return fail(`no team ${teamId} (${graphMessage(error)})`, 'Set TEAMS_TEAM_ID to the incidents team’s group id (Teams → the team → ⋯ → Get link to team: groupId=…).');
      if (status === 403) return fail(`not allowed to read the team’s grants (${graphMessage(error)})`, `Add the app to the incidents team with the current manifest. ${permissionHint('listPermissionGrants')}`);
      return fail(`could not read the team: ${graphMessage(error)}`, 'Check GRAPH_BASE_URL / CLOUD and the network path to Microsoft Graph.');
    }
  },
};

/** One check per feature in use: every operation it performs is allowed by a grant or a consented permission. */
function featureCheck(feature: Feature): Check {
  return {
    name: `permissions:${feature}`,
    async run(deps, found) {
      if (!featuresInUse(deps.config).includes(feature)) return skipped(`not in use (${FEATURES[feature]})`);
      const missing = missingFor(feature, { roles: found.roles ?? new Set(), rscGrants: found.rscGrants ?? new Set() });
      if (missing.length === 0) return ok(FEATURES[feature]);
      const fix = missing.map((name) => permissionHint(name)).join(' ');
      // Without transcripts the bridge still works; the card and tab say what is missing.
      return feature === 'bridgeRecords' ? warn(`${FEATURES[feature]}: not allowed`, fix) : fail(`${FEATURES[feature]}: not allowed`, fix);
    },
  };
}

const channelBudget: Check = {
  name: 'channel budget',
  async run(deps) {
    try {
      const found = (await deps.graph.api(`/teams/${encodeURIComponent(deps.config.teamId)}/channels`).select(['id']).get()) as { value?: unknown[] };
      const count = found.value?.length ?? 0;
      const advice = 'Channels deleted in the last 30 days count too: plan a new incidents team (TEAMS_TEAM_ID) before the cap.';
      if (count >= REFUSE_AT) return fail(`the incidents team has ${count} of its ${TEAM_CHANNEL_LIMIT} channels: new incidents get no channel`, advice);
      if (count >= WARN_AT) return warn(`the incidents team has ${count} of its ${TEAM_CHANNEL_LIMIT} channels`, advice);
      return ok(`${count} of the team's ${TEAM_CHANNEL_LIMIT} channels in use`);
    } catch (error) {
      return skipped(`could not count the channels (${graphMessage(error)}); see the team and permissions checks`);
    }
  },
};

const meetingOrganizer: Check = {
  name: 'meeting organizer',
  async run(deps) {
    const organizer = deps.config.meetingOrganizerId;
    if (!organizer) return skipped('MEETING_ORGANIZER_ID is not set: incidents get no Teams meeting');
    try {
      // createOrGet on a fixed external id: the first run makes one meeting, every later run finds it.
      await deps.graph.api(`/users/${encodeURIComponent(organizer)}/onlineMeetings/createOrGet`).post({
        externalId: 'incident-room-doctor',
        subject: 'incident-room doctor check (safe to ignore)',
        startDateTime: deps.now().toISOString(),
        endDateTime: new Date(deps.now().getTime() + 30 * 60_000).toISOString(),
      });
      return ok(`the app may create meetings for ${organizer}`);
    } catch (error) {
      const status = graphStatus(error);
      if (status === 404) return fail(`no user ${organizer} (${graphMessage(error)})`, 'Set MEETING_ORGANIZER_ID to the Entra object id of a licensed account that owns incident meetings.');
      if (status === 403 && /access policy/i.test(graphMessage(error))) {
        return fail(`no application access policy lets the app create meetings for ${organizer}`, `In Teams PowerShell: New-CsApplicationAccessPolicy -Identity incident-room -AppIds ${deps.config.teams?.appId ?? '<MICROSOFT_APP_ID>'}, then Grant-CsApplicationAccessPolicy -PolicyName incident-room -Identity ${organizer} (allow up to 30 minutes).`);
      }
      if (status === 403) return fail(`not allowed to create meetings (${graphMessage(error)})`, permissionHint('createMeeting'));
      return fail(`could not create a meeting: ${graphMessage(error)}`, 'Check the organizer account and the network path to Microsoft Graph.');
    }
  },
};

const broadcastChannel: Check = {
  name: 'broadcast channel',
  async run(deps) {
    const channel = deps.config.broadcastChannelId;
    if (!channel) return skipped('BROADCAST_CHANNEL_ID is not set: no company-wide broadcast');
    const team = deps.config.broadcastTeamId ?? deps.config.teamId;
    try {
      const found = (await deps.graph.api(`/teams/${encodeURIComponent(team)}/channels/${encodeURIComponent(channel)}`).get()) as { displayName?: string };
      return ok(`broadcasts go to "${found.displayName ?? channel}"`);
    } catch (error) {
      const status = graphStatus(error);
      if (status === 404) return fail(`no channel ${channel} in team ${team}`, 'Set BROADCAST_CHANNEL_ID (and BROADCAST_TEAM_ID when it is in another team) from the channel’s link (Get link to channel: the 19:…@thread.tacv2 part).');
      if (status === 403) return fail(`the app cannot see team ${team} (${graphMessage(error)})`, 'Add the app to the team that holds the broadcast channel, so the bot may post there.');
      return fail(`could not read the channel: ${graphMessage(error)}`, 'Check the network path to Microsoft Graph.');
    }
  },
};

const publicUrl: Check = {
  name: 'public URL',
  async run(deps) {
    const base = deps.config.publicBaseUrl;
    if (!base) return fail('PUBLIC_BASE_URL is not set', 'Set PUBLIC_BASE_URL to the HTTPS address Teams reaches the app at.');
    if (!base.startsWith('https://')) return fail(`${base} is not HTTPS`, 'Teams calls only HTTPS endpoints: put the app behind TLS and set PUBLIC_BASE_URL to that https:// address.');
    try {
      const answer = await deps.fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) });
      if (!answer.ok) return fail(`${base}/healthz answered ${answer.status}`, 'Check that the app is running behind that address and the proxy forwards /healthz.');
      return ok(`${base}/healthz answers ${answer.status}`);
    } catch (error) {
      return fail(`${base}/healthz is not reachable: ${(error as Error).message}`, 'Check DNS, the TLS certificate and the load balancer in front of the app.');
    }
  },
};

const database: Check = {
  name: 'MongoDB',
  async run(deps) {
    const uri = deps.config.mongodbUri;
    if (!uri) return fail('MONGODB_URI is not set', 'Set MONGODB_URI to the replica set or Atlas / Cosmos DB for MongoDB connection string.');
    let db: DoctorDatabase;
    try {
      db = await deps.openDatabase(uri);
    } catch (error) {
      return fail((error as Error).message, 'Check MONGODB_URI, the credentials and the network path (firewall, Atlas IP access list).');
    }
    try {
      const version = await db.version();
      const major = Number(/^(\d+)\./.exec(version)?.[1] ?? NaN);
      if (!(major >= MIN_MONGODB_MAJOR)) return fail(`MongoDB ${version}; ${MIN_MONGODB_MAJOR}.0 or later is needed`, `Upgrade the server to MongoDB ${MIN_MONGODB_MAJOR}.0 or later.`);
      return ok(`MongoDB ${version} reachable`);
    } finally {
      await db.close();
    }
  },
};

const meetingEvents: Check = {
  name: 'meeting events',
  async run(deps) {
    if (!deps.config.meetingOrganizerId || !deps.config.mongodbUri) return skipped('no meetings, or no database to look in');
    let db: DoctorDatabase;
    try {
      db = await deps.openDatabase(deps.config.mongodbUri);
    } catch {
      return skipped('the database is not reachable (see MongoDB above)');
    }
    try {
      const { bridges, withJoins } = await db.meetingEventEvidence(new Date(deps.now().getTime() - 30 * 86_400_000));
      if (bridges < 2) return skipped(`too few incidents with a bridge in the last 30 days to tell (${bridges})`);
      if (withJoins > 0) return ok(`people joining the bridge were recorded in ${withJoins} of ${bridges} recent incidents`);
      return warn(
        `no one joining the bridge was ever recorded in ${bridges} incidents of the last 30 days: Teams is probably not sending meeting events`,
        'In the Developer Portal (Tools → Bot management → your bot → Meeting event subscriptions), turn on Participant join and Participant leave (and Meeting start / end), then save.',
      );
    } finally {
      await db.close();
    }
  },
};

export const DOCTOR_CHECKS: readonly Check[] = [token, installedInTeam, ...(Object.keys(FEATURES) as Feature[]).map(featureCheck), channelBudget, meetingOrganizer, broadcastChannel, publicUrl, database, meetingEvents, trackersCheck];

/** Runs every check in order; one failing never stops the rest. */
export async function runDoctor(deps: DoctorDeps): Promise<Finding[]> {
  const found: Findings = {};
  const findings: Finding[] = [];
  for (const check of DOCTOR_CHECKS) {
    try {
      findings.push({ check: check.name, ...(await check.run(deps, found)) });
    } catch (error) {
      findings.push({ check: check.name, verdict: 'fail', detail: `the check itself failed: ${(error as Error).message}`, fix: 'Run again with LOG_LEVEL=debug and report the output.' });
    }
  }
  return findings;
}
