import { deliverMeetingEvent, deliverMeetingLifecycle } from '../world/meetingEvents.js';
import { endSession, startSession } from '../world/bridgeRecords.js';
import type { Request, Response } from 'restify';
import { FaultPlan } from './faults.js';
import { bearerProblem, close, listen, standInServer, type RecordedRequest, type StandInTls, type TokenIssuer } from './http.js';
import { TeamsWorld, type FakeActivity } from '../world/teamsWorld.js';
import { renderChannelPage, renderHomePage, renderMeetingPage } from '../world/views.js';
import { mountTabDeepLinks } from './tabDeepLinks.js';

const MAX_MESSAGE_BYTES = 100 * 1024;

function connectorError(_status: number, code: string, message: string) {
  return { error: { code, message } };
}

const param = (req: Request, name: string) => {
  const raw = String(req.params[name] ?? '');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/**
 * Bot Framework connector stand-in (the Bot Connector REST API's conversations and activities): create a channel thread, send,
 * reply, update and delete activities; records everything so tests and people can see what
 * "Teams" received. Also serves the small local pages that show channels and meetings.
 */
export class ConnectorStandIn {
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  url = '';
  private readonly http: ReturnType<typeof standInServer>;

  /** With `tls`, HTTPS; with `tokens`, the v3 API only takes bearer tokens from that issuer for `audience` (the bot's BOT_OAUTH_SCOPE). */
  constructor(readonly world: TeamsWorld, access: { readonly tls?: StandInTls; readonly tokens?: TokenIssuer; readonly audience?: string } = {}) {
    this.http = standInServer('connector-stand-in', this.faults, this.requests, connectorError, access.tls);
    const { tokens, audience = 'https://api.botframework.com' } = access;
    this.http.server.pre(async (req: Request, res: Response) => {
      if (!tokens || !req.getPath().startsWith('/v3/') || !(await bearerProblem(req.headers.authorization, tokens, audience))) return undefined;
      res.send(401, { message: 'Authorization has been denied for this request.' });
      return false;
    });
    const { route } = this.http;
    route.post('/v3/conversations', (req, res) => this.createConversation(req, res));
    route.post('/v3/conversations/:conversation/activities', (req, res) => this.send(req, res, undefined));
    route.post('/v3/conversations/:conversation/activities/:activity', (req, res) => this.send(req, res, param(req, 'activity')));
    route.put('/v3/conversations/:conversation/activities/:activity', (req, res) => this.update(req, res));
    route.del('/v3/conversations/:conversation/activities/:activity', async (req, res) => {
      const index = world.activities.findIndex((a) => a.id === param(req, 'activity'));
      if (index < 0) return void res.send(404, connectorError(404, 'ActivityNotFound', 'Unknown activity.'));
      world.activities.splice(index, 1);
      res.send(200);
    });
    route.get('/v3/conversations/:conversation/members/:member', async (req, res) => {
      const person = world.person(param(req, 'member'));
      if (!person) return void res.send(404, connectorError(404, 'MemberNotFoundInConversation', 'The member was not found in the conversation.'));
      res.send(200, { id: person.id, name: person.name, aadObjectId: person.aadObjectId, email: person.email, userPrincipalName: person.email, tenantId: 'local-tenant', userRole: 'user' });
    });
    route.get('/_fake/activities', async (_req, res) => {
      res.send(200, world.activities);
    });
    route.get('/', async (_req, res) => {
      this.html(res, renderHomePage(world));
    });
    route.get('/view/channels/:channel', async (req, res) => {
      const channel = world.channels.get(param(req, 'channel'));
      if (!channel) return void res.send(404, 'No such channel');
      this.html(res, renderChannelPage(world, channel));
    });
    // Calendar-event join links (long meetup-join and short /meet/ forms) open the same meeting page.
    route.get('/meet/:meeting', async (req, res) => this.meetingPage(res, world.meetings.get(param(req, 'meeting')), req.query?.as));
    route.get('/l/meetup-join/:thread/:n', async (req, res) => {
      const id = /^19:meeting_(.+)@thread\.v2$/.exec(param(req, 'thread'))?.[1];
      await this.meetingPage(res, id ? world.meetings.get(id) : undefined, req.query?.as);
    });
    route.get('/view/meetings/:meeting', async (req, res) => this.meetingPage(res, world.meetings.get(param(req, 'meeting')), req.query?.as));
    // "End meeting" for everyone: Teams sends the meeting-end event, and makes the transcript later.
    route.post('/view/meetings/:meeting/end', async (req, res) => {
      const meeting = world.meetings.get(param(req, 'meeting'));
      if (!meeting) return void res.send(404, 'No such meeting');
      const ended = endSession(world, meeting, new Date());
      const delivered = ended ? await deliverMeetingLifecycle(world, world.meetingEventRoute, meeting, false) : 'not running';
      // The meeting page's button (a form post) goes back to the page; a script gets the outcome.
      if (/text\/html/.test(req.headers.accept ?? '')) return void res.redirect(303, `/view/meetings/${encodeURIComponent(meeting.id)}`, () => undefined);
      res.send(200, { ended, delivered });
    });
    route.get('/view/tabs/:channel/:tab', async (req, res) => {
      const tab = world.channels.get(param(req, 'channel'))?.tabs.find((t) => t.id === param(req, 'tab'));
      if (!tab) return void res.send(404, 'No such tab');
      res.redirect(302, tab.configuration.websiteUrl ?? tab.configuration.contentUrl, () => undefined);
    });
    mountTabDeepLinks(route, world);
  }

  async start(port = 0): Promise<string> {
    this.url = await listen(this.http.server, port);
    this.world.viewBaseUrl = this.url;
    return this.url;
  }

  stop(): Promise<void> {
    return close(this.http.server);
  }

  /** The sandbox opens join links with ?as=<person>: that person "joins" the bridge. */
  private async meetingPage(res: Response, meeting: ReturnType<TeamsWorld['meetings']['get']>, as: unknown) {
    if (!meeting) return void res.send(404, 'No such meeting');
    const person = typeof as === 'string' ? this.world.person(as) : undefined;
    // Joining is what makes Teams send the bot a participant event (when it would: see meetingEvents.ts).
    if (person && this.world.join(meeting.id, person)) {
      // The first person in starts the meeting: Teams says so before the join.
      if (startSession(meeting, new Date())) await deliverMeetingLifecycle(this.world, this.world.meetingEventRoute, meeting, true);
      await deliverMeetingEvent(this.world, this.world.meetingEventRoute, meeting, person, true);
    }
    this.html(res, renderMeetingPage(meeting, person?.name));
  }

  private html(res: Response, body: string) {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.writeHead(200);
    res.end(body);
  }

  /**
   * Mentions as Teams treats them: `mentioned.id` must be a Teams user id (29:…), an Entra object
   * id (a GUID) or a UPN, else the message is refused; an entity whose `<at>…</at>` text is not in
   * the message is ignored (no mention, no notification), not refused.
   */
  private mentionProblem(activity: Record<string, unknown>): string | undefined {
    const entities = (activity.entities ?? []) as { type?: string; mentioned?: { id?: unknown } }[];
    const bad = entities.find((e) => e.type === 'mention' && !isMentionId(e.mentioned?.id));
    return bad ? `Mention id "${String(bad.mentioned?.id ?? '')}" is not a Teams user id, an Entra object id or a UPN.` : undefined;
  }

  /** The mention entities Teams honours: those whose text appears in the message. */
  private honouredEntities(activity: Record<string, unknown>): FakeActivity['entities'] {
    const text = String(activity.text ?? '');
    const entities = (activity.entities ?? []) as { type?: string; text?: string }[];
    return entities.filter((e) => e.type !== 'mention' || (typeof e.text === 'string' && e.text.length > 0 && text.includes(e.text))) as FakeActivity['entities'];
  }

  private tooBig(activity: unknown): boolean {
    return Buffer.byteLength(JSON.stringify(activity)) > MAX_MESSAGE_BYTES;
  }

  private record(conversationId: string, body: Record<string, unknown>, replyToId?: string): FakeActivity {
    const activity: FakeActivity = {
      id: this.world.nextId(),
      conversationId,
      replyToId,
      type: String(body.type ?? 'message'),
      text: body.text as string | undefined,
      attachments: body.attachments as FakeActivity['attachments'],
      entities: this.honouredEntities(body),
      from: body.from as FakeActivity['from'],
      byBot: true,
      createdAt: new Date().toISOString(),
      version: 1,
    };
    this.world.activities.push(activity);
    return activity;
  }

  /** New thread in a channel, the way TeamsInfo.sendMessageToTeamsChannel does it. */
  private async createConversation(req: Request, res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const activity = body.activity as Record<string, unknown> | undefined;
    if (body.isGroup === false) return this.createPersonalChat(body, res);
    const channelId = (body.channelData as { channel?: { id?: string } } | undefined)?.channel?.id;
    if (!activity || !channelId) return void res.send(400, connectorError(400, 'BadSyntax', 'Incorrect conversation creation parameters'));
    const channel = this.world.channels.get(channelId);
    if (!channel || channel.deleted) return void res.send(404, connectorError(404, 'ConversationNotFound', 'Conversation not found.'));
    if (channel.archived) return void res.send(403, connectorError(403, 'Forbidden', 'The channel is archived and read-only.'));
    if (this.tooBig(activity)) return void res.send(413, connectorError(413, 'MessageSizeTooBig', 'Message size too big.'));
    const mentionProblem = this.mentionProblem(activity);
    if (mentionProblem) return void res.send(400, connectorError(400, 'BadArgument', mentionProblem));
    const recorded = this.record(channelId, activity);
    recorded.conversationId = `${channelId};messageid=${recorded.id}`;
    res.send(201, { id: recorded.conversationId, activityId: recorded.id });
  }

  /**
   * A 1:1 chat with a team member who has the app (personal scope). Teams keeps one personal chat
   * per bot and person, so this answers that conversation's id every time, the one the person's
   * own messages arrive in (`201 {"id":"a:…"}`, no activityId); exactly one member, else the
   * service's BadSyntax. An `activity` in the request is posted there as the next message.
   */
  private createPersonalChat(body: Record<string, unknown>, res: Response) {
    const members = (Array.isArray(body.members) ? body.members : []) as { id?: string }[];
    const [member] = members;
    if (members.length !== 1 || !member?.id) return void res.send(400, connectorError(400, 'BadSyntax', 'Incorrect conversation creation parameters'));
    const person = this.world.person(member.id);
    if (!person || this.world.personalAppMissing.has(person.aadObjectId)) {
      return void res.send(403, connectorError(403, 'Forbidden', 'The bot is not installed in the user\'s personal scope.'));
    }
    const chatId = this.world.personalChatWith(person);
    const activity = body.activity as Record<string, unknown> | undefined;
    if (activity) {
      if (this.tooBig(activity)) return void res.send(413, connectorError(413, 'MessageSizeTooBig', 'Message size too big.'));
      const mentionProblem = this.mentionProblem(activity);
      if (mentionProblem) return void res.send(400, connectorError(400, 'BadArgument', mentionProblem));
      this.record(chatId, activity);
    }
    res.send(201, { id: chatId });
  }

  private async send(req: Request, res: Response, replyTo: string | undefined) {
    const conversationId = param(req, 'conversation');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!body.type) return void res.send(400, connectorError(400, 'BadArgument', 'Activity type is required.'));
    const channelId = TeamsWorld.channelOf(conversationId);
    if (channelId.endsWith('@thread.tacv2') && !this.world.channels.get(channelId)) {
      // Conversations the stand-in has not seen (a personal chat, the General channel typed into
      // by a test) are accepted; a channel we know was deleted is not.
    } else if (this.world.channels.get(channelId)?.deleted) {
      return void res.send(404, connectorError(404, 'ConversationNotFound', 'Conversation not found.'));
    } else if (this.world.channels.get(channelId)?.archived) {
      return void res.send(403, connectorError(403, 'Forbidden', 'The channel is archived and read-only.'));
    }
    // "Send proactive messages": a bot posts in a group chat only once its app is installed there.
    const chat = this.world.chats.get(conversationId);
    if (chat?.chatType === 'group' && ![...chat.installedApps].some((app) => this.world.installedApps.has(app))) {
      return void res.send(403, connectorError(403, 'Forbidden', 'The bot is not part of the conversation roster.'));
    }
    if (this.tooBig(body)) return void res.send(413, connectorError(413, 'MessageSizeTooBig', 'Message size too big.'));
    const mentionProblem = this.mentionProblem(body);
    if (mentionProblem) return void res.send(400, connectorError(400, 'BadArgument', mentionProblem));
    const threadRoot = conversationId.includes(';messageid=') ? conversationId.split(';messageid=')[1] : undefined;
    const recorded = this.record(conversationId, body, replyTo ?? threadRoot);
    res.send(201, { id: recorded.id });
  }

  private async update(req: Request, res: Response) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const existing = this.world.activities.find((a) => a.id === param(req, 'activity'));
    if (!existing) return void res.send(404, connectorError(404, 'ActivityNotFound', 'Unknown activity.'));
    if (this.tooBig(body)) return void res.send(413, connectorError(413, 'MessageSizeTooBig', 'Message size too big.'));
    existing.text = body.text as string | undefined;
    existing.attachments = body.attachments as FakeActivity['attachments'];
    existing.updatedAt = new Date().toISOString();
    existing.version += 1;
    res.send(200, { id: existing.id });
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** What Teams accepts as `mentioned.id`: a Teams user id, an Entra object id or a UPN. */
function isMentionId(id: unknown): boolean {
  return typeof id === 'string' && (/^29:\S+$/.test(id) || GUID.test(id) || UPN.test(id));
}
