import type { Urls } from '../http/urls.js';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Request, Response, Server } from 'restify';
import { bundleOnce } from './bundle.js';
import { renderConfigPage, renderTabShell } from './page.js';
import { buildTabStyles } from './styles.js';

export interface TabRouteDeps {
  readonly urls: Pick<Urls, 'base'>;
  readonly mode: 'local' | 'real';
  /** The cloud's own Teams web clients, allowed to frame the tab besides the documented public hosts. */
  readonly cloudFrameHosts?: readonly string[];
}

/**
 * Who may frame the tab: the hosts Microsoft documents for Teams tabs (Teams, the Microsoft 365 app,
 * Outlook, the *.cloud.microsoft domain they move to, and skype.com kept for older clients), and the
 * local sandbox (same origin). Source: "Prerequisites" for tabs, docs/microsoft-rules.md §5.
 */
export const TAB_FRAME_HOSTS = [
  'teams.microsoft.com', '*.teams.microsoft.com', '*.skype.com', '*.cloud.microsoft', '*.microsoft365.com', '*.office.com',
  'outlook.office.com', 'outlook.office365.com', 'outlook-sdf.office.com', 'outlook-sdf.office365.com',
] as const;
const frameAncestors = (cloudHosts: readonly string[] = []) => `frame-ancestors ${[...TAB_FRAME_HOSTS, ...cloudHosts].join(' ')} 'self'`;

/** No inline script: the boot data is JSON (not executed) and the code comes from 'self'. */
const shellCsp = (frameAncestors: string) => `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; ${frameAncestors}`;

/** Scripts are asked for with their content hash (?v=): those answers never change, so browsers keep them. */
const FOREVER = 'public, max-age=31536000, immutable';

function send(res: Response, type: string, body: string | Buffer, csp?: string, cache = 'no-cache') {
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', cache);
  if (csp) res.setHeader('Content-Security-Policy', csp);
  res.writeHead(200);
  res.end(body);
}

/** The tab's pages and scripts (its data API is tab/api.ts). */
export function mountTabRoutes(server: Server, deps: TabRouteDeps): void {
  const FRAME_ANCESTORS = frameAncestors(deps.cloudFrameHosts);
  const SHELL_CSP = shellCsp(FRAME_ANCESTORS);
  const teamsJs = createRequire(import.meta.url).resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js');
  const bundle = bundleOnce(new URL('./client/main.tsx', import.meta.url));
  /** Encoded once: the bundles are ~150 KB strings, and encoding one per request costs milliseconds. */
  const versioned = (load: () => Promise<string | Buffer>) => {
    let asset: Promise<{ body: Buffer; version: string }> | undefined;
    return () => (asset ??= load().then((text) => Buffer.from(text)).then((body) => ({ body, version: createHash('sha256').update(body).digest('hex').slice(0, 16) })));
  };
  const client = versioned(bundle);
  const metricsClient = versioned(bundleOnce(new URL('./client/metricsMain.tsx', import.meta.url)));
  const mineClient = versioned(bundleOnce(new URL('./client/mineMain.tsx', import.meta.url)));
  const teams = versioned(() => readFile(teamsJs));
  let styles: Promise<string> | undefined;
  const tabStyles = () => (styles ??= buildTabStyles(new URL('./client/', import.meta.url)));
  // Build now rather than on the first visit, so the first tab opened is not the slow one.
  client().catch(() => undefined);
  metricsClient().catch(() => undefined);
  mineClient().catch(() => undefined);
  tabStyles().catch(() => undefined);

  const serveScript = (asset: typeof client) => async (req: Request, res: Response) => {
    const { body, version } = await asset();
    send(res, 'application/javascript; charset=utf-8', body, undefined, req.query?.v === version ? FOREVER : 'no-cache');
  };
  // Whole teams-js, for the configuration page's inline script (the tab pages bundle what they use).
  server.get('/tab/vendor/teams.js', serveScript(teams));
  server.get('/tab/client.js', serveScript(client));
  server.get('/tab/metrics.js', serveScript(metricsClient));
  server.get('/tab/mine.js', serveScript(mineClient));
  /** A personal (static) tab page: its one script (teams-js is bundled in it, as in the incident tab's). */
  const staticPage = (script: string, asset: typeof client, title: string) => async (_req: Request, res: Response) => {
    send(res, 'text/html; charset=utf-8', renderTabShell({ mode: deps.mode }, [`${script}?v=${(await asset()).version}`], await tabStyles(), title), SHELL_CSP);
  };
  server.get('/tab/metrics', staticPage('/tab/metrics.js', metricsClient, 'Incident metrics'));
  server.get('/tab/mine', staticPage('/tab/mine.js', mineClient, 'My incidents'));
  // The configurable tab added by hand (outside an incident channel) opens the person's incidents, with links to each.
  server.get('/tab', staticPage('/tab/mine.js', mineClient, 'Incidents'));
  server.get('/tab/config', async (_req: Request, res: Response) => {
    send(res, 'text/html; charset=utf-8', renderConfigPage(deps.urls.base), `default-src 'self'; script-src 'self' 'unsafe-inline'; ${FRAME_ANCESTORS}`);
  });
  server.get('/tab/incidents/:id', async (req: Request, res: Response) => {
    const incidentId = String(req.params.id);
    if (!/^[0-9a-f]{24}$/.test(incidentId)) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.writeHead(404);
      return void res.end('<!doctype html><p>No such incident: the link is wrong.</p>');
    }
    const csp = SHELL_CSP;
    send(res, 'text/html; charset=utf-8', renderTabShell({ incidentId, mode: deps.mode }, [`/tab/client.js?v=${(await client()).version}`], await tabStyles()), csp);
  });
}
