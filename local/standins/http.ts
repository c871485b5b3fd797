import restify, { type Request, type Response, type Server } from 'restify';
import type { AddressInfo } from 'node:net';
import { errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { pino } from 'pino';
import type { FaultPlan } from './faults.js';

export type Handler = (req: Request, res: Response) => Promise<void>;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
  readonly body: unknown;
}

/** A PEM certificate and its key: the stand-in then serves HTTPS, as the Microsoft services it stands in for do. */
export interface StandInTls {
  readonly certificate: string;
  readonly key: string;
}

/**
 * A restify server for a stand-in: JSON bodies, a request log, and every route wrapped so
 * injected latency and faults apply before the real handler runs. Plain HTTP unless given a
 * certificate (real mode's clients, MSAL first, refuse anything but https://).
 */
export function standInServer(name: string, faults: FaultPlan, log: RecordedRequest[], errorBody: (status: number, code: string, message: string) => object, tls?: StandInTls) {
  const server = restify.createServer({ name, handleUncaughtExceptions: false, log: pino({ level: 'silent' }) as never, ...(tls ? { certificate: tls.certificate, key: tls.key } : {}) });
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
  return `${server.secure ? 'https' : 'http'}://${host}:${address.port}`;
}

/** An Entra ID-style token issuer whose bearer tokens a stand-in can require: its published keys (a JWKS) and the `iss` values it signs with. */
export interface TokenIssuer {
  readonly keys: JWTVerifyGetKey;
  readonly issuers: readonly string[];
}

/**
 * What is wrong with a request's bearer token for this audience, or undefined when it is good:
 * signed by one of the issuer's published keys (RS256), from the issuer, for the audience, in date.
 * The wording follows the resources' own refusals ("Access token validation failure").
 */
export async function bearerProblem(authorization: string | undefined, issuer: TokenIssuer, audience: string): Promise<string | undefined> {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!token) return 'Access token is empty.';
  try {
    await jwtVerify(token, issuer.keys, { algorithms: ['RS256'], issuer: [...issuer.issuers], audience, requiredClaims: ['exp', 'tid'] });
    return undefined;
  } catch (error) {
    if (error instanceof errors.JWTClaimValidationFailed) return `Access token validation failure. Invalid ${error.claim === 'aud' ? 'audience' : error.claim === 'iss' ? 'issuer' : `${error.claim} claim`}.`;
    if (error instanceof errors.JWTExpired) return 'Lifetime validation failed, the token is expired.';
    return 'Access token validation failure.';
  }
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    (server as unknown as { server: { closeAllConnections?: () => void } }).server.closeAllConnections?.();
  });
}
