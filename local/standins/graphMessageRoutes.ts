/**
 * The Graph stand-in's channel messages: "List channel messages" (root messages, newest first)
 * and "List replies" (the replies under one message), as Graph's chatMessage with `$top` (at
 * most 50) and `@odata.nextLink` pages, and the query options their Microsoft Learn pages allow.
 * A card's JSON comes back as a string Graph re-serialised (pretty-printed).
 */
import type { Request, Response } from 'restify';
import type { FakeActivity, FakeChannel, TeamsWorld } from '../world/teamsWorld.js';
import type { Handler } from './http.js';
import { graphError } from './graphStandIn.js';

interface Routes {
  get(path: string, handler: Handler): unknown;
}

export interface MessageRouteDeps {
  readonly world: TeamsWorld;
  readonly url: () => string;
  readonly channel: (req: Request, res: Response) => FakeChannel | undefined;
}

function chatMessage(world: TeamsWorld, a: FakeActivity) {
  return {
    id: a.id,
    ...(a.replyToId ? { replyToId: a.replyToId } : {}),
    messageType: 'message',
    createdDateTime: a.createdAt,
    from: a.byBot || a.byApp ? { application: { id: a.byApp ?? world.botAppId, displayName: a.byApp ? 'another app' : 'incident-room', applicationIdentityType: 'bot' }, user: null } : { application: null, user: { id: a.from?.id, displayName: a.from?.name } },
    body: { contentType: 'html', content: a.text ?? '' },
    attachments: (a.attachments ?? []).map((att, i) => ({ id: String(i), contentType: att.contentType, content: JSON.stringify(att.content, null, 2) })),
  };
}

/** One page of messages, newest first, with the link to the next page. */
function page(req: Request, res: Response, world: TeamsWorld, all: FakeActivity[], link: (top: number, skip: number) => string, allowed: readonly string[]): void {
  const query = (req.query ?? {}) as Record<string, string>;
  if (Object.keys(query).some((k) => k.startsWith('$') && !allowed.includes(k))) return void res.send(400, graphError(400, 'BadRequest', `Only ${allowed.filter((k) => k !== '$skiptoken').join(' and ')} ${allowed.length > 2 ? 'are' : 'is'} supported.`));
  const top = Math.min(50, Math.max(1, Number(query.$top ?? 20) || 20));
  const skip = Number(query.$skiptoken ?? 0) || 0;
  const newestFirst = [...all].reverse();
  const next = skip + top < newestFirst.length ? link(top, skip + top) : undefined;
  res.send(200, { ...(next ? { '@odata.nextLink': next } : {}), value: newestFirst.slice(skip, skip + top).map((a) => chatMessage(world, a)) });
}

export function mountMessageRoutes(route: Routes, deps: MessageRouteDeps): void {
  const { world } = deps;
  const base = (req: Request, channel: FakeChannel) => `${deps.url()}/v1.0/teams/${req.params.team}/channels/${encodeURIComponent(channel.id)}/messages`;
  route.get('/v1.0/teams/:team/channels/:channel/messages', async (req, res) => {
    const channel = deps.channel(req, res);
    if (!channel) return;
    const roots = world.activitiesIn(channel.id).filter((a) => !a.replyToId);
    page(req, res, world, roots, (top, skip) => `${base(req, channel)}?$top=${top}&$skiptoken=${skip}`, ['$top', '$skiptoken', '$expand']);
  });
  // "List replies": only $top (at most 50) is supported; the message must exist in the channel.
  route.get('/v1.0/teams/:team/channels/:channel/messages/:message/replies', async (req, res) => {
    const channel = deps.channel(req, res);
    if (!channel) return;
    const messageId = decodeURIComponent(req.params.message);
    const activities = world.activitiesIn(channel.id);
    if (!activities.some((a) => a.id === messageId && !a.replyToId)) return void res.send(404, graphError(404, 'NotFound', 'Message not found.'));
    const replies = activities.filter((a) => a.replyToId === messageId);
    page(req, res, world, replies, (top, skip) => `${base(req, channel)}/${encodeURIComponent(messageId)}/replies?$top=${top}&$skiptoken=${skip}`, ['$top', '$skiptoken']);
  });
}
