import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Request, Response, Server } from 'restify';
import { bundleOnce } from './bundle.js';
import { renderConfigPage, renderTabShell } from './page.js';

export interface TabRouteDeps {
  readonly publicBaseUrl: () => string;
  readonly mode: 'local' | 'real';
}

/** Teams frames the tab; only Teams (and the local sandbox, same origin) may. */
const FRAME_ANCESTORS = "frame-ancestors teams.microsoft.com *.teams.microsoft.com *.office.com *.cloud.microsoft 'self'";

function send(res: Response, type: string, body: string | Buffer, csp?: string) {
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-cache');
  if (csp) res.setHeader('Content-Security-Policy', csp);
  res.writeHead(200);
  res.end(body);
}

/** The tab's pages and scripts (its data API is tab/api.ts). */
export function mountTabRoutes(server: Server, deps: TabRouteDeps): void {
  const teamsJs = createRequire(import.meta.url).resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js');
  const client = bundleOnce(new URL('./client/main.tsx', import.meta.url));
  // Build now rather than on the first visit, so the first tab opened is not the slow one.
  client().catch(() => undefined);

  server.get('/tab/vendor/teams.js', async (_req: Request, res: Response) => send(res, 'application/javascript; charset=utf-8', await readFile(teamsJs)));
  server.get('/tab/client.js', async (_req: Request, res: Response) => send(res, 'application/javascript; charset=utf-8', await client()));
  server.get('/tab/config', async (_req: Request, res: Response) => {
    send(res, 'text/html; charset=utf-8', renderConfigPage(deps.publicBaseUrl()), `default-src 'self'; script-src 'self' 'unsafe-inline'; ${FRAME_ANCESTORS}`);
  });
  server.get('/tab/incidents/:id', async (req: Request, res: Response) => {
    const incidentId = String(req.params.id);
    if (!/^[0-9a-f]{24}$/.test(incidentId)) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.writeHead(404);
      return void res.end('<!doctype html><p>No such incident: the link is wrong.</p>');
    }
    // No inline script: the boot data is JSON (not executed) and the code comes from 'self'.
    const csp = `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; ${FRAME_ANCESTORS}`;
    send(res, 'text/html; charset=utf-8', renderTabShell({ incidentId, mode: deps.mode }), csp);
  });
}
