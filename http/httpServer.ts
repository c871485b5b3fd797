import type { AddressInfo } from 'node:net';
import restify, { type Server } from 'restify';
import type { Logger as PinoLogger } from 'pino';
import { instrumentRequests } from './opsRoutes.js';
import { jsonBodies } from './bodyLimits.js';
import type { PrometheusTelemetry } from '../adapters/prometheus.js';

export interface HttpServer {
  readonly server: Server;
  /** The address it listens on (`localhost` for a wildcard host; an IPv6 address in brackets). */
  readonly url: string;
  /** Stops accepting connections and resolves once the requests in flight are answered. */
  close(): Promise<void>;
}

/**
 * The one HTTP server, listening before the routes are mounted, so its address is known when
 * everything that builds links is wired. Requests that arrive in between get 404s, and /readyz
 * answers only once the app is ready.
 */
export async function listen(
  settings: { readonly port: number; readonly host: string; readonly logging: { readonly polling: boolean } },
  deps: { readonly log: PinoLogger; readonly telemetry: PrometheusTelemetry },
): Promise<HttpServer> {
  const server = restify.createServer({ name: 'incident-room', handleUncaughtExceptions: false, log: deps.log.child({ component: 'http' }) as never });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // Not restify's bodyParser: it hands multipart to formidable (temp files) and caps gzip before decompressing.
  server.use(jsonBodies());
  instrumentRequests(server, { ...deps, logPolling: settings.logging.polling });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${urlHost(settings.host)}:${port}`,
    close: () => (closing ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/** The host part of a URL for a listening address: wildcards are reached as localhost, IPv6 needs brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
