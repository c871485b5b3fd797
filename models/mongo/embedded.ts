/**
 * The in-process, MongoDB-wire-compatible server for local mode and tests (CongoDB, shipped in
 * @push.rocks/smartmongo). It is a dev/test server: memory only, unique indexes not enforced,
 * no transactions or change streams (design §9) — so nothing here relies on those.
 */
export interface EmbeddedMongo {
  readonly uri: string;
  stop(): Promise<void>;
}

interface CongoServerLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  server: { address(): { port: number } };
}

export async function startEmbeddedMongo(database = 'incident-room'): Promise<EmbeddedMongo> {
  const modulePath = '@push.rocks/smartmongo/dist_ts/congodb/index.js';
  const { CongoServer } = (await import(modulePath)) as { CongoServer: new (options: object) => CongoServerLike };
  const server = new CongoServer({ host: '127.0.0.1', port: 0, storage: 'memory' });
  await server.start();
  const { port } = server.server.address();
  return {
    // directConnection + polling monitoring: CongoDB does not speak the streaming monitor
    // protocol, and without these the driver keeps clearing its connection pool.
    uri: `mongodb://127.0.0.1:${port}/${database}?directConnection=true&serverMonitoringMode=poll`,
    stop: () => server.stop(),
  };
}
