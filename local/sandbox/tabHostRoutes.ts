/**
 * What the sandbox needs to host the tab as Teams does (local mode only): the local tenant and
 * team for the tab's context, the app's personal tabs (the manifest's static tabs, shown beside
 * each person's chat with the bot, as Teams shows a personal app), a Teams SSO token for the
 * person the sandbox acts as, and a page that hosts one tab on its own (the meeting side panel).
 * Like the rest of the sandbox's API, only the sandbox's own page may call it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Request, Response, Server } from 'restify';
import { bundleOnce } from '../../tab/bundle.js';
import type { LocalTeams } from '../localTeams.js';
import { foreignRequest } from './sameOrigin.js';
import { teamsSsoToken, type TabApp } from './ssoToken.js';
import { renderTabHostPage } from './tabHostPage.js';

export interface TabHostDeps {
  readonly local: LocalTeams;
  readonly tenantId: string;
  readonly origins: readonly string[];
  readonly tabApp: TabApp;
}

export interface PersonalTab {
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly entityId: string;
}

const staticTabs = z.object({
  staticTabs: z.array(z.object({ entityId: z.string().min(1).max(64), name: z.string().min(1).max(128), contentUrl: z.string(), scopes: z.array(z.string()) }).loose()).default([]),
}).loose();

/** The manifest's personal tabs, their URLs on this app (the template's ${BASE_URL} is the page's own origin here). */
export function personalTabsOf(manifestJson: unknown): PersonalTab[] {
  return staticTabs
    .parse(manifestJson)
    .staticTabs.filter((t) => t.scopes.includes('personal'))
    .map((t) => ({ id: `personal:${t.entityId}`, name: t.name, url: t.contentUrl.replace('${BASE_URL}', ''), entityId: t.entityId }));
}

const tokenBody = z.object({ as: z.string().min(1).max(200) }).strict();

export function mountTabHostRoutes(server: Server, deps: TabHostDeps): void {
  const { world } = deps.local;
  const personalTabs = personalTabsOf(JSON.parse(readFileSync(new URL('../../manifest/manifest.template.json', import.meta.url), 'utf8')));
  const hostBundle = bundleOnce(new URL('./tabHostClient.ts', import.meta.url));
  const refusedForeign = (req: Request, res: Response): boolean => {
    const reason = foreignRequest(req, deps.origins);
    if (reason) res.send(403, { error: reason });
    return reason !== undefined;
  };

  server.get('/sandbox/api/host', async (req: Request, res: Response) => {
    if (refusedForeign(req, res)) return;
    // Teams' internal team id is its General channel's thread id; the Graph team id is the group id.
    const general = [...world.channels.values()].find((c) => c.displayName === 'General');
    res.send(200, { tenantId: deps.tenantId, team: { internalId: general?.id ?? world.teamId, groupId: world.teamId, name: 'Incidents team' }, personalTabs });
  });

  server.post('/sandbox/api/sso-token', async (req: Request, res: Response) => {
    if (refusedForeign(req, res)) return;
    res.setHeader('Cache-Control', 'no-store');
    const body = tokenBody.safeParse(req.body);
    if (!body.success) return void res.send(400, { error: 'Send {"as": "<the person the sandbox acts as>"}.' });
    const person = world.person(body.data.as);
    if (!person) return void res.send(400, { error: `nobody called ${body.data.as} is in the incidents team` });
    const answer = await teamsSsoToken(deps.local.entra.url, deps.tenantId, deps.tabApp, person.email);
    if ('error' in answer) return void res.send(502, { error: `Entra refused a token for ${person.name}: ${answer.error}` });
    res.send(200, answer);
  });

  server.get('/sandbox/tab', async (req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; frame-src 'self'");
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.writeHead(200);
    res.end(renderTabHostPage(req.query?.frame === 'sidePanel' ? 'sidePanel' : 'content'));
  });
  server.get('/sandbox/tab-host.js', async (_req: Request, res: Response) => {
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache');
    res.writeHead(200);
    res.end(await hostBundle());
  });
}
