/**
 * What a load balancer, an orchestrator and Prometheus call: /healthz (the process answers),
 * /readyz (it can do work: the database answers and it is not shutting down), /metrics; and the
 * per-request plumbing every route shares: a request id (taken from X-Request-Id when sane),
 * one log line per request (at the level requestLog.ts gives its route), request counts and latencies by route pattern.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Request, Response, Server } from 'restify';
import type { Logger } from '../models/ports/logger.js';
import type { PrometheusTelemetry } from '../adapters/prometheus.js';
import { requestContext, type RequestTags } from './requestContext.js';
import { sameSecret } from './sameSecret.js';
import { requestLogLevel } from './requestLog.js';

export interface OpsDeps {
  readonly mode: 'local' | 'real';
  readonly telemetry: PrometheusTelemetry;
  readonly log: Logger & { debug(obj: object, msg?: string): void };
  /** Resolves when the database answers a ping; rejects with the reason otherwise. */
  readonly ping: () => Promise<void>;
  /** True from the moment shutdown starts: the load balancer should send work elsewhere. */
  readonly shuttingDown: () => boolean;
  /** Bearer token for /metrics; real mode serves /metrics only with one. */
  readonly metricsToken?: string;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const FAVICON = readFileSync(new URL('../manifest/icons/color.png', import.meta.url));

/**
 * Request ids and timing; call after the body parser so the rest of the chain runs inside the
 * request's context. `logPolling` (LOG_POLLING) logs polling routes at info (see requestLog.ts).
 */
export function instrumentRequests(server: Server, deps: Pick<OpsDeps, 'telemetry' | 'log'> & { readonly logPolling?: boolean }): void {
  const started = new WeakMap<Request, bigint>();
  const tagged = new WeakMap<Request, RequestTags>();
  server.pre((req, res, next) => {
    const given = req.header('x-request-id');
    // restify's req.id(value) sets the id once; its type declarations only know the getter.
    (req as unknown as { id(value: string): string }).id(given && SANE_REQUEST_ID.test(given) ? given : randomUUID());
    res.setHeader('X-Request-Id', req.getId());
    started.set(req, process.hrtime.bigint());
    return next();
  });
  server.use((req, _res, next) => {
    const tags: RequestTags = { reqId: req.getId() };
    tagged.set(req, tags);
    return requestContext.run(tags, () => next());
  });
  server.on('after', (req: Request, res: Response, route: { spec?: { path?: string } } | null) => {
    const begun = started.get(req);
    const seconds = begun === undefined ? 0 : Number(process.hrtime.bigint() - begun) / 1e9;
    const path = String(route?.spec?.path ?? 'unmatched');
    deps.telemetry.request(req.method ?? 'GET', path, res.statusCode, seconds);
    const incident = tagged.get(req)?.incident;
    const line = { reqId: req.getId(), ...(incident ? { incident } : {}), method: req.method, route: path, status: res.statusCode, ms: Math.round(seconds * 1000) };
    deps.log[requestLogLevel(req.method ?? 'GET', path, deps.logPolling ?? false)](line, 'request');
  });
}

function bearerMatches(req: Request, token: string): boolean {
  return sameSecret(req.header('authorization') ?? '', `Bearer ${token}`);
}

export function mountOpsRoutes(server: Server, deps: OpsDeps): void {
  // Browsers ask every page for one; the app's own icon (PNG, which every browser takes here).
  server.get('/favicon.ico', async (_req: Request, res: Response) => {
    res.setHeader('Content-Type', 'image/png');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.writeHead(200);
    res.end(FAVICON);
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok', mode: deps.mode });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    if (deps.shuttingDown()) return void res.send(503, { status: 'shutting down' });
    try {
      await deps.ping();
      res.send(200, { status: 'ready' });
    } catch (error) {
      deps.log.warn({ err: (error as Error).message }, 'not ready: the database does not answer');
      res.header('Retry-After', '5');
      res.send(503, { status: 'not ready', reason: 'the database does not answer' });
    }
  });

  server.get('/metrics', async (req: Request, res: Response) => {
    if (deps.mode === 'real' && !deps.metricsToken) return void res.send(404, { message: '/metrics is off: set METRICS_TOKEN to serve it (Prometheus sends it as a bearer token).' });
    if (deps.metricsToken && !bearerMatches(req, deps.metricsToken)) {
      res.header('WWW-Authenticate', 'Bearer');
      return void res.send(401, { message: 'Send METRICS_TOKEN as "Authorization: Bearer <token>".' });
    }
    const { contentType, body } = await deps.telemetry.text();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.writeHead(200);
    res.end(body);
  });
}
