/**
 * Monitors' webhooks: POST /api/alerts/generic, /api/alerts/alertmanager, /api/alerts/grafana.
 * Each source has its own secret, sent as a bearer token or as an HMAC-SHA256 signature of the
 * raw body; both compared in constant time. Bad or unauthenticated requests get a 4xx that says
 * what is wrong and change nothing; a good one is answered 202 once its alerts are stored.
 * (Oversized, compressed-to-oversize and non-JSON bodies never get here: http/bodyLimits.ts refuses them first.)
 */
import { createHmac } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { ALERT_SOURCES, parseAlerts, type AlertSource } from '../models/alerts/alerts.js';
import type { AlertIntake } from '../models/alerts/alertIntake.js';
import type { Logger } from '../models/ports/logger.js';
import { sameSecret } from './sameSecret.js';

export interface AlertRouteDeps {
  readonly intake: AlertIntake;
  readonly secrets: Readonly<Partial<Record<AlertSource, string>>>;
  readonly log: Logger;
}

function authenticated(req: Request, secret: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1]?.trim();
  if (bearer) return sameSecret(bearer, secret);
  // GitHub-style "sha256=<hex>" or Grafana's bare hex, over the exact bytes received.
  const signature = (req.header('x-signature-256') ?? req.header('x-grafana-alerting-signature') ?? '').trim().replace(/^sha256=/i, '').toLowerCase();
  if (!signature) return false;
  const raw = (req as Request & { rawBody?: string }).rawBody ?? '';
  return sameSecret(signature, createHmac('sha256', secret).update(raw).digest('hex'));
}

export function mountAlertRoutes(server: Server, deps: AlertRouteDeps): void {
  server.post('/api/alerts/:source', async (req: Request, res: Response) => {
    const source = String(req.params.source) as AlertSource;
    if (!(ALERT_SOURCES as readonly string[]).includes(source)) {
      return void res.send(404, { error: `No alert source "${String(req.params.source).slice(0, 40)}"; use one of ${ALERT_SOURCES.map((s) => `/api/alerts/${s}`).join(', ')}.` });
    }
    const secret = deps.secrets[source];
    if (!secret) return void res.send(404, { error: `The ${source} alert webhook is switched off: set ALERT_SECRET_${source.toUpperCase()} to enable it.` });
    if (!authenticated(req, secret)) {
      deps.log.warn({ source, ip: req.socket.remoteAddress }, 'alert webhook refused: bad or missing secret');
      res.header('WWW-Authenticate', 'Bearer');
      return void res.send(401, { error: `Not authenticated: send "Authorization: Bearer <ALERT_SECRET_${source.toUpperCase()}>" or an X-Signature-256: sha256=<HMAC of the body> header.` });
    }
    const parsed = parseAlerts(source, req.body);
    if ('problems' in parsed) return void res.send(400, { error: `Not a ${source} alert notification; nothing was stored.`, problems: parsed.problems });
    try {
      const { accepted } = await deps.intake.receive(parsed.alerts);
      res.send(202, { accepted, fingerprints: [...new Set(parsed.alerts.map((a) => a.fingerprint))] });
    } catch (error) {
      deps.log.error({ source, err: (error as Error).message }, 'storing alerts failed');
      res.send(503, { error: 'The alerts could not be stored right now; nothing was accepted. Retry (monitors do).' });
    }
  });
}
