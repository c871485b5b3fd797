import type { Request, Response } from 'restify';
import type { Handler } from './http.js';
import type { TeamsWorld } from '../world/teamsWorld.js';

const decoded = (value: unknown) => {
  try {
    return decodeURIComponent(String(value ?? ''));
  } catch {
    return String(value ?? '');
  }
};

/**
 * Deep links to a channel tab, as Microsoft Learn describes them ("Deep link to an application",
 * share deep link for a tab): `/l/entity/<appId>/<entityId>?webUrl=…&label=…&context=…`, where
 * `context` is JSON with `subEntityId` and, for a channel tab, `channelId`. Local Teams opens the
 * tab only if that channel has a tab of that app with that entity id (a link to a tab that is not
 * there opens nothing), in its web client — the sandbox's tab host, beside the app's pages —
 * which gives the tab the sub-entity in its context (`subEntityId`, teams-js' `page.subPageId`).
 */
export function mountTabDeepLinks(route: { get(path: string, handler: Handler): unknown }, world: TeamsWorld): void {
  route.get('/l/entity/:appId/:entityId', async (req: Request, res: Response) => {
    const refuse = (status: number, why: string) => {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.send(status, `Local Teams could not open this link: ${why}`);
    };
    const query = (req.query ?? {}) as Record<string, unknown>;
    let context: { subEntityId?: unknown; channelId?: unknown } = {};
    if (query.context !== undefined) {
      try {
        context = JSON.parse(String(query.context)) as typeof context;
      } catch {
        return refuse(400, 'its context is not JSON.');
      }
    }
    if (typeof context.channelId !== 'string') return refuse(404, 'a link to a channel tab needs the channelId in its context.');
    const channel = world.channels.get(context.channelId);
    const tab = channel?.tabs.find((t) => t.teamsAppId === decoded(req.params.appId) && t.configuration.entityId === decoded(req.params.entityId));
    if (!channel || !tab) return refuse(404, 'there is no tab of this app with this entity id in that channel.');
    const content = new URL(tab.configuration.contentUrl);
    const place = new URLSearchParams({ url: `${content.pathname}${content.search}`, entity: tab.configuration.entityId ?? tab.id, channel: channel.id, channelName: channel.displayName });
    if (typeof context.subEntityId === 'string' && context.subEntityId) place.set('subEntityId', context.subEntityId);
    const target = `${content.origin}/sandbox/tab?${place.toString()}`;
    res.redirect(302, target, () => undefined);
  });
}
