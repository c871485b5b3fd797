/**
 * The app as the benches run it: local mode on free ports, one embedded database (or
 * MONGODB_URI) that replicas share, and Teams-shaped activities posted to /api/messages.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { LOCAL } from '../local/defaults.js';
import { startApp, type RunningApp, type StartOptions } from '../server.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../models/mongo/embedded.js';
import type { Incident } from '../models/incident/incident.js';
import { startLocalTeams, type LocalTeams } from '../local/localTeams.js';
import { teamsActivity, toBot } from '../local/teamsActivities.js';
import { teamsSsoToken } from '../local/sandbox/ssoToken.js';

/** Local mode's tenant: the tab signs people in to it alone (its Teams SSO tokens are for it), so the benches declare there. */
export const BENCH_TENANT = LOCAL.tenantId;
/** Acts as local mode's admin (a member of the local team: the access policy lets members declare and act). */
export const BENCH_PERSON = { id: '29:bench', name: 'Bench', aadObjectId: LOCAL.adminAadObjectId } as const;

/**
 * The benches declare far more than a person may in an hour (the default limit is 10): their
 * tenant config lifts the limits and names the bench person admin, as local mode does by default.
 */
function benchTenantConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'incident-room-bench-')), 'tenants.json');
  writeFileSync(file, JSON.stringify({ default: { limits: { declaresPerPersonPerHour: 1000, declaresPerTenantPerHour: 10_000 }, access: { admins: [`user:${LOCAL.adminAadObjectId}`] } } }));
  return file;
}
/** Debian's chromium package; CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BenchApp {
  readonly app: RunningApp;
  /** Which database the figures come from. */
  readonly database: 'MongoDB at MONGODB_URI' | 'embedded CongoDB';
  readonly local: LocalTeams;
  /** A Teams activity in the bench tenant, over the General channel defaults. */
  activity(fields: Record<string, unknown>): Record<string, unknown>;
  /** Posts an activity to this app's (or a replica's) /api/messages. */
  post(fields: Record<string, unknown>, to?: RunningApp): Promise<Response>;
  /** Another app instance on the same database and stand-ins (a replica). */
  replica(): Promise<RunningApp>;
  /** Waits until `count` incidents exist in the bench tenant, each with its war room built. */
  provisioned(count: number): Promise<Incident[]>;
  close(): Promise<void>;
}

/** The embedded database started in a child process (databaseProcess.ts): the app's event loop then carries only the app. */
async function embeddedInItsOwnProcess(): Promise<EmbeddedMongo> {
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', fileURLToPath(new URL('./databaseProcess.ts', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  const { uri } = JSON.parse(line) as { uri: string };
  return {
    uri,
    stop: async () => {
      child.stdin!.end();
      await once(child, 'exit');
    },
  };
}

export interface BenchOptions {
  /** Runs the embedded database in a process of its own (as MongoDB is in production) rather than in this one. */
  readonly databaseProcess?: boolean;
}

export async function startBenchApp(settings: Record<string, string> = {}, options: StartOptions = {}, bench: BenchOptions = {}): Promise<BenchApp> {
  const external = process.env.MONGODB_URI;
  const embedded: EmbeddedMongo | undefined = external ? undefined : bench.databaseProcess ? await embeddedInItsOwnProcess() : await startEmbeddedMongo();
  const env = { PORT: '0', LOG_LEVEL: 'silent', MONGODB_URI: external ?? embedded!.uri, TENANT_CONFIG_FILE: benchTenantConfig(), ...settings };
  const config = loadConfig(env);
  const local = await startLocalTeams(config, { anyPorts: true });
  const app = await startApp(config, { ...options, local });
  const replicas: RunningApp[] = [];
  const activity = (fields: Record<string, unknown>) => teamsActivity({ serviceUrl: `${local.connector.url}/`, tenantId: BENCH_TENANT }, fields);
  return {
    app,
    local,
    database: external ? 'MongoDB at MONGODB_URI' : 'embedded CongoDB',
    activity,
    post: (fields, to = app) => fetch(`${to.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity(fields)) }),
    async replica() {
      const another = await startApp(loadConfig(env), { ...options, local });
      replicas.push(another);
      return another;
    },
    async provisioned(count) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const open = await app.database.store.listOpen(BENCH_TENANT, count + 1);
        if (open.length >= count && open.every((i) => i.provisioning.complete)) return open;
        if (Date.now() > deadline) throw new Error(`bench: gave up waiting for ${count} provisioned incident(s)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      for (const replica of replicas) await replica.close();
      await app.close();
      await local.stop();
      await embedded?.stop();
    },
  };
}

/** One incident declared by the bench person, as Teams would send the message, with its war room built. */
export async function declareOne(bench: BenchApp, title: string): Promise<Incident> {
  await bench.post({ type: 'message', id: `bench-${Date.now()}`, from: BENCH_PERSON, ...toBot(`declare ${title}`) });
  const [incident] = await bench.provisioned(1);
  return incident!;
}

/** The header the tab sends, signed in as it is in Teams: a Teams SSO token for the bench person from the local Entra stand-in. */
export async function tabSignIn(bench: BenchApp): Promise<Record<string, string>> {
  const sso = await teamsSsoToken(bench.local.entra.url, bench.app.config.tabSso.tenantId, bench.app.config.tabSso, BENCH_PERSON.aadObjectId);
  if ('error' in sso) throw new Error(`bench: no sign-in token: ${sso.error}`);
  return { Authorization: `Bearer ${sso.token}` };
}
