import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Request, Response, Server } from 'restify';
import type { IncidentStore } from '../models/ports.js';
import { renderConfigPage, renderTabPage } from './page.js';

export interface TabRouteDeps {
  readonly store: IncidentStore;
  readonly publicBaseUrl: () => string;
  /** Local mode shows a clearly labelled development identity; real mode uses Teams SSO. */
  readonly identity: string;
}

function html(res: Response, status: number, body: string) {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors teams.microsoft.com *.teams.microsoft.com *.office.com *.cloud.microsoft 'self'");
  res.writeHead(status);
  res.end(body);
}

export function mountTabRoutes(server: Server, deps: TabRouteDeps): void {
  const teamsJs = createRequire(import.meta.url).resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js');

  server.get('/tab/vendor/teams.js', async (_req: Request, res: Response) => {
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.writeHead(200);
    res.end(await readFile(teamsJs));
  });

  server.get('/tab/config', async (_req: Request, res: Response) => {
    html(res, 200, renderConfigPage(deps.publicBaseUrl()));
  });

  server.get('/tab/incidents/:id', async (req: Request, res: Response) => {
    const incident = await deps.store.findById(String(req.params.id));
    if (!incident) return html(res, 404, '<!doctype html><p>No such incident. It may have been declared in another tenant, or the link is wrong.</p>');
    html(res, 200, renderTabPage(incident, await deps.store.listEvents(incident.id), deps.identity));
  });
}
