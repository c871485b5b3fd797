import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { FaultPlan } from './faults.js';
import { bearerProblem, close, listen, standInServer, type RecordedRequest, type StandInTls, type TokenIssuer } from './http.js';
import { TeamsWorld, type FakeChannel } from '../world/teamsWorld.js';
import { ACTIVITY_TYPES, type ActivityType } from '../../models/actions/notifications.js';
import { allows, CONSENTING_CHAT_INSTALL, ruleFor } from './graphPermissions.js';
import { mountDirectoryRoutes } from './graphDirectoryRoutes.js';
import { mountMessageRoutes } from './graphMessageRoutes.js';
import { mountFileRoutes } from './graphFileRoutes.js';
import { mountCalendarRoutes } from './graphCalendarRoutes.js';
import { mountMeetingRoutes } from './graphMeetingRoutes.js';
import { CHAT_LIMITS, mountChatRoutes, type ChatLimits } from './graphChatRoutes.js';
import { mountPlannerRoutes, PlannerBoard } from './graphPlannerRoutes.js';

/** Graph's error envelope, as documented. */
export function graphError(status: number, code: string, message: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } };
}

const FORBIDDEN = /[~#%&*{}+/\\:<>?|'",\u0000-\u001f\u0080-\u009f]|\.\./;
const RESERVED = /^(forms|con|conin\$|conout\$|prn|aux|nul|com[1-9]|lpt[1-9]|desktop\.ini|_vti_)$/i;

function channelJson(c: FakeChannel) {
  return { id: c.id, displayName: c.displayName, description: c.description ?? null, membershipType: c.membershipType, email: '', webUrl: c.webUrl, createdDateTime: c.createdDateTime, isArchived: Boolean(c.archived) };
}

/**
 * Microsoft Graph stand-in for the endpoints incident-room uses, with Graph's shapes,
 * validation and errors (as Microsoft Graph v1.0 documents them): channels, tabs, online meetings
 * (createOrGet) and calendar events with online meetings.
 */
export class GraphStandIn {
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  /** The permissions the app holds in this tenant (application permissions with consent, and RSC from installing it); tests withhold some. */
  readonly granted: Set<string>;
  /** Planner's plans and tasks (post-mortem action items with TRACKER=planner). */
  readonly planner = new PlannerBoard();
  /** The chat RSC permissions the app's manifest declares (adding it to a chat must consent to exactly these). */
  readonly appChatRsc: ReadonlySet<string>;
  /** How calendar events come back: join links in the long meetup-join form, the short /meet/ form, or without a Teams meeting. */
  calendarMeetings: 'meetup-join' | 'short' | 'none' = 'meetup-join';
  /** The Graph of this cloud: `@odata.bind` and entity URLs name resources under it (a national cloud's own host). */
  bindBase = 'https://graph.microsoft.com';
  /** Teams' chat limits; tests lower them to see a chat refused. */
  readonly chatLimits: ChatLimits = { ...CHAT_LIMITS };
  url = '';
  private readonly http: ReturnType<typeof standInServer>;

  /** With `tls`, HTTPS; with `tokens`, only bearer tokens from that issuer for this stand-in's own URL (the Graph base URL) get in. */
  constructor(readonly world: TeamsWorld, access: { readonly granted: Iterable<string>; readonly appChatRsc?: Iterable<string>; readonly tls?: StandInTls; readonly tokens?: TokenIssuer } = { granted: [] }) {
    this.http = standInServer('graph-stand-in', this.faults, this.requests, graphError, access.tls);
    this.granted = new Set(access.granted);
    this.appChatRsc = new Set(access.appChatRsc ?? []);
    const { route, server } = this.http;
    server.pre(async (req: Request, res: Response) => {
      const tokenProblem = !req.getPath().startsWith('/v1.0') ? undefined : access.tokens ? await bearerProblem(req.headers.authorization, access.tokens, this.url) : /^Bearer \S+/.test(req.headers.authorization ?? '') ? undefined : 'Access token is empty.';
      if (tokenProblem) {
        res.send(401, graphError(401, 'InvalidAuthenticationToken', tokenProblem));
        return false;
      }
      const rule = ruleFor(req.method ?? '', req.getPath());
      if (rule && !allows(rule, this.granted)) {
        res.send(403, graphError(403, 'Forbidden', `Missing role permissions on the request. API requires one of '${rule.accepts.map((a) => (typeof a === 'string' ? a : a.join(' and '))).join(', ')}'. Roles on the request '${[...this.granted].join(', ')}'.`));
        return false;
      }
      return undefined;
    });
    route.post('/v1.0/teams/:team/channels', (req, res) => this.createChannel(req, res));
    route.get('/v1.0/teams/:team/channels', (req, res) => this.listChannels(req, res));
    route.get('/v1.0/teams/:team/channels/:channel', async (req, res) => {
      const channel = this.channel(req, res);
      if (channel) res.send(200, channelJson(channel));
    });
    route.patch('/v1.0/teams/:team/channels/:channel', async (req, res) => {
      const channel = this.channel(req, res);
      if (!channel) return;
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.displayName !== undefined && body.displayName !== channel.displayName) return void res.send(400, graphError(400, 'BadRequest', 'Renaming is not supported by this stand-in.'));
      if (body.description !== undefined) {
        if (typeof body.description !== 'string' || body.description.length > 1024) return void res.send(400, graphError(400, 'BadRequest', 'Channel description must be a string of at most 1024 characters.'));
        channel.description = body.description;
      }
      res.send(204);
    });
    route.get('/v1.0/teams/:team/members', async (req, res) => {
      if (!this.team(req, res)) return;
      const filter = req.query?.$filter as string | undefined;
      const wanted = filter && /userId eq '([^']*)'/.exec(filter)?.[1];
      // 'List members of team': $top pages the answer; the default page is 100 members, the largest 999.
      const top = req.query?.$top === undefined ? 100 : Number(req.query.$top);
      if (!Number.isInteger(top) || top < 1 || top > 999) return void res.send(400, graphError(400, 'BadRequest', `Invalid page size specified: '${String(req.query?.$top)}'. Must be between 1 and 999 inclusive.`));
      const people = world.people.filter((p) => !wanted || p.aadObjectId === wanted).slice(0, top);
      res.send(200, {
        value: people.map((p) => ({ '@odata.type': '#microsoft.graph.aadUserConversationMember', id: `member-${p.aadObjectId}`, roles: [], displayName: p.name, userId: p.aadObjectId, email: p.email })),
      });
    });
    mountDirectoryRoutes(route, { world, granted: this.granted, url: () => this.url, team: (req, res) => this.team(req, res) });
    route.del('/v1.0/teams/:team/channels/:channel', async (req, res) => {
      const channel = this.channel(req, res);
      if (!channel) return;
      channel.deleted = true;
      res.send(204);
    });
    route.post('/v1.0/teams/:team/channels/:channel/archive', async (req, res) => {
      const channel = this.channel(req, res);
      if (!channel) return;
      if (channel.archived) return void res.send(400, graphError(400, 'BadRequest', 'Channel is already archived.'));
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.shouldSetSpoSiteReadOnlyForMembers !== undefined && typeof body.shouldSetSpoSiteReadOnlyForMembers !== 'boolean') {
        return void res.send(400, graphError(400, 'BadRequest', "'shouldSetSpoSiteReadOnlyForMembers' must be a boolean."));
      }
      channel.archived = true;
      res.setHeader('Location', `/teams/${req.params.team}/operations/archive-${channel.id}`);
      res.send(202);
    });
    route.post('/v1.0/teams/:team/channels/:channel/tabs', (req, res) => this.addTab(req, res));
    route.get('/v1.0/teams/:team/channels/:channel/tabs', async (req, res) => {
      const channel = this.channel(req, res);
      if (channel) res.send(200, { value: channel.tabs });
    });
    mountMessageRoutes(route, { world, url: () => this.url, channel: (req, res) => this.channel(req, res) });
    mountFileRoutes(route, { world, channel: (req, res) => this.channel(req, res) });
    mountCalendarRoutes(route, { world });
    mountMeetingRoutes(route, { world, meetingJson: (m) => this.meetingJson(m) });
    mountPlannerRoutes(route, this.planner);
    route.post('/v1.0/users/:user/onlineMeetings/createOrGet', (req, res) => this.createOrGetMeeting(req, res));
    route.post('/v1.0/users/:user/events', (req, res) => this.createEvent(req, res));
    route.get('/v1.0/users/:user/onlineMeetings', (req, res) => this.findMeetingByJoinUrl(req, res));
    mountChatRoutes(route, { world, bindBase: () => this.bindBase, limits: this.chatLimits });
    route.post('/v1.0/chats/:chat/installedApps', (req, res) => this.installInChat(req, res));
    route.post('/v1.0/chats/:chat/tabs', (req, res) => this.addChatTab(req, res));
    route.get('/v1.0/chats/:chat/tabs', async (req, res) => {
      const chat = this.chat(req, res);
      if (chat) res.send(200, { value: chat.tabs });
    });
    route.post('/v1.0/teams/:team/sendActivityNotification', (req, res) => this.sendActivityNotification(req, res));
    route.get('/_fake/state', async (_req, res) => {
      res.send(200, { channels: [...world.channels.values()], meetings: [...world.meetings.values()] });
    });
  }

  async start(port = 0): Promise<string> {
    this.url = await listen(this.http.server, port);
    return this.url;
  }

  stop(): Promise<void> {
    return close(this.http.server);
  }

  channelCreations(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/channels$/.test(r.path));
  }

  private team(req: Request, res: Response): boolean {
    if (req.params.team === this.world.teamId) return true;
    res.send(404, graphError(404, 'NotFound', `No team found with Group Id ${req.params.team}`));
    return false;
  }

  private channel(req: Request, res: Response): FakeChannel | undefined {
    if (!this.team(req, res)) return undefined;
    const channel = this.world.channels.get(decodeURIComponent(req.params.channel));
    if (channel && !channel.deleted) return channel;
    res.send(404, graphError(404, 'NotFound', 'Channel not found.'));
    return undefined;
  }

  private async createChannel(req: Request, res: Response) {
    if (!this.team(req, res)) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = body.displayName;
    const bad = (message: string) => res.send(400, graphError(400, 'BadRequest', message));
    if (typeof name !== 'string' || name.trim() === '') return bad("Property 'displayName' is required.");
    if (name.length > 50) return bad('Channel name must be 50 characters or fewer.');
    if (FORBIDDEN.test(name) || RESERVED.test(name) || /^[_.]/.test(name) || /\.$/.test(name)) return bad('Channel name contains invalid characters or is a reserved name.');
    if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 1024)) return bad('Channel description must be a string of at most 1024 characters.');
    const membershipType = (body.membershipType as string | undefined) ?? 'standard';
    if (!['standard', 'private', 'shared'].includes(membershipType)) return bad(`Invalid membershipType '${membershipType}'.`);
    if (membershipType !== 'standard' && !Array.isArray(body.members)) return bad('A private channel created with application permissions must specify an owner in members.');
    // Teams keeps names of channels deleted in the last 30 days, so those clash too.
    const clash = [...this.world.channels.values()].some((c) => c.displayName.toLowerCase() === name.toLowerCase());
    if (clash) return bad('Channel name already existed, please use other name.');
    const channel = this.world.createChannel({ displayName: name, description: body.description as string | undefined, membershipType });
    res.send(201, channelJson(channel));
  }

  private async listChannels(req: Request, res: Response) {
    if (!this.team(req, res)) return;
    let channels = this.world.liveChannels();
    const filter = req.query?.$filter as string | undefined;
    if (filter) {
      const match = /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (!match) return void res.send(400, graphError(400, 'BadRequest', `Invalid filter clause: ${filter}`));
      const wanted = match[1]!.replace(/''/g, "'");
      channels = channels.filter((c) => c.displayName === wanted);
    }
    res.send(200, { '@odata.context': `${this.url}/v1.0/$metadata#teams('${this.world.teamId}')/channels`, value: channels.map(channelJson) });
  }

  private async addTab(req: Request, res: Response) {
    const channel = this.channel(req, res);
    if (!channel) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bad = (message: string) => res.send(400, graphError(400, 'BadRequest', message));
    const binding = body['teamsApp@odata.bind'];
    if (typeof body.displayName !== 'string' || !body.displayName) return bad("Property 'displayName' is required.");
    if (typeof binding !== 'string') return bad("Property 'teamsApp@odata.bind' is required.");
    const appId = this.catalogApp(binding);
    if (!appId) return bad(`Invalid teamsApp binding '${binding}'.`);
    if (!this.world.installedApps.has(appId)) return void res.send(404, graphError(404, 'NotFound', `The app ${appId} is not installed in this team.`));
    const configuration = body.configuration as FakeChannel['tabs'][number]['configuration'] | undefined;
    if (!configuration || typeof configuration.contentUrl !== 'string') return bad("Property 'configuration.contentUrl' is required.");
    const id = randomUUID();
    const tab = {
      id,
      displayName: body.displayName,
      teamsAppId: appId,
      configuration,
      webUrl: `${this.world.viewBaseUrl}/view/tabs/${encodeURIComponent(channel.id)}/${id}`,
    };
    channel.tabs.push(tab);
    res.send(201, tab);
  }

  private chat(req: Request, res: Response) {
    const chat = this.world.chats.get(decodeURIComponent(req.params.chat));
    if (!chat) res.send(404, graphError(404, 'NotFound', 'Chat not found.'));
    return chat;
  }

  private catalogApp(binding: unknown): string | undefined {
    if (typeof binding !== 'string' || !binding.startsWith(`${this.bindBase}/v1.0/`)) return undefined;
    return /\/appCatalogs\/teamsApps\/([^/]+)$/.exec(binding)?.[1];
  }

  /** POST /chats/{id}/installedApps: 201, or 409 when the app is in the chat already. */
  private async installInChat(req: Request, res: Response) {
    const chat = this.chat(req, res);
    if (!chat) return;
    const appId = this.catalogApp((req.body ?? {})['teamsApp@odata.bind']);
    if (!appId) return void res.send(400, graphError(400, 'BadRequest', "Property 'teamsApp@odata.bind' is required."));
    if (!this.world.installedApps.has(appId)) return void res.send(404, graphError(404, 'NotFound', `App ${appId} is not in the organization's app catalog.`));
    if (this.appChatRsc.size > 0) {
      // "Add app to chat": an app that declares chat RSC permissions is installed with consent to exactly those.
      if (!CONSENTING_CHAT_INSTALL.some((p) => this.granted.has(p))) {
        return void res.send(403, graphError(403, 'Forbidden', "TeamsAppInstallation.ReadWriteSelfForChat.All and ReadWriteForChat.All can't be used to install apps that require consent to resource-specific permissions."));
      }
      const consented = ((req.body ?? {}).consentedPermissionSet?.resourceSpecificPermissions ?? []) as { permissionValue?: string; permissionType?: string }[];
      const names = new Set(consented.filter((c) => /^application$/i.test(c.permissionType ?? '')).map((c) => c.permissionValue));
      if (names.size !== this.appChatRsc.size || [...this.appChatRsc].some((p) => !names.has(p))) {
        return void res.send(400, graphError(400, 'BadRequest', `consentedPermissionSet must match the app's resource-specific permissions: ${[...this.appChatRsc].join(', ')}.`));
      }
    }
    if (chat.installedApps.has(appId)) return void res.send(409, graphError(409, 'Conflict', 'The app is already installed in this chat.'));
    chat.installedApps.add(appId);
    res.send(201, { id: `${chat.id}-${appId}` });
  }

  private async addChatTab(req: Request, res: Response) {
    const chat = this.chat(req, res);
    if (!chat) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bad = (message: string) => res.send(400, graphError(400, 'BadRequest', message));
    if (typeof body.displayName !== 'string' || !body.displayName) return bad("Property 'displayName' is required.");
    const appId = this.catalogApp(body['teamsApp@odata.bind']);
    if (!appId) return bad("Property 'teamsApp@odata.bind' is required.");
    if (!chat.installedApps.has(appId)) return void res.send(404, graphError(404, 'NotFound', `The app ${appId} is not installed in this chat.`));
    const configuration = body.configuration as FakeChannel['tabs'][number]['configuration'] | undefined;
    if (!configuration || typeof configuration.contentUrl !== 'string') return bad("Property 'configuration.contentUrl' is required.");
    const id = randomUUID();
    const tab = { id, displayName: body.displayName, teamsAppId: appId, configuration, webUrl: chat.meetingId ? `${this.world.viewBaseUrl}/view/meetings/${chat.meetingId}?tab=${id}` : `${this.world.viewBaseUrl}/view/chats/${encodeURIComponent(chat.id)}?tab=${id}` };
    chat.tabs.push(tab);
    res.send(201, tab);
  }

  /** Team-scoped activity feed notification (userteamwork/team sendActivityNotification): 204 on success. */
  private async sendActivityNotification(req: Request, res: Response) {
    if (!this.team(req, res)) return;
    const body = (req.body ?? {}) as Record<string, any>;
    const bad = (message: string) => res.send(400, graphError(400, 'BadRequest', message));
    const template = ACTIVITY_TYPES[body.activityType as ActivityType]?.templateText;
    if (!template) return bad(`Activity type '${String(body.activityType)}' is not declared in the app manifest.`);
    const topic = body.topic ?? {};
    if (topic.source === 'entityUrl') {
      if (typeof topic.value !== 'string' || !topic.value.startsWith(`${this.bindBase}/v1.0/teams/${this.world.teamId}`)) return bad('Topic entityUrl must be a resource in this team.');
    } else if (topic.source === 'text') {
      if (typeof topic.value !== 'string' || typeof topic.webUrl !== 'string') return bad("A text topic needs 'value' and 'webUrl'.");
    } else return bad("Topic source must be 'entityUrl' or 'text'.");
    const preview = body.previewText?.content;
    if (typeof preview !== 'string' || preview.length > 150) return bad('previewText.content is required, at most 150 characters.');
    const recipient = body.recipient ?? {};
    if (recipient['@odata.type'] !== 'microsoft.graph.aadUserNotificationRecipient' || typeof recipient.userId !== 'string') return bad('recipient must be an aadUserNotificationRecipient with a userId.');
    const parameters = new Map<string, string>((Array.isArray(body.templateParameters) ? body.templateParameters : []).map((p: { name: string; value: string }) => [p.name, p.value]));
    const missing = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).filter((name) => !parameters.has(name));
    if (missing.length > 0) return bad(`Template parameters missing: ${missing.join(', ')}.`);
    // Graph knows people by their Entra object id or UPN, never by a Teams (29:) id.
    const wanted = String(recipient.userId).toLowerCase();
    const person = this.world.people.find((p) => p.aadObjectId.toLowerCase() === wanted || p.email.toLowerCase() === wanted);
    if (!person) return void res.send(404, graphError(404, 'NotFound', `Recipient ${recipient.userId} is not a member of the team.`));
    if (this.world.feedBlocked.has(person.aadObjectId)) return void res.send(403, graphError(403, 'Forbidden', 'The app is not permitted to send activity notifications to this user.'));
    const shown = template.replace(/\{(\w+)\}/g, (_m, name: string) => parameters.get(name) ?? '');
    this.world.notifications.push({ userId: person.aadObjectId, activityType: body.activityType, topic, previewText: preview, shown, at: new Date().toISOString() });
    res.send(204);
  }

  private organizer(req: Request, res: Response): string | undefined {
    const user = decodeURIComponent(req.params.user);
    if (this.world.meetingOrganizers.has(user)) return user;
    res.send(403, graphError(403, 'Forbidden', 'No application access policy found for this app.'));
    return undefined;
  }

  private async createOrGetMeeting(req: Request, res: Response) {
    const organizerId = this.organizer(req, res);
    if (!organizerId) return;
    const body = (req.body ?? {}) as Record<string, string>;
    if (!body.externalId) return void res.send(400, graphError(400, 'BadRequest', 'externalId is required.'));
    const existing = [...this.world.meetings.values()].find((m) => m.organizerId === organizerId && m.externalId === body.externalId);
    if (existing) return void res.send(200, this.meetingJson(existing));
    const id = `MSo${this.world.nextId()}`;
    const meeting = {
      id,
      organizerId,
      subject: body.subject ?? '',
      externalId: body.externalId,
      joinWebUrl: `${this.world.viewBaseUrl}/view/meetings/${id}`,
      startDateTime: body.startDateTime ?? new Date().toISOString(),
      endDateTime: body.endDateTime ?? new Date().toISOString(),
      via: 'onlineMeeting' as const,
      joined: [],
    };
    this.world.meetings.set(id, meeting);
    this.world.meetingChat(id);
    res.send(201, this.meetingJson(meeting));
  }

  private meetingJson(m: { id: string; subject: string; externalId?: string; joinWebUrl: string; startDateTime: string; endDateTime: string }) {
    return { id: m.id, subject: m.subject, externalId: m.externalId, joinWebUrl: m.joinWebUrl, startDateTime: m.startDateTime, endDateTime: m.endDateTime, chatInfo: { threadId: `19:meeting_${m.id}@thread.v2` }, participants: {} };
  }

  /** GET /users/{id}/onlineMeetings?$filter=JoinWebUrl eq '…': one online meeting, as a collection (the access policy applies). */
  private async findMeetingByJoinUrl(req: Request, res: Response) {
    const organizerId = this.organizer(req, res);
    if (!organizerId) return;
    const filter = /^JoinWebUrl eq '((?:[^']|'')*)'$/.exec(String((req.query as Record<string, string> | undefined)?.$filter ?? ''));
    if (!filter) return void res.send(400, graphError(400, 'BadRequest', "Filter on JoinWebUrl eq '<url>' is required."));
    const joinUrl = filter[1]!.replace(/''/g, "'");
    const found = [...this.world.meetings.values()].filter((m) => m.organizerId === organizerId && m.joinWebUrl === joinUrl);
    res.send(200, { value: found.map((m) => this.meetingJson(m)) });
  }

  /** Calendar event with a Teams meeting: the fallback when no access policy exists. No policy needed here. */
  private async createEvent(req: Request, res: Response) {
    const organizerId = decodeURIComponent(req.params.user);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bad = (message: string) => res.send(400, graphError(400, 'BadRequest', message));
    if (typeof body.subject !== 'string') return bad('subject is required.');
    const when = (value: unknown) => value as { dateTime?: unknown; timeZone?: unknown } | undefined;
    for (const field of ['start', 'end'] as const) {
      const value = when(body[field]);
      if (typeof value?.dateTime !== 'string' || typeof value.timeZone !== 'string') return bad(`${field} must be a dateTimeTimeZone: {"dateTime", "timeZone"}.`);
    }
    const existing = [...this.world.meetings.values()].find((m) => m.via === 'calendarEvent' && m.externalId === body.transactionId);
    const id = existing?.id ?? `AAMk${this.world.nextId()}`;
    if (this.calendarMeetings === 'none') {
      return void res.send(201, { id, subject: body.subject, isOnlineMeeting: false, onlineMeetingProvider: 'unknown', onlineMeeting: null, onlineMeetingUrl: null });
    }
    const joinUrl = existing?.joinWebUrl ?? (this.calendarMeetings === 'short' ? `${this.world.viewBaseUrl}/meet/${id}?p=${id.slice(-6)}` : `${this.world.viewBaseUrl}/l/meetup-join/${encodeURIComponent(`19:meeting_${id}@thread.v2`)}/0`);
    if (!existing) {
      const attendees = Array.isArray(body.attendees) ? (body.attendees as { emailAddress?: { address?: unknown } }[]).map((a) => String(a.emailAddress?.address ?? '')) : undefined;
      if (attendees?.some((a) => !a.includes('@'))) return bad('Each attendee needs emailAddress.address.');
      this.world.meetings.set(id, {
        id, organizerId, subject: body.subject, externalId: body.transactionId as string | undefined, joinWebUrl: joinUrl,
        startDateTime: String(when(body.start)!.dateTime), endDateTime: String(when(body.end)!.dateTime), via: 'calendarEvent', joined: [],
        attendees, body: (body.body as { content?: string } | undefined)?.content,
      });
      this.world.meetingChat(id);
    }
    res.send(201, { id, subject: body.subject, webLink: `${this.world.viewBaseUrl}/calendar/item/${id}`, isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness', onlineMeetingUrl: null, onlineMeeting: { joinUrl } });
  }
}
