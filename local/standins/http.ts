import restify, { type Request, type Response, type Server } from 'restify';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { FaultPlan } from './faults.js';

export type Handler = (req: Request, res: Response) => Promise<void>;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
  readonly body: unknown;
}

/**
 * A restify server for a stand-in: JSON bodies, a request log, and every route wrapped so
 * injected latency and faults apply before the real handler runs.
 */
export function standInServer(name: string, faults: FaultPlan, log: RecordedRequest[], errorBody: (status: number, code: string, message: string) => object) {
  const server = restify.createServer({ name, handleUncaughtExceptions: false, log: pino({ level: 'silent' }) as never });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 4 * 1024 * 1024 }));

  const wrap =
    (handler: Handler): Handler =>
    async (req, res) => {
      const path = req.getPath();
      if (!path.startsWith('/_fake') && !path.startsWith('/view')) log.push({ method: req.method!, path, at: Date.now(), body: req.body });
      if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
      const fault = faults.take(req.method!, path);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.status === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.status === 'drop-response') {
        res.send = (() => req.socket.destroy()) as never;
        await handler(req, res);
        return;
      }
      if (fault) {
        if (fault.retryAfterSeconds !== undefined) res.header('Retry-After', String(fault.retryAfterSeconds));
        const code = fault.code ?? (fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable');
        res.send(fault.status, errorBody(fault.status, code, fault.message ?? (fault.status === 429 ? 'Please retry again later.' : 'Injected failure.')));
        return;
      }
      await handler(req, res);
    };

  const route = {
    get: (path: string, handler: Handler) => server.get(path, wrap(handler)),
    post: (path: string, handler: Handler) => server.post(path, wrap(handler)),
    put: (path: string, handler: Handler) => server.put(path, wrap(handler)),
    patch: (path: string, handler: Handler) => server.patch(path, wrap(handler)),
    del: (path: string, handler: Handler) => server.del(path, wrap(handler)),
  };
  return { server, route };
}

export async function listen(server: Server, port: number, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return `http://${host}:${address.port}`;
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    (server as unknown as { server: { closeAllConnections?: () => void } }).server.closeAllConnections?.();
  });
}
