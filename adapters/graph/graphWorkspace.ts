import type { Client } from '@microsoft/microsoft-graph-client';
import { NameTakenError, PermanentError } from '../../models/support/errors.js';
import type { ChannelRef, ChatRef, MeetingRef, TabRef } from '../../models/incident/incident.js';
import type { ChannelSpec, FiledFile, FileToFile, FoundChannel, GroupChatSpec, MeetingSpec, MeetingTabSpec, TabSpec, Workspace } from '../../models/ports/workspace.js';
import { translateHttpError } from '../httpErrors.js';
import { CHAT_RSC, permissionHint, type GraphOperationName } from './permissions.js';

export interface GraphWorkspaceSettings {
  readonly teamId: string;
  readonly appCatalogId: string;
  readonly meetingOrganizerId?: string;
  /** The cloud's Graph (binds name resources by their URL in that cloud). */
  readonly graphBaseUrl: string;
  /** The bot's app id: Graph shows it as `from.application.id` on what the bot posted (another app's copy of a card is not ours). */
  readonly botAppId: string;
}

const CREDENTIALS = 'Check MICROSOFT_APP_ID/MICROSOFT_APP_PASSWORD and the tenant id.';
const TEAM_ID = 'Check TEAMS_TEAM_ID: it must be the Microsoft 365 group id of the incidents team.';
const CATALOG = 'Install the incident-room app in the incidents team and check TEAMS_APP_CATALOG_ID (the app id in the org catalog, not the manifest id).';
/** The answer to a 403 names the permission of the operation that failed (adapters/graph/permissions.ts). */
const hints = (operation: GraphOperationName, more: Partial<Record<number, string>> = {}): Partial<Record<number, string>> => ({ 401: CREDENTIALS, 403: permissionHint(operation), ...more });
const MEETING_HINT = `${permissionHint('createMeeting')} Or: ${permissionHint('createEvent')}`;
/** How many pages of channel messages (or replies) a retried post looks through for what an earlier attempt made. */
const MESSAGE_PAGES = 3;

const quote = (value: string) => value.replace(/'/g, "''");

interface PostedMessage {
  readonly id: string;
  readonly from?: { readonly application?: { readonly id?: string } | null } | null;
  readonly attachments?: readonly { readonly content?: string | null }[];
}

/** The cards a message carries, parsed (Graph re-serialises card JSON as a string). */
function cardsOf(message: PostedMessage): unknown[] {
  return (message.attachments ?? []).flatMap((attachment) => {
    if (typeof attachment.content !== 'string') return [];
    try {
      return [JSON.parse(attachment.content) as unknown];
    } catch {
      return [];
    }
  });
}

/** Whether one of the message's cards carries this incident's button with this verb. */
function carriesButton(message: PostedMessage, incidentId: string, verb: string): boolean {
  return cardsOf(message).some((card) => buttons(card).some((b) => b.verb === verb && b.data?.incidentId === incidentId));
}

/** Whether one of the message's cards has an element with this id. */
function carriesElement(message: PostedMessage, id: string): boolean {
  const has = (value: unknown): boolean =>
    Array.isArray(value) ? value.some(has) : Boolean(value && typeof value === 'object' && ((value as { id?: unknown }).id === id || Object.values(value).some(has)));
  return cardsOf(message).some(has);
}

/** Every Action.Execute in a card, wherever it sits. */
function buttons(value: unknown, found: { verb?: unknown; data?: { incidentId?: unknown } }[] = []): typeof found {
  if (Array.isArray(value)) for (const item of value) buttons(item, found);
  else if (value && typeof value === 'object') {
    const element = value as { type?: unknown; verb?: unknown; data?: { incidentId?: unknown } };
    if (element.type === 'Action.Execute') found.push(element);
    for (const child of Object.values(element)) buttons(child, found);
  }
  return found;
}

/** The Workspace port over Microsoft Graph: channels, meetings, tabs, membership. */
export class GraphWorkspace implements Workspace {
  constructor(private readonly graph: Client, private readonly settings: GraphWorkspaceSettings) {}

  private get team() {
    return `/teams/${encodeURIComponent(this.settings.teamId)}`;
  }

  async createChannel(spec: ChannelSpec): Promise<ChannelRef> {
    try {
      const created = await this.graph.api(`${this.team}/channels`).post({ ...spec, membershipType: 'standard' });
      return { id: created.id, name: created.displayName, webUrl: created.webUrl };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 400 && /already exist/i.test((error as Error).message)) {
        throw new NameTakenError(`a channel named "${spec.displayName}" exists or was deleted recently`);
      }
      throw translateHttpError(error, 'creating the incident channel', hints('createChannel', { 404: TEAM_ID }));
    }
  }

  async findChannelByName(displayName: string): Promise<FoundChannel | undefined> {
    try {
      const found = await this.graph
        .api(`${this.team}/channels`)
        .filter(`displayName eq '${quote(displayName)}'`)
        .select(['id', 'displayName', 'description', 'webUrl'])
        .get();
      const channel = (found.value as { id: string; displayName: string; description?: string; webUrl: string }[])[0];
      return channel && { id: channel.id, name: channel.displayName, description: channel.description ?? undefined, webUrl: channel.webUrl };
    } catch (error) {
      throw translateHttpError(error, 'looking up the incident channel', hints('listChannels', { 404: TEAM_ID }));
    }
  }

  async countChannels(): Promise<number> {
    try {
      const found = await this.graph.api(`${this.team}/channels`).select(['id']).get();
      return (found.value as unknown[]).length;
    } catch (error) {
      throw translateHttpError(error, 'counting the incidents team’s channels', hints('listChannels', { 404: TEAM_ID }));
    }
  }

  /**
   * App-only Graph cannot create a channel meeting; the bridge is an online meeting owned by a
   * configured organizer (createOrGet makes it idempotent), or a calendar event with a Teams
   * meeting on that account when no access policy exists (app-only Graph cannot create channel meetings).
   */
  async createMeeting(spec: MeetingSpec): Promise<MeetingRef> {
    const organizer = this.settings.meetingOrganizerId;
    if (!organizer) throw new PermanentError('no meeting organizer is configured', `Set MEETING_ORGANIZER_ID. ${MEETING_HINT}`);
    const user = `/users/${encodeURIComponent(organizer)}`;
    try {
      const meeting = await this.graph.api(`${user}/onlineMeetings/createOrGet`).post({
        externalId: spec.externalId,
        subject: spec.subject,
        startDateTime: spec.startsAt.toISOString(),
        endDateTime: spec.endsAt.toISOString(),
      });
      return { id: meeting.id, joinUrl: meeting.joinWebUrl, via: 'onlineMeeting', chatId: meeting.chatInfo?.threadId };
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 403 && status !== 404) throw translateHttpError(error, 'creating the incident meeting', { 400: MEETING_HINT });
    }
    try {
      const event = await this.graph.api(`${user}/events`).post({
        subject: spec.subject,
        start: { dateTime: spec.startsAt.toISOString(), timeZone: 'UTC' },
        end: { dateTime: spec.endsAt.toISOString(), timeZone: 'UTC' },
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        transactionId: spec.externalId,
      });
      if (!event.onlineMeeting?.joinUrl) throw new PermanentError('the calendar event came back without a Teams meeting link', MEETING_HINT);
      const joinUrl: string = event.onlineMeeting.joinUrl;
      return { id: event.id, joinUrl, via: 'calendarEvent', chatId: await this.meetingChatOf(user, joinUrl) };
    } catch (error) {
      if (error instanceof PermanentError) throw error;
      throw translateHttpError(error, 'creating the incident meeting (calendar fallback)', { 403: MEETING_HINT, 404: MEETING_HINT, 400: MEETING_HINT });
    }
  }

  /**
   * A calendar event's meeting chat: the join link's form is Teams' business (short /meet/ links
   * carry no thread id), so ask Graph for the online meeting behind it. Without the access
   * policy that lookup is refused; the meeting then has no chat for the tab, and the step says why.
   */
  private async meetingChatOf(user: string, joinUrl: string): Promise<string | undefined> {
    try {
      const found = await this.graph.api(`${user}/onlineMeetings`).filter(`JoinWebUrl eq '${quote(joinUrl)}'`).get();
      return (found.value as { chatInfo?: { threadId?: string } }[])[0]?.chatInfo?.threadId;
    } catch {
      return undefined;
    }
  }

  private get catalogApp() {
    return `${this.settings.graphBaseUrl}/v1.0/appCatalogs/teamsApps/${this.settings.appCatalogId}`;
  }

  /** Pins our tab in a channel's or a chat's tab collection (the same shape for both). */
  private async pinTab(tabs: string, spec: Omit<TabSpec, 'channelId'>, what: string, hints: Partial<Record<number, string>>): Promise<TabRef> {
    try {
      const tab = await this.graph.api(tabs).post({
        displayName: spec.displayName,
        'teamsApp@odata.bind': this.catalogApp,
        configuration: { entityId: spec.entityId, contentUrl: spec.contentUrl, websiteUrl: spec.websiteUrl },
      });
      return { id: tab.id, webUrl: tab.webUrl, contentUrl: spec.contentUrl };
    } catch (error) {
      throw translateHttpError(error, what, hints);
    }
  }

  /** Our tab with this entity id in a channel's or a chat's tab collection, if one was pinned. */
  private async tabIn(tabs: string, entityId: string, what: string, hints: Partial<Record<number, string>>): Promise<TabRef | undefined> {
    try {
      const found = await this.graph.api(tabs).get();
      const tab = (found.value as { id: string; webUrl: string; configuration?: { entityId?: string; contentUrl: string } }[]).find((t) => t.configuration?.entityId === entityId);
      return tab && { id: tab.id, webUrl: tab.webUrl, contentUrl: tab.configuration!.contentUrl };
    } catch (error) {
      throw translateHttpError(error, what, hints);
    }
  }

  addTab(spec: TabSpec): Promise<TabRef> {
    return this.pinTab(`${this.team}/channels/${encodeURIComponent(spec.channelId)}/tabs`, spec, 'adding the incident tab', hints('addChannelTab', { 404: CATALOG }));
  }

  private member(aadObjectId: string) {
    return { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: ['owner'], 'user@odata.bind': `${this.settings.graphBaseUrl}/v1.0/users('${aadObjectId}')` };
  }

  /** "Create chat": every participant listed as an owner; v1.0 takes no app in the body, so it is added afterwards. */
  async createGroupChat(spec: GroupChatSpec): Promise<ChatRef> {
    try {
      const chat = await this.graph.api('/chats').post({ chatType: 'group', topic: spec.topic, members: spec.memberAadIds.map((id) => this.member(id)) });
      return { id: chat.id, webUrl: chat.webUrl };
    } catch (error) {
      throw translateHttpError(error, 'creating the private incident chat', hints('createChat'));
    }
  }

  async addChatMember(chatId: string, aadObjectId: string): Promise<void> {
    try {
      await this.graph.api(`/chats/${encodeURIComponent(chatId)}/members`).post(this.member(aadObjectId));
    } catch (error) {
      // In the chat already (an earlier attempt, or a role given to a member): nothing to do.
      if ((error as { statusCode?: number }).statusCode === 409) return;
      throw translateHttpError(error, 'adding a member to the private incident chat', hints('addChatMember'));
    }
  }

  /** Membership ids are opaque ("List members of a chat"): find the person's, then remove it. */
  async removeChatMember(chatId: string, aadObjectId: string): Promise<void> {
    const members = `/chats/${encodeURIComponent(chatId)}/members`;
    let membershipId: string | undefined;
    try {
      const found = await this.graph.api(members).get();
      membershipId = (found.value as { id: string; userId?: string }[]).find((m) => m.userId === aadObjectId)?.id;
    } catch (error) {
      throw translateHttpError(error, 'listing the private incident chat members', hints('listChatMembers'));
    }
    if (!membershipId) return;
    try {
      await this.graph.api(`${members}/${encodeURIComponent(membershipId)}`).delete();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return;
      throw translateHttpError(error, 'removing a member from the private incident chat', hints('removeChatMember'));
    }
  }

  async addMeetingTab(spec: MeetingTabSpec): Promise<TabRef> {
    const chat = `/chats/${encodeURIComponent(spec.chatId)}`;
    await this.installAppInChat(spec.chatId);
    return this.pinTab(`${chat}/tabs`, spec, 'adding the incident tab to the chat', hints('addChatTab', { 404: CATALOG }));
  }

  async installAppInChat(chatId: string): Promise<void> {
    const chat = `/chats/${encodeURIComponent(chatId)}`;
    try {
      // The app declares chat RSC permissions, so adding it to a chat must consent to exactly those.
      await this.graph.api(`${chat}/installedApps`).post({
        'teamsApp@odata.bind': this.catalogApp,
        consentedPermissionSet: { resourceSpecificPermissions: CHAT_RSC.map((permissionValue) => ({ permissionValue, permissionType: 'Application' })) },
      });
    } catch (error) {
      // 409: the app is in the chat already (an earlier attempt, or someone added it).
      if ((error as { statusCode?: number }).statusCode !== 409) throw translateHttpError(error, 'adding the app to the chat', hints('installInChat', { 404: CATALOG }));
    }
  }

  findMeetingTab(chatId: string, entityId: string): Promise<TabRef | undefined> {
    return this.tabIn(`/chats/${encodeURIComponent(chatId)}/tabs`, entityId, 'listing the meeting chat tabs', hints('listChatTabs'));
  }

  async updateChannelDescription(channelId: string, description: string): Promise<void> {
    try {
      await this.graph.api(`${this.team}/channels/${encodeURIComponent(channelId)}`).patch({ description: description.slice(0, 1024) });
    } catch (error) {
      throw translateHttpError(error, 'updating the channel topic', hints('updateChannel'));
    }
  }

  /** Graph answers 202 and archives asynchronously; a channel that is archived already is fine. */
  async archiveChannel(channelId: string): Promise<void> {
    try {
      await this.graph.api(`${this.team}/channels/${encodeURIComponent(channelId)}/archive`).post({ shouldSetSpoSiteReadOnlyForMembers: true });
    } catch (error) {
      if (/already archived/i.test((error as Error).message)) return;
      throw translateHttpError(error, 'archiving the incident channel', hints('archiveChannel', { 404: 'The channel no longer exists.' }));
    }
  }

  async restrictMeeting(meeting: MeetingRef, attendeeIds: readonly string[]): Promise<void> {
    const organizer = this.settings.meetingOrganizerId;
    // A calendar event's meeting (the fallback) is changed through its event, which names people by mailbox: not done here.
    if (!organizer || meeting.via !== 'onlineMeeting') return;
    try {
      await this.graph
        .api(`/users/${encodeURIComponent(organizer)}/onlineMeetings/${encodeURIComponent(meeting.id)}`)
        // `invited` is one of lobbyBypassScope's evolvable values: Graph names those only to a client that says it knows them.
        .header('Prefer', 'include-unknown-enum-members')
        .patch({ participants: { attendees: attendeeIds.map((id) => ({ identity: { user: { id } }, role: 'attendee' })) }, lobbyBypassSettings: { scope: 'invited' } });
    } catch (error) {
      throw translateHttpError(error, 'limiting the private incident’s meeting to its members', hints('restrictMeeting', { 404: 'The meeting no longer exists.' }));
    }
  }

  async fileInChannel(channelId: string, file: FileToFile): Promise<FiledFile> {
    let folder: { id: string; parentReference: { driveId: string } };
    try {
      folder = await this.graph.api(`${this.team}/channels/${encodeURIComponent(channelId)}/filesFolder`).get();
    } catch (error) {
      throw translateHttpError(error, 'finding the channel’s files folder', hints('channelFilesFolder', { 404: 'The channel’s files folder is not ready yet (SharePoint makes it for the channel): publish again in a few minutes.' }));
    }
    try {
      const path = `/drives/${encodeURIComponent(folder.parentReference.driveId)}/items/${encodeURIComponent(folder.id)}:/${encodeURIComponent(file.name)}:/content`;
      const item = (await this.graph.api(path).header('Content-Type', file.contentType).put(Buffer.from(file.content))) as { name: string; webUrl: string };
      return { name: item.name, webUrl: item.webUrl };
    } catch (error) {
      throw translateHttpError(error, 'uploading the file to the channel’s files', hints('uploadFile'));
    }
  }

  async isTeamMember(aadObjectId: string): Promise<boolean> {
    return Boolean(await this.findTeamMember(aadObjectId));
  }

  async teamMembers(): Promise<{ aadObjectId: string; name: string }[]> {
    try {
      // 'List members of team': 999 is the largest page; one page is enough for a picker (anyone else is typed).
      const found = await this.graph.api(`${this.team}/members`).top(999).get();
      return (found.value as { userId?: string; displayName?: string }[]).flatMap((m) => (m.userId ? [{ aadObjectId: m.userId, name: m.displayName || m.userId }] : []));
    } catch (error) {
      throw translateHttpError(error, 'listing the incidents team’s members', hints('listMembers', { 404: TEAM_ID }));
    }
  }

  async findTeamMember(aadObjectId: string): Promise<{ aadObjectId: string; name: string } | undefined> {
    try {
      const found = await this.graph
        .api(`${this.team}/members`)
        .filter(`(microsoft.graph.aadUserConversationMember/userId eq '${quote(aadObjectId)}')`)
        .get();
      const member = (found.value as { userId?: string; displayName?: string }[])[0];
      return member && { aadObjectId: member.userId ?? aadObjectId, name: member.displayName || aadObjectId };
    } catch (error) {
      throw translateHttpError(error, 'checking incidents-team membership', hints('listMembers', { 404: TEAM_ID }));
    }
  }

  async findPostedCard(where: { channelId: string; teamId?: string }, incidentId: string, verb: string): Promise<string | undefined> {
    const found = await this.searchOurMessages(where, undefined, (m) => carriesButton(m, incidentId, verb));
    return found?.id;
  }

  async findMarkedMessage(where: { channelId: string; teamId?: string; replyTo?: string }, marker: string): Promise<boolean> {
    return Boolean(await this.searchOurMessages(where, where.replyTo, (m) => carriesElement(m, marker)));
  }

  /** The newest few pages of root messages (or of replies under `replyTo`): the bot's first that matches. */
  private async searchOurMessages(where: { channelId: string; teamId?: string }, replyTo: string | undefined, matches: (m: PostedMessage) => boolean): Promise<PostedMessage | undefined> {
    const team = `/teams/${encodeURIComponent(where.teamId ?? this.settings.teamId)}`;
    const messages = `${team}/channels/${encodeURIComponent(where.channelId)}/messages`;
    try {
      // Newest first; what a retry looks for is among the latest posts, so a few pages do.
      let page = await this.graph.api(replyTo ? `${messages}/${encodeURIComponent(replyTo)}/replies` : messages).top(50).get();
      for (let pages = 1; ; pages++) {
        const ours = (page.value as PostedMessage[]).find((m) => m.from?.application?.id === this.settings.botAppId && matches(m));
        if (ours) return ours;
        const next = page['@odata.nextLink'] as string | undefined;
        if (!next || pages >= MESSAGE_PAGES) return undefined;
        // The link names Graph's host (or a national cloud's); the client is already pointed at it.
        page = await this.graph.api(next.replace(/^https?:\/\/[^/]+\/v1\.0(?=\/)/, '')).get();
      }
    } catch (error) {
      const what = replyTo ? 'looking for an earlier reply in the thread' : 'looking for an earlier post in the channel';
      throw translateHttpError(error, what, hints(replyTo ? 'listMessageReplies' : 'listChannelMessages', { 404: 'Check BROADCAST_TEAM_ID / TEAMS_TEAM_ID and that the channel exists.' }));
    }
  }

  findTab(channelId: string, entityId: string): Promise<TabRef | undefined> {
    return this.tabIn(`${this.team}/channels/${encodeURIComponent(channelId)}/tabs`, entityId, 'listing the incident channel tabs', hints('listChannelTabs'));
  }
}
