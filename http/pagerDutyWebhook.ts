/**
 * PagerDuty's V3 webhooks in: an acknowledgement in PagerDuty acknowledges the incident in Teams
 * (signed with the subscription's secret; events about pages we did not raise are ignored).
 */
import { createHmac } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import type { IncidentActions } from '../models/actions/incidentActions.js';
import type { IncidentLookup } from '../models/ports/incidentLookup.js';
import type { Logger } from '../models/ports/logger.js';
import { INCIDENT_KEY } from '../adapters/pagerDuty.js';
import { sameSecret } from './sameSecret.js';

export interface PagerDutyWebhookDeps {
  readonly secret: string;
  readonly store: Pick<IncidentLookup, 'findById'>;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly log: Logger;
}

/** X-PagerDuty-Signature may list several signatures (during secret rotation): any match will do. */
function signed(req: Request, secret: string): boolean {
  const expected = createHmac('sha256', secret).update((req as Request & { rawBody?: string }).rawBody ?? '').digest('hex');
  return (req.header('x-pagerduty-signature') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1='))
    .some((s) => sameSecret(s.slice(3).toLowerCase(), expected));
}

/** POST /api/pagerduty/webhook: V3 webhook subscription for incident.acknowledged (and .resolved, noted). */
export function mountPagerDutyWebhook(server: Server, deps: PagerDutyWebhookDeps): void {
  server.post('/api/pagerduty/webhook', async (req: Request, res: Response) => {
    if (!signed(req, deps.secret)) return void res.send(401, { error: 'Bad or missing X-PagerDuty-Signature: check PAGERDUTY_WEBHOOK_SECRET against the webhook subscription’s secret.' });
    const event = (req.body as { event?: { id?: unknown; event_type?: unknown; agent?: { summary?: unknown; id?: unknown }; data?: { incident_key?: unknown } } } | undefined)?.event;
    if (!event || typeof event.event_type !== 'string' || typeof event.id !== 'string') return void res.send(400, { error: 'Not a PagerDuty V3 webhook: expected {"event": {"id", "event_type", "data"}}.' });
    const key = typeof event.data?.incident_key === 'string' ? INCIDENT_KEY.exec(event.data.incident_key) : null;
    // Events about PagerDuty incidents incident-room did not raise are none of our business: 200 so PagerDuty does not retry.
    if (!key) return void res.send(200, { ignored: 'not an incident-room page' });
    const incident = await deps.store.findById(key[1]!);
    if (!incident) return void res.send(200, { ignored: 'unknown incident' });
    if (event.event_type !== 'incident.acknowledged') return void res.send(200, { ignored: event.event_type });
    const name = typeof event.agent?.summary === 'string' ? event.agent.summary.slice(0, 120) : 'PagerDuty responder';
    const result = await deps.actions.run('acknowledge', { incidentId: incident.id, key: `pagerduty:${event.id.slice(0, 100)}`, actor: { id: `pagerduty:${String(event.agent?.id ?? 'unknown').slice(0, 60)}`, name: `${name} (via PagerDuty)` }, via: 'app' }, {});
    deps.log.info({ incidentId: incident.id, outcome: result.outcome }, 'PagerDuty acknowledgement received');
    res.send(200, { outcome: result.outcome, message: result.message });
  });
}
