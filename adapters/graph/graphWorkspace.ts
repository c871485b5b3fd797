import type { Client } from '@microsoft/microsoft-graph-client';
import { NameTakenError, PermanentError } from '../../models/support/errors.js';
import type { ChannelRef, MeetingRef, TabRef } from '../../models/incident/incident.js';
import type { ChannelSpec, FoundChannel, MeetingSpec, MeetingTabSpec, TabSpec, Workspace } from '../../models/ports/workspace.js';
import { translateHttpError } from '../httpErrors.js';

export interface GraphWorkspaceSettings {
  readonly teamId: string;
  readonly appCatalogId: string;
  readonly meetingOrganizerId?: string;
}

const CHANNEL_HINTS = {
  401: 'Check MICROSOFT_APP_ID/MICROSOFT_APP_PASSWORD and the tenant id.',
  403: 'Grant the app the Graph application permission Channel.Create (or the RSC permission Channel.Create.Group by installing the app in the incidents team).',
  404: 'Check TEAMS_TEAM_ID: it must be the Microsoft 365 group id of the incidents team.',
};
const TAB_HINTS = {
  403: 'Grant TeamsTab.Create (or RSC TeamsTab.Create.Group).',
  404: 'Install the incident-room app in the incidents team and check TEAMS_APP_CATALOG_ID (the app id in the org catalog, not the manifest id).',
};
const MEETING_TAB_HINTS = {
  403: 'Grant TeamsAppInstallation.ReadWriteSelfForChat.All and TeamsTab.Create (application), so the app can join the meeting chat and pin its tab.',
  404: 'Check TEAMS_APP_CATALOG_ID (the app id in the org catalog) and that the meeting chat exists.',
};
const MESSAGES_HINTS = {
  403: 'Install the app in that team (its RSC ChannelMessage.Read.Group lets it read the channel) or grant ChannelMessage.Read.All, so a retried post can find the card an earlier attempt made.',
  404: 'Check BROADCAST_TEAM_ID / TEAMS_TEAM_ID and that the channel exists.',
};
const MEETING_HINT =
  'Give the organizer account (MEETING_ORGANIZER_ID) a Teams application access policy for this app and grant OnlineMeetings.ReadWrite.All, or grant Calendars.ReadWrite so we can fall back to a calendar event with a Teams meeting.';

const quote = (value: string) => value.replace(/'/g, "''");

/** A Teams join link carries the meeting chat's thread id: /l/meetup-join/19%3ameeting_…%40thread.v2/… */
export function meetingChatFromJoinUrl(joinUrl: string | undefined): string | undefined {
  const encoded = joinUrl && /\/meetup-join\/([^/?#]+)/.exec(joinUrl)?.[1];
  if (!encoded) return undefined;
  try {
    const thread = decodeURIComponent(encoded);
    return /^19:meeting_[^@\s]+@thread\.v2$/.test(thread) ? thread : undefined;
  } catch {
    return undefined;
  }
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
      throw translateHttpError(error, 'creating the incident channel', CHANNEL_HINTS);
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
      throw translateHttpError(error, 'looking up the incident channel', CHANNEL_HINTS);
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
      return { id: meeting.id, joinUrl: meeting.joinWebUrl, via: 'onlineMeeting', chatId: meeting.chatInfo?.threadId ?? meetingChatFromJoinUrl(meeting.joinWebUrl) };
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
      return { id: event.id, joinUrl: event.onlineMeeting.joinUrl, via: 'calendarEvent', chatId: meetingChatFromJoinUrl(event.onlineMeeting.joinUrl) };
    } catch (error) {
      if (error instanceof PermanentError) throw error;
      throw translateHttpError(error, 'creating the incident meeting (calendar fallback)', { 403: MEETING_HINT, 404: MEETING_HINT, 400: MEETING_HINT });
    }
  }

  private get catalogApp() {
    return `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${this.settings.appCatalogId}`;
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
    return this.pinTab(`${this.team}/channels/${encodeURIComponent(spec.channelId)}/tabs`, spec, 'adding the incident tab', TAB_HINTS);
  }

  async addMeetingTab(spec: MeetingTabSpec): Promise<TabRef> {
    const chat = `/chats/${encodeURIComponent(spec.chatId)}`;
    try {
      await this.graph.api(`${chat}/installedApps`).post({ 'teamsApp@odata.bind': this.catalogApp });
    } catch (error) {
      // 409: the app is in the chat already (an earlier attempt, or someone added it).
      if ((error as { statusCode?: number }).statusCode !== 409) throw translateHttpError(error, 'adding the app to the meeting chat', MEETING_TAB_HINTS);
    }
    return this.pinTab(`${chat}/tabs`, spec, 'adding the incident tab to the meeting', MEETING_TAB_HINTS);
  }

  findMeetingTab(chatId: string, entityId: string): Promise<TabRef | undefined> {
    return this.tabIn(`/chats/${encodeURIComponent(chatId)}/tabs`, entityId, 'listing the meeting chat tabs', MEETING_TAB_HINTS);
  }

  async updateChannelDescription(channelId: string, description: string): Promise<void> {
    try {
      await this.graph.api(`${this.team}/channels/${encodeURIComponent(channelId)}`).patch({ description: description.slice(0, 1024) });
    } catch (error) {
      throw translateHttpError(error, 'updating the channel topic', { 403: 'Grant ChannelSettings.ReadWrite.All (or RSC ChannelSettings.ReadWrite.Group).' });
    }
  }

  /** Graph answers 202 and archives asynchronously; a channel that is archived already is fine. */
  async archiveChannel(channelId: string): Promise<void> {
    try {
      await this.graph.api(`${this.team}/channels/${encodeURIComponent(channelId)}/archive`).post({ shouldSetSpoSiteReadOnlyForMembers: true });
    } catch (error) {
      if (/already archived/i.test((error as Error).message)) return;
      throw translateHttpError(error, 'archiving the incident channel', { 403: 'Grant ChannelSettings.ReadWrite.All (or RSC ChannelSettings.ReadWrite.Group).', 404: 'The channel no longer exists.' });
    }
  }

  async isTeamMember(aadObjectId: string): Promise<boolean> {
    try {
      const found = await this.graph
        .api(`${this.team}/members`)
        .filter(`(microsoft.graph.aadUserConversationMember/userId eq '${quote(aadObjectId)}')`)
        .get();
      return (found.value as unknown[]).length > 0;
    } catch (error) {
      throw translateHttpError(error, 'checking incidents-team membership', { 403: 'Grant TeamMember.Read.All (or RSC TeamMember.Read.Group).' });
    }
  }

  async findPostedCard(where: { channelId: string; teamId?: string }, incidentId: string, verb: string): Promise<string | undefined> {
    const team = `/teams/${encodeURIComponent(where.teamId ?? this.settings.teamId)}`;
    try {
      // Newest first; a fresh incident's cards are among the latest root posts.
      const found = await this.graph.api(`${team}/channels/${encodeURIComponent(where.channelId)}/messages`).top(50).get();
      const ours = (found.value as { id: string; from?: { application?: { id?: string } }; attachments?: { content?: string | null }[] }[]).find(
        (m) => m.from?.application && m.attachments?.some((a) => typeof a.content === 'string' && a.content.includes(`"incidentId":"${incidentId}"`) && a.content.includes(`"verb":"${verb}"`)),
      );
      return ours?.id;
    } catch (error) {
      throw translateHttpError(error, 'looking for an earlier post in the channel', MESSAGES_HINTS);
    }
  }

  findTab(channelId: string, entityId: string): Promise<TabRef | undefined> {
    return this.tabIn(`${this.team}/channels/${encodeURIComponent(channelId)}/tabs`, entityId, 'listing the incident channel tabs', TAB_HINTS);
  }
}
