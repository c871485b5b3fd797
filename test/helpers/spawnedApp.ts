import { fork, type ChildProcess } from 'node:child_process';
import type { LocalTeams } from '../../local/localTeams.js';

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
