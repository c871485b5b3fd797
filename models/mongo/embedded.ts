/**
 * The in-process, MongoDB-wire-compatible server for local mode and tests (CongoDB, shipped in
 * @push.rocks/smartmongo). It is a dev/test server: in memory (kept in a data folder between
 * restarts when asked, see embeddedPersistence.ts), unique indexes not enforced, no transactions
 * or change streams — so nothing here relies on those.
 */
import { EmbeddedPersistence, JOURNALED_COMMANDS, type ExtendedJson, type ParsedCommand, type RoutableServer } from './embeddedPersistence.js';

export interface EmbeddedMongo {
  readonly uri: string;
  stop(): Promise<void>;
}

interface CongoServerLike extends RoutableServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  server: { address(): { port: number } };
}

/** Commands that read a document and write it back; MongoDB makes each atomic per document. */
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify', 'drop', 'dropDatabase']);

/**
 * CongoDB runs a write as "read all documents, await, write back", so two concurrent writes to
 * one document can interleave and one is lost — measured: 16 concurrent card actions produced
 * duplicate versions and a lost timeline event. MongoDB guarantees single-document atomicity and
 * our optimistic concurrency depends on it, so writes are run one at a time here (reads stay
 * concurrent). Memory-only and in-process, so the queue costs microseconds.
 */
function serialiseWrites(server: CongoServerLike, written?: (command: ParsedCommand) => void): void {
  const router = server.commandRouter;
  const route = router.route.bind(router);
  let tail: Promise<unknown> = Promise.resolve();
  router.route = (command) => {
    if (!WRITE_COMMANDS.has(command.commandName)) return route(command);
    const run = tail.then(async () => {
      const result = await route(command);
      if (written && JOURNALED_COMMANDS.has(command.commandName)) written(command);
      return result;
    });
    tail = run.catch(() => undefined);
    return run;
  };
}

/** With `dataDir`, what was stored survives a restart (local mode's pilot); without, memory only (tests). */
export async function startEmbeddedMongo(database = 'incident-room', options: { readonly dataDir?: string } = {}): Promise<EmbeddedMongo & { readonly restored?: { documents: number; replayed: number } }> {
  const modulePath = '@push.rocks/smartmongo/dist_ts/congodb/index.js';
  const { CongoServer } = (await import(modulePath)) as { CongoServer: new (options: object) => CongoServerLike };
  const server = new CongoServer({ host: '127.0.0.1', port: 0, storage: 'memory' });
  await server.start();
  const { bson } = (await import('@push.rocks/smartmongo/dist_ts/congodb/congodb.plugins.js' as string)) as { bson: { EJSON: ExtendedJson } };
  let persistence: EmbeddedPersistence | undefined;
  let restored: { documents: number; replayed: number } | undefined;
  try {
    persistence = options.dataDir ? new EmbeddedPersistence(options.dataDir, bson.EJSON) : undefined;
    restored = persistence ? await persistence.restore(server, server.commandRouter.route.bind(server.commandRouter)) : undefined;
  } catch (error) {
    await server.stop();
    throw new Error(`LOCAL_DATA_DIR=${options.dataDir}: local mode's data cannot be kept there (${(error as Error).message}); point it at a writable folder, or set LOCAL_DATA_DIR=none to keep nothing`);
  }
  serialiseWrites(server, persistence && ((command) => persistence.record(command)));
  const { port } = server.server.address();
  return {
    // directConnection + polling monitoring: CongoDB does not speak the streaming monitor
    // protocol, and without these the driver keeps clearing its connection pool.
    uri: `mongodb://127.0.0.1:${port}/${database}?directConnection=true&serverMonitoringMode=poll`,
    restored,
    stop: async () => {
      await persistence?.snapshot(server);
      await server.stop();
    },
  };
}
