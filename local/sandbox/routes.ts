import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { bundleOnce } from '../../tab/bundle.js';
import { z } from 'zod';
import type { Request, Response, Server } from 'restify';
import type { LocalTeams } from '../localTeams.js';
import { renderSandboxPage } from './page.js';
import { cardAction, mentionOf, teamsActivity } from '../teamsActivities.js';
import { foreignRequest } from './sameOrigin.js';
import { INVOKE_KINDS, invokeFor } from './invokes.js';
import { loadMessageActions } from './messageActions.js';
import { mountTabHostRoutes } from './tabHostRoutes.js';
import type { TabApp } from './ssoToken.js';

/**
 * The local sandbox (local mode only): a Teams-like page over the local stand-ins. It is a
 * client like Teams: people's messages are stored the way the Teams service stores them and
 * then sent to the bot as Teams-shaped activities over HTTP at /api/messages; what the bot
 * posted is read from what the connector stand-in recorded. Nothing here calls the domain.
 */
export interface SandboxDeps {
  readonly local: LocalTeams;
  readonly tenantId: string;
  /** This app's own address, for posting activities to its /api/messages. */
  readonly appUrl: string;
  /** Where the sandbox page is served from (sandboxOrigins): its API answers only that page. */
  readonly origins: readonly string[];
  readonly bot: { readonly id: string; readonly name: string };
  /** The app whose tab the sandbox hosts: what its Teams SSO tokens are for. */
  readonly tabApp: TabApp;
}

const CARD = 'application/vnd.microsoft.card.adaptive';
const require = createRequire(import.meta.url);

const mention = z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(200) });
const outgoing = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('message'),
    as: z.string().min(1).max(200),
    conversationId: z.string().min(1).max(500),
    text: z.string().trim().min(1, 'type a message').max(10_000),
    mentions: z.array(mention).max(20).default([]),
    replyToId: z.string().max(200).optional(),
    /** false: said to the people there; Teams still sends it to the bot (RSC), without the bot's mention. */
    toBot: z.boolean().default(true),
  }),
  z.object({
    kind: z.literal('action'),
    as: z.string().min(1).max(200),
    conversationId: z.string().min(1).max(500),
    activityId: z.string().min(1).max(200),
    verb: z.string().min(1).max(100),
    data: z.record(z.string(), z.unknown()).default({}),
    /** `automatic`: Teams refreshing the card for the person looking at it (see local/world/autoRefresh.ts). */
    trigger: z.enum(['manual', 'automatic']).default('manual'),
  }),
  // A person edits or deletes their own message; Teams tells the bot (messageUpdate / messageDelete).
  z.object({ kind: z.literal('edit'), as: z.string().min(1).max(200), conversationId: z.string().min(1).max(500), activityId: z.string().min(1).max(200), text: z.string().trim().min(1, 'type the new text').max(10_000) }),
  z.object({ kind: z.literal('delete'), as: z.string().min(1).max(200), conversationId: z.string().min(1).max(500), activityId: z.string().min(1).max(200) }),
  ...INVOKE_KINDS,
]);

export function mountSandboxRoutes(server: Server, deps: SandboxDeps): void {
  const { world } = deps.local;
  // The trackers' stand-ins send their webhooks to this app, as a real repository's or project's would.
  deps.local.connectTrackerHooks(deps.appUrl);
  const clientBundle = bundleOnce(new URL('./client.ts', import.meta.url));
  mountTabHostRoutes(server, deps);
  const messageActions = loadMessageActions();

  const send = (res: Response, type: string, body: string | Buffer) => {
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'no-cache');
    res.writeHead(200);
    res.end(body);
  };

  server.get('/', async (_req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'");
    send(res, 'text/html; charset=utf-8', renderSandboxPage());
  });
  server.get('/sandbox/client.js', async (_req: Request, res: Response) => send(res, 'application/javascript; charset=utf-8', await clientBundle()));
  server.get('/sandbox/vendor/adaptivecards.js', async (_req: Request, res: Response) =>
    send(res, 'application/javascript; charset=utf-8', await readFile(require.resolve('adaptivecards/dist/adaptivecards.min.js'))),
  );
  server.get('/sandbox/vendor/markdown-it.js', async (_req: Request, res: Response) =>
    send(res, 'application/javascript; charset=utf-8', await readFile(require.resolve('markdown-it/dist/markdown-it.min.js'))),
  );

  /** 403 for a request that is not from the sandbox's own page (another site, or a rebound host name). */
  const refusedForeign = (req: Request, res: Response): boolean => {
    const reason = foreignRequest(req, deps.origins);
    if (reason) res.send(403, { error: reason });
    return reason !== undefined;
  };

  server.get('/sandbox/api/state', async (req: Request, res: Response) => {
    if (refusedForeign(req, res)) return;
    const fingerprint = world.fingerprint();
    if (req.query?.since === fingerprint) return void res.send(200, { fingerprint, unchanged: true });
    res.send(200, {
      fingerprint,
      bot: deps.bot,
      people: world.people.map((p) => ({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, email: p.email, chatId: world.personalChatWith(p) })),
      messageActions,
      channels: world.liveChannels().map((c) => ({
        id: c.id,
        name: c.displayName,
        description: c.description ?? '',
        tabs: c.tabs.map((t) => ({ id: t.id, name: t.displayName, url: sameOrigin(t.configuration.contentUrl), entityId: t.configuration.entityId })),
      })),
      groupChats: [...world.chats.values()]
        .filter((c) => c.chatType === 'group')
        .map((c) => ({ id: c.id, topic: c.topic ?? 'Group chat', memberIds: (c.members ?? []).map((m) => m.userId), tabs: c.tabs.map((t) => ({ id: t.id, name: t.displayName, url: sameOrigin(t.configuration.contentUrl), entityId: t.configuration.entityId })) })),
      meetings: [...world.meetings.values()].map((m) => ({ id: m.id, subject: m.subject, joinUrl: m.joinWebUrl, joined: m.joined })),
      activities: world.activities.map((a) => ({
        id: a.id,
        conversationId: a.conversationId,
        replyToId: a.replyToId,
        from: a.from,
        text: a.deletedAt ? undefined : a.text,
        cards: (a.attachments ?? []).filter((x) => x.contentType === CARD).map((x) => x.content),
        createdAt: a.createdAt,
        updatedAt: a.updatedAt,
        deletedAt: a.deletedAt,
        version: a.version,
      })),
    });
  });

  server.post('/sandbox/api/send', async (req: Request, res: Response) => {
    if (refusedForeign(req, res)) return;
    const parsed = outgoing.safeParse(req.body);
    if (!parsed.success) return void res.send(400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    const input = parsed.data;
    const person = world.person(input.as);
    if (!person) return void res.send(400, { error: `nobody called ${input.as} is in the incidents team` });
    const channelId = input.conversationId.split(';')[0]!;
    const inChannel = channelId.endsWith('@thread.tacv2');
    const group = world.chats.get(input.conversationId);
    const inGroup = group?.chatType === 'group';
    // Outside the team's channels a person has their chat with the bot, and the group chats they are a member of.
    if (!inChannel && input.conversationId !== world.personalChatWith(person) && !(inGroup && group.members?.some((m) => m.userId === person.aadObjectId))) {
      return void res.send(403, { error: `${person.name} is not in conversation ${input.conversationId}; their chat with the bot is ${world.personalChatWith(person)}` });
    }
    const conversationType = inChannel ? 'channel' : inGroup ? 'groupChat' : 'personal';
    const thread = (activityId: string) => ({
      id: inChannel ? `${channelId};messageid=${rootOf(activityId)}` : input.conversationId,
      tenantId: deps.tenantId,
      conversationType,
      isGroup: inChannel || inGroup,
    });
    const place = { serviceUrl: `${deps.local.connector.url}/`, tenantId: deps.tenantId, bot: deps.bot };
    const common = {
      from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
      channelData: { tenant: { id: deps.tenantId }, ...(inChannel ? { channel: { id: channelId }, team: { id: world.teamId } } : {}) },
      locale: 'en-GB',
    };
    let activity: Record<string, unknown>;
    if (input.kind === 'message') {
      // In a channel or a group chat the bot acts only on messages that @mention it, so the sandbox
      // adds the mention the way a person would type it, unless the message is for the people
      // there: Teams still sends it to the bot (RSC), which keeps it on the incident's record.
      const mentioned = (inChannel || inGroup) && input.toBot;
      const addressed = mentioned && !input.text.includes(`<at>${deps.bot.name}</at>`) ? `<at>${deps.bot.name}</at> ${input.text}` : input.text;
      const stored = world.postAsUser(input.conversationId, person, addressed, input.replyToId);
      const entities = [...(mentioned ? [mentionOf(deps.bot)] : []), ...input.mentions.map(mentionOf)];
      activity = teamsActivity(place, {
        ...common,
        type: 'message',
        id: stored.id,
        text: addressed,
        entities,
        conversation: { id: stored.conversationId, tenantId: deps.tenantId, conversationType, isGroup: inChannel || inGroup },
      });
    } else if (input.kind === 'action') {
      activity = teamsActivity(place, {
        ...common,
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: randomUUID(),
        replyToId: input.activityId,
        conversation: thread(input.activityId),
        value: cardAction(input.verb, input.data, input.trigger),
      });
    } else if (input.kind === 'edit' || input.kind === 'delete') {
      const changed = world.changeAsUser(input.activityId, person, input.kind === 'delete' ? 'delete' : { text: input.text });
      if (!changed) return void res.send(403, { error: `${person.name} can only edit or delete their own messages, once they are there` });
      // Learn, "Messages in bot conversations": the edit (and its text) or the soft delete, naming the message by its id.
      const eventType = input.kind === 'delete' ? 'softDeleteMessage' : 'editMessage';
      activity = teamsActivity(place, {
        ...common,
        type: input.kind === 'delete' ? 'messageDelete' : 'messageUpdate',
        id: changed.id,
        ...(input.kind === 'edit' ? { text: changed.text, textFormat: 'plain' } : {}),
        channelData: { ...common.channelData, eventType },
        conversation: thread(changed.id),
      });
    } else {
      const outcome = invokeFor(input, world, { bot: deps.bot, messageActions });
      if ('refusal' in outcome) return void res.send(outcome.refusal.status, { error: outcome.refusal.error });
      const { name, value, replyToId } = outcome.invoke;
      activity = teamsActivity(place, { ...common, type: 'invoke', name, id: randomUUID(), ...(replyToId ? { replyToId } : {}), conversation: thread(input.activityId), value });
    }
    const answer = await fetch(`${deps.appUrl}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await answer.text();
    res.send(200, { status: answer.status, body: text ? safeJson(text) : undefined });
  });

  /** The thread a message belongs to: itself, or the root it replies to. */
  function rootOf(activityId: string): string {
    const activity = world.activities.find((a) => a.id === activityId);
    return activity?.replyToId ?? activityId;
  }
}

/** The tab is served by this app: load it from the page's own origin (localhost vs 127.0.0.1 differ). */
function sameOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname.startsWith('/tab/') ? `${parsed.pathname}${parsed.search}` : url;
  } catch {
    return url;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
