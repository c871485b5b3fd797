import { fork, type ChildProcess } from 'node:child_process';
import { LocalTeams } from '../../local/localTeams.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { testDatabase, type TestDatabase } from './database.js';

export interface SpawnedApp {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: the process gets no chance to finish anything. */
  kill(): Promise<void>;
}

/** Starts the app in a process of its own (test/helpers/appProcess.ts) on the given stand-ins and database. */
export async function spawnApp(local: LocalTeams, settings: Record<string, string>): Promise<SpawnedApp> {
  const child = fork(new URL('./appProcess.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx', '--no-deprecation'],
    env: {
      ...process.env,
      APP_SETTINGS: JSON.stringify({ PORT: '0', LOG_LEVEL: 'silent', ...settings }),
      STAND_INS: JSON.stringify({ graphUrl: local.graph.url, connectorUrl: local.connector.url, entraUrl: local.entra.url, people: local.world.people, botAppId: local.world.botAppId }),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`the app process exited (${code}) before it was listening`)));
  });
  return {
    url,
    child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** What a crash test works with: one database and one set of stand-ins, shared by the app processes it spawns and kills. */
export interface CrashRig {
  readonly local: LocalTeams;
  /** The test's own view of the database the processes share. */
  readonly store: Database;
  /** Starts an app process on the shared database and stand-ins (short leases and sweeps, quick retries); killed after the test. */
  spawn(): Promise<SpawnedApp>;
}

/** Registers, in the calling describe, a fresh database and stand-ins per test, and kills every process spawned. */
export function crashRig(): CrashRig {
  let db: TestDatabase;
  let local: LocalTeams;
  let store: Database;
  const processes: SpawnedApp[] = [];
  const settings = () => ({ MONGODB_URI: db.uri, PROVISION_LEASE_MS: '1000', PROVISION_SWEEP_MS: '200', PROVISION_RETRY_BASE_MS: '10', PROVISION_RETRY_CAP_MS: '40' });
  beforeEach(async () => {
    db = await testDatabase();
    local = await LocalTeams.start({ teamId: 'local-incidents-team', appCatalogId: 'local-incident-room-app', meetingOrganizers: ['local-meeting-organizer'] });
    store = await openDatabase(db.uri);
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.kill();
    await store.close();
    await local.stop();
    await db.drop();
  });
  return {
    get local() {
      return local;
    },
    get store() {
      return store;
    },
    async spawn() {
      const app = await spawnApp(local, settings());
      processes.push(app);
      return app;
    },
  };
}
