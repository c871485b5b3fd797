/**
 * Trackers' webhooks in: POST /api/trackers/<system>/webhook. Signature-checked by the tracker's
 * adapter (a refusal is 401 and changes nothing); an accepted delivery schedules a sync of the
 * incidents it is about, named after the delivery, so a redelivery changes nothing.
 */
import type { Request, Response, Server } from 'restify';
import type { ActionItemTracking } from '../models/followThrough/actionItemTracking.js';
import type { Logger } from '../models/ports/logger.js';

export function mountTrackerWebhooks(server: Server, deps: { readonly tracking: Pick<ActionItemTracking, 'webhookReceived'>; readonly log: Logger }): void {
  server.post('/api/trackers/:system/webhook', async (req: Request, res: Response) => {
    const system = String(req.params.system);
    const delivery = { headers: req.headers, rawBody: (req as Request & { rawBody?: string }).rawBody ?? '' };
    const outcome = await deps.tracking.webhookReceived(system, delivery);
    if ('refused' in outcome) {
      deps.log.warn({ system }, 'a tracker webhook was refused');
      return void res.send(401, { error: `${outcome.refused} Nothing was changed.` });
    }
    if ('malformed' in outcome) return void res.send(400, { error: `${outcome.malformed} Nothing was changed.` });
    res.send(202, { scheduled: outcome.scheduled });
  });
}
