import type { CloudAdapter } from 'botbuilder';
import type { Response, Server } from 'restify';
import type { IncidentBot } from './incidentBot.js';
import { checkActivity, type Refusal } from './activitySchema.js';
import { admitTurn, type ActivityGate } from './activityGate.js';

/**
 * botbuilder writes the HTTP answer itself (200 for anything but an invoke); a turn the gate
 * refused is answered with the refusal instead, so the sender learns that nothing was done.
 */
function answering(res: Response, refused: () => Refusal | undefined) {
  return {
    header: (name: string, value: unknown) => res.header(name, value),
    status: (code: number) => (refused() ? res : res.status(code)),
    send: (body: unknown) => (refused() ? undefined : res.send(body)),
    end: () => {
      const refusal = refused();
      return refusal ? res.send(refusal.status, refusal.body) : res.end();
    },
  };
}

/**
 * POST /api/messages: the Bot Framework endpoint (Teams sends every activity here). A malformed
 * activity is the sender's mistake (400, or the Universal Actions error answer), refused before
 * botbuilder reads it (it would answer some such bodies with 500); then botbuilder checks the
 * token (401); then the gate keeps to Teams and the tenants served (403). Only then does the bot run.
 */
export function mountBotRoutes(server: Server, adapter: CloudAdapter, bot: IncidentBot, gate: ActivityGate): void {
  server.post('/api/messages', async (req, res) => {
    const checked = checkActivity(req.body);
    if ('refusal' in checked) return void res.send(checked.refusal.status, checked.refusal.body);
    let refusal: Refusal | undefined;
    await adapter.process(req, answering(res, () => refusal) as never, async (context) => {
      const admission = gate.admit(checked.activity);
      if ('refusal' in admission) return void (refusal = admission.refusal);
      admitTurn(context, admission.tenantId);
      await bot.run(context);
    });
  });
}
