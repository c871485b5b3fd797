import type { CloudAdapter } from 'botbuilder';
import type { Server } from 'restify';
import type { IncidentBot } from './incidentBot.js';

/** POST /api/messages: the Bot Framework endpoint (Teams sends every activity here). */
export function mountBotRoutes(server: Server, adapter: CloudAdapter, bot: IncidentBot): void {
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
}
