/**
 * The app as an operator runs it: `server.ts` (its own entry point, `main()`) in a process of its
 * own, configured by environment settings alone (no stand-ins handed in), trusting a private CA the
 * way an operator makes Node trust one (NODE_EXTRA_CA_CERTS). Started in an empty directory, so no
 * developer's `.env` joins in, and with test/helpers/noInternet.ts preloaded, so a request meant
 * for any real host is refused and named. Its JSON log lines are collected for the test to read.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface RealModeApp {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every log line so far, parsed (pino JSON; anything else as `{ msg }`). */
  readonly logs: Record<string, unknown>[];
  /** The host names the process tried to resolve and was refused. */
  readonly refusedLookups: string[];
  /** SIGTERM (the app's graceful shutdown), then waits for the exit. */
  stop(): Promise<void>;
}

const SERVER_ENTRY = fileURLToPath(new URL('../../server.ts', import.meta.url));
const TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));
const NO_INTERNET = new URL('./noInternet.ts', import.meta.url).href;
// tsx by its path: the process starts in an empty directory, where the bare name would not resolve.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const STARTED = 'incident-room is running (real Teams mode)';
/** How test/helpers/noInternet.ts reports a refused lookup on stderr. */
const REFUSED_LOOKUP = 'no-internet: refused a DNS lookup of ';

function lines(stream: NodeJS.ReadableStream | null, each: (line: string) => void): void {
  let pending = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) if (line.trim()) each(line);
  });
}

/** Starts the app with exactly these settings (plus PATH and HOME) and the given CA certificate file trusted. */
export async function startRealModeApp(settings: Record<string, string>, caCertificateFile: string): Promise<RealModeApp> {
  const cwd = await mkdtemp(join(tmpdir(), 'incident-room-real-'));
  const child = fork(SERVER_ENTRY, [], {
    cwd,
    execArgv: ['--import', TSX, '--import', NO_INTERNET, '--no-deprecation'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      TSX_TSCONFIG_PATH: TSCONFIG,
      NODE_EXTRA_CA_CERTS: caCertificateFile,
      ...settings,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const logs: Record<string, unknown>[] = [];
  const refusedLookups: string[] = [];
  const stderr: string[] = [];
  lines(child.stderr, (line) => {
    if (line.startsWith(REFUSED_LOOKUP)) refusedLookups.push(line.slice(REFUSED_LOOKUP.length));
    else stderr.push(line);
  });
  const url = await new Promise<string>((resolve, reject) => {
    lines(child.stdout, (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { msg: line };
      }
      logs.push(entry);
      if (entry.msg === STARTED && typeof entry.url === 'string') resolve(entry.url);
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before it was listening:\n${[...stderr, ...logs.map((l) => JSON.stringify(l))].join('\n')}`)));
  });
  return {
    url,
    child,
    logs,
    refusedLookups,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        // A shutdown that hangs is not this test's subject: it is cut short after a while.
        const hung = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(hung);
      }
      await rm(cwd, { recursive: true, force: true });
    },
  };
}
