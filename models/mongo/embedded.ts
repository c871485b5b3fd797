/**
 * The in-process, MongoDB-wire-compatible server for local mode and tests (CongoDB, shipped in
 * @push.rocks/smartmongo). It is a dev/test server: memory only, unique indexes not enforced,
 * no transactions or change streams — so nothing here relies on those.
 */
export interface EmbeddedMongo {
  readonly uri: string;
  stop(): Promise<void>;
}

interface CongoServerLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  server: { address(): { port: number } };
  commandRouter: { route(command: { commandName: string }): Promise<unknown> };
}

/** Commands that read a document and write it back; MongoDB makes each atomic per document. */
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);

/**
 * CongoDB runs a write as "read all documents, await, write back", so two concurrent writes to
 * one document can interleave and one is lost — measured: 16 concurrent card actions produced
 * duplicate versions and a lost timeline event. MongoDB guarantees single-document atomicity and
 * our optimistic concurrency depends on it, so writes are run one at a time here (reads stay
 * concurrent). Memory-only and in-process, so the queue costs microseconds.
 */
function serialiseWrites(server: CongoServerLike): void {
  const router = server.commandRouter;
  const route = router.route.bind(router);
  let tail: Promise<unknown> = Promise.resolve();
  router.route = (command) => {
    if (!WRITE_COMMANDS.has(command.commandName)) return route(command);
    const run = tail.then(() => route(command));
    tail = run.catch(() => undefined);
    return run;
  };
}

export async function startEmbeddedMongo(database = 'incident-room'): Promise<EmbeddedMongo> {
  const modulePath = '@push.rocks/smartmongo/dist_ts/congodb/index.js';
  const { CongoServer } = (await import(modulePath)) as { CongoServer: new (options: object) => CongoServerLike };
  const server = new CongoServer({ host: '127.0.0.1', port: 0, storage: 'memory' });
  await server.start();
  serialiseWrites(server);
  const { port } = server.server.address();
  return {
    // directConnection + polling monitoring: CongoDB does not speak the streaming monitor
    // protocol, and without these the driver keeps clearing its connection pool.
    uri: `mongodb://127.0.0.1:${port}/${database}?directConnection=true&serverMonitoringMode=poll`,
    stop: () => server.stop(),
  };
}
