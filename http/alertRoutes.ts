/**
 * Monitors' webhooks: POST /api/alerts/generic, /api/alerts/alertmanager, /api/alerts/grafana.
 * Each source has its own secret, sent as a bearer token or as an HMAC-SHA256 signature of the
 * raw body; both compared in constant time. Bad or unauthenticated requests get a 4xx that says
 * what is wrong and change nothing; a good one is answered 202 once its alerts are stored.
 * (Oversized, compressed-to-oversize and non-JSON bodies never get here: http/bodyLimits.ts refuses them first.)
 *
 * Generic senders may also sign a timestamp, as Slack and Stripe do: `X-Signature-Timestamp:
 * <unix seconds>` with `X-Signature-256: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`.
 * When that header is present it is checked (5 minutes either side of our clock), so a captured
 * request cannot be replayed later; when absent, the body-only signature and the bearer token
 * work as before (opt-in per sender). Replays inside the window, and of unstamped requests, are
 * harmless anyway: an alert already seen opens no second incident (models/alerts/alertIntake.ts).
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

/**
 * How far a signed timestamp may be from our clock, either way (Slack's and Stripe's window). A
 * constant, not a setting: a sender that needs more has a clock to fix, not a window to widen.
 */
export const SIGNATURE_WINDOW_SECONDS = 300;
const TIMESTAMP_HEADER = 'X-Signature-Timestamp';

/** The string a timestamped signature covers (documented in the README's alerts section). */
export const signedText = (timestamp: string, rawBody: string) => `${timestamp}.${rawBody}`;

/** Undefined when the request is authentic; otherwise what to tell the sender. */
function refusal(req: Request, source: AlertSource, secret: string, nowSeconds: number): string | undefined {
  const stamp = source === 'generic' ? req.header(TIMESTAMP_HEADER)?.trim() || undefined : undefined;
  if (stamp !== undefined) {
    if (!/^\d{1,10}$/.test(stamp)) return `${TIMESTAMP_HEADER} must be the time of signing in Unix seconds (e.g. ${nowSeconds}), not "${stamp.slice(0, 20)}".`;
    const skew = nowSeconds - Number(stamp);
    if (Math.abs(skew) > SIGNATURE_WINDOW_SECONDS) {
      return `${TIMESTAMP_HEADER} is ${Math.round(Math.abs(skew) / 60)} minutes ${skew > 0 ? 'old' : 'ahead of our clock'}: only requests signed within 5 minutes are accepted, so a recorded request cannot be replayed. Sign each request as you send it, and check the sender's clock.`;
    }
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1]?.trim();
  if (bearer) return sameSecret(bearer, secret) ? undefined : 'wrong bearer token.';
  // GitHub-style "sha256=<hex>" or Grafana's bare hex, over the exact bytes received.
  const signature = (req.header('x-signature-256') ?? req.header('x-grafana-alerting-signature') ?? '').trim().replace(/^sha256=/i, '').toLowerCase();
  if (!signature) return `send "Authorization: Bearer <ALERT_SECRET_${source.toUpperCase()}>" or an X-Signature-256: sha256=<HMAC of the body> header.`;
  const raw = (req as Request & { rawBody?: string }).rawBody ?? '';
  const expected = createHmac('sha256', secret).update(stamp === undefined ? raw : signedText(stamp, raw)).digest('hex');
  if (sameSecret(signature, expected)) return undefined;
  return stamp === undefined ? 'the signature does not match the body (X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>).' : `the signature does not match: with ${TIMESTAMP_HEADER}, sign "<timestamp>.<raw body>".`;
}

export function mountAlertRoutes(server: Server, deps: AlertRouteDeps): void {
  server.post('/api/alerts/:source', async (req: Request, res: Response) => {
    const source = String(req.params.source) as AlertSource;
    if (!(ALERT_SOURCES as readonly string[]).includes(source)) {
      return void res.send(404, { error: `No alert source "${String(req.params.source).slice(0, 40)}"; use one of ${ALERT_SOURCES.map((s) => `/api/alerts/${s}`).join(', ')}.` });
    }
    const secret = deps.secrets[source];
    if (!secret) return void res.send(404, { error: `The ${source} alert webhook is switched off: set ALERT_SECRET_${source.toUpperCase()} to enable it.` });
    // The sender's timestamp is wall-clock time, so it is compared with ours, not the app's injected clock.
    const refused = refusal(req, source, secret, Math.floor(Date.now() / 1000));
    if (refused) {
      deps.log.warn({ source, ip: req.socket.remoteAddress, why: refused }, 'alert webhook refused: not authenticated');
      res.header('WWW-Authenticate', 'Bearer');
      return void res.send(401, { error: `Not authenticated: ${refused}` });
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
