import type { CloudAdapter } from 'botbuilder';
import type { Server } from 'restify';
import { z } from 'zod';
import type { IncidentBot } from './incidentBot.js';

/**
 * The least an activity must be for the bot to act on it; anything else is the sender's
 * mistake (400), not ours (botbuilder would answer such bodies with 500).
 */
const activityShape = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    serviceUrl: z.string().max(2048).optional(),
    channelId: z.string().max(64).optional(),
    from: z.object({ id: z.string().min(1).max(512) }).loose().optional(),
    conversation: z.object({ id: z.string().min(1).max(1024) }).loose(),
  })
  .loose();

/** POST /api/messages: the Bot Framework endpoint (Teams sends every activity here). */
export function mountBotRoutes(server: Server, adapter: CloudAdapter, bot: IncidentBot): void {
  server.post('/api/messages', async (req, res) => {
    const shape = activityShape.safeParse(req.body);
    if (!shape.success) {
      const problems = shape.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).slice(0, 5);
      return void res.send(400, { message: 'This is not a Bot Framework activity; nothing was done.', problems });
    }
    await adapter.process(req, res, (context) => bot.run(context));
  });
}
