import { channelName } from './channelName.js';
import { ChannelBudget } from './channelBudget.js';
import { channelDescription, isOurChannel } from '../actions/decisions.js';
import { NameTakenError, PermanentError, TransientError } from '../support/errors.js';
import { incidentLabel, type Incident, type MeetingRef } from '../incident/incident.js';
import { memberIdsOf, membersOf } from '../incident/membership.js';
import { fillText, type TenantProfiles } from '../incident/tenantProfile.js';
import { channelPatternFor } from '../incident/incidentTypes.js';
import type { EventKind } from '../incident/timeline.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { StepFields } from '../ports/provisioningStore.js';
import type { TabSpec, Workspace } from '../ports/workspace.js';

/** What one step made: the fields it adds to the record and its timeline event. */
export interface StepOutcome {
  /** Nothing to do for this incident (e.g. a monitor-declared incident has no reporter chat). */
  readonly skipped?: boolean;
  readonly fields?: StepFields;
  readonly event?: { kind: EventKind; payload: Record<string, unknown> };
}

/** One attempt at a step, from the record as the saga knows it; attempt > 1 means an earlier try may have landed. */
export type StepAction = (incident: Incident, attempt: number) => Promise<StepOutcome>;

export interface WarRoomStepsDeps {
  readonly workspace: Workspace;
  readonly messenger: Messenger;
  readonly clock: Clock;
  readonly log: Logger;
  readonly profiles: TenantProfiles;
  readonly meetingHours: number;
  readonly tabFor: (incident: Incident) => Omit<TabSpec, 'channelId'>;
  readonly broadcastChannel?: { readonly channelId: string; readonly teamId?: string };
}

/**
 * What each step of the war room does in Teams. A retried step first looks for what an earlier
 * attempt may have made (a crash, a lost answer) before making it again.
 */
export class WarRoomSteps {
  private readonly budget: ChannelBudget;

  constructor(private readonly deps: WarRoomStepsDeps) {
    this.budget = new ChannelBudget({ workspace: deps.workspace, clock: deps.clock });
  }

  readonly createChannel: StepAction = async (incident) => {
    if (incident.private) return this.createChat(incident);
    const { workspace, profiles } = this.deps;
    const budget = this.budget.cached() ?? (await this.budget.check());
    if ('full' in budget) throw new PermanentError(`there is no room for another channel: ${budget.full}`, 'Ask a Teams admin for a new incidents team (TEAMS_TEAM_ID), or to delete channels nobody needs (they free their place after 30 days).');
    if (budget.warning) this.deps.log.warn({ incident: incidentLabel(incident), channels: budget.count }, budget.warning);
    const note = budget.warning ? { warning: budget.warning } : {};
    const description = channelDescription(incident);
    const nameInput = { number: incident.number, title: incident.title, severity: incident.severity, declaredAt: incident.milestones.declared };
    for (let attempt = 1; attempt <= 10; attempt++) {
      // The type's own pattern (`sec-{number}`), else the tenant's.
      const displayName = channelName(channelPatternFor(profiles.typeOf(incident), profiles.for(incident.tenantId).channelNamePattern), nameInput, attempt);
      try {
        const channel = await workspace.createChannel({ displayName, description });
        this.budget.created();
        return { fields: { channel }, event: { kind: 'channel_created', payload: { ...channel, ...note } } };
      } catch (error) {
        if (!(error instanceof NameTakenError)) throw error;
        // Ours from an attempt that crashed before we saved it? Adopt it instead of making another.
        const existing = await workspace.findChannelByName(displayName);
        if (existing && isOurChannel(incident, existing.description)) {
          const channel = { id: existing.id, name: existing.name, webUrl: existing.webUrl };
          return { fields: { channel }, event: { kind: 'channel_created', payload: { ...channel, adopted: true, ...note } } };
        }
      }
    }
    throw new PermanentError('every candidate channel name is taken', 'Rename or delete old incident channels, or change channelNamePattern in TENANT_CONFIG_FILE.');
  };

  /**
   * A private incident's room: a group chat with its members, never a channel. When Teams refuses
   * it (a limit, a missing permission) the incident stays private: the card and updates go to each
   * member's personal chat, and the reason is on the timeline and told to the reporter.
   */
  private async createChat(incident: Incident): Promise<StepOutcome> {
    const memberAadIds = [...new Set(membersOf(incident).flatMap((m) => (m.aadObjectId ? [m.aadObjectId] : [])))];
    try {
      const chat = await this.deps.workspace.createGroupChat({ topic: `${incidentLabel(incident)} ${incident.title}`.slice(0, 250), memberAadIds });
      return { fields: { chat }, event: { kind: 'chat_created', payload: { ...chat, members: memberAadIds.length } } };
    } catch (error) {
      if (!(error instanceof PermanentError)) throw error;
      const reason = error.message;
      return { fields: { chatFallback: { reason, at: this.deps.clock.now() } }, event: { kind: 'chat_fallback', payload: { reason, ...(error.hint ? { hint: error.hint } : {}) } } };
    }
  }

  readonly createMeeting: StepAction = async (incident) => {
    const startsAt = incident.milestones.declared;
    const template = this.deps.profiles.for(incident.tenantId).texts.meetingSubject;
    const created = await this.deps.workspace.createMeeting({
      subject: fillText(template, { label: incidentLabel(incident), title: incident.title, severity: incident.severity }),
      externalId: incident.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + this.deps.meetingHours * 3_600_000),
    });
    // A private incident's bridge admits its members; anyone else with the link waits in the lobby. Its link is shown only once that holds.
    const meeting = incident.private ? await this.withOnlineMeeting(created) : created;
    if (incident.private) await this.deps.workspace.restrictMeeting(meeting, memberIdsOf(incident));
    return { fields: { meeting }, event: { kind: 'meeting_created', payload: { ...meeting } } };
  };

  /** The online meeting behind the calendar event (its id and chat); a refusal fails the step with what to set up. */
  private async withOnlineMeeting(meeting: MeetingRef): Promise<MeetingRef> {
    // An older record's standalone online meeting is its own online meeting.
    if (meeting.onlineMeetingId || meeting.via === 'onlineMeeting') return meeting;
    const found = await this.deps.workspace.findOnlineMeeting(meeting.joinUrl);
    if (!found) throw new TransientError('Graph does not list the calendar event’s online meeting yet');
    if ('refused' in found) throw new PermanentError('the online meeting behind the calendar event cannot be looked up', found.refused);
    return { ...meeting, onlineMeetingId: found.onlineMeetingId, ...(found.chatId ? { chatId: found.chatId } : {}) };
  }

  readonly addTab: StepAction = async (incident, attempt) => {
    if (incident.private) return this.addChatTab(incident, attempt);
    const channel = requireChannel(incident);
    const spec = { ...this.deps.tabFor(incident), channelId: channel.id };
    const earlier = attempt > 1 ? await this.deps.workspace.findTab(channel.id, spec.entityId) : undefined;
    const tab = earlier ?? (await this.deps.workspace.addTab(spec));
    return { fields: { tab }, event: { kind: 'tab_added', payload: { ...tab } } };
  };

  /** The tab pinned in a private incident's group chat (which installs the app there first); none in personal chats. */
  private async addChatTab(incident: Incident, attempt: number): Promise<StepOutcome> {
    const chatId = incident.chat?.id;
    if (!chatId) return { skipped: true };
    const spec = { ...this.deps.tabFor(incident), chatId };
    const earlier = attempt > 1 ? await this.deps.workspace.findMeetingTab(chatId, spec.entityId) : undefined;
    const tab = earlier ?? (await this.deps.workspace.addMeetingTab(spec));
    return { fields: { tab }, event: { kind: 'tab_added', payload: { ...tab, chatId } } };
  }

  /**
   * The bridge carries the incident tab, so people on the call see the timeline and checklist.
   * Off the card's path: first the online meeting behind the calendar event (its chat, and the id
   * its transcript is fetched by), then the app and the tab in that chat.
   */
  readonly addMeetingTab: StepAction = async (incident, attempt) => {
    if (!incident.meeting) return { skipped: true };
    const meeting = await this.withOnlineMeeting(incident.meeting);
    const chatId = meeting.chatId;
    const resolved = meeting === incident.meeting ? {} : { meeting };
    if (!chatId) return 'meeting' in resolved ? { fields: resolved } : { skipped: true };
    const spec = { ...this.deps.tabFor(incident), chatId };
    const earlier = attempt > 1 ? await this.deps.workspace.findMeetingTab(chatId, spec.entityId) : undefined;
    const meetingTab = earlier ?? (await this.deps.workspace.addMeetingTab(spec));
    return { fields: { ...resolved, meetingTab }, event: { kind: 'meeting_tab_added', payload: { ...meetingTab, chatId } } };
  };

  /**
   * A retry (attempt > 1) may follow an attempt whose post landed but whose answer was lost
   * (a crash, a dropped connection): look for that card before posting another.
   */
  readonly postCard: StepAction = async (incident, attempt) => {
    if (incident.private) return this.postPrivateCard(incident);
    const channel = requireChannel(incident);
    const earlier = attempt > 1 ? await this.findEarlier(incident, { channelId: channel.id }, 'refresh') : undefined;
    const card = earlier ?? (await this.deps.messenger.postIncidentCard(incident));
    return { fields: { card }, event: { kind: 'card_posted', payload: { ...card, ...(earlier ? { adopted: true } : {}) } } };
  };

  /**
   * In the group chat (the bot may post there once its app is installed), or to each member's
   * personal chat when there is none. Graph lists no chat messages to us, so a retry cannot find
   * an earlier post: a crash right after posting may post it twice.
   */
  private async postPrivateCard(incident: Incident): Promise<StepOutcome> {
    if (!incident.chat && !incident.chatFallback) throw new PermanentError('the private chat does not exist', incident.provisioning.steps.channel.hint);
    if (!incident.chat) {
      const [card, ...personalCards] = await this.deps.messenger.postPersonalCards(incident);
      return { fields: { card, personalCards }, event: { kind: 'card_posted', payload: { ...card, personal: personalCards.length + 1, members: membersOf(incident).length } } };
    }
    await this.deps.workspace.installAppInChat(incident.chat.id);
    const card = await this.deps.messenger.postIncidentCard(incident);
    return { fields: { card }, event: { kind: 'card_posted', payload: { ...card } } };
  }

  /** Never for a private incident: nothing about it leaves its members. */
  readonly postBroadcast: StepAction = async (incident, attempt) => {
    const where = this.deps.broadcastChannel;
    // A type broadcast to nobody (internal tooling), or a private incident whose type has no redacted line, posts nothing there.
    if (!where || this.deps.profiles.broadcastOf(incident) === 'none') return { skipped: true };
    // A private incident's redacted line names no channel (it has none): only a public one needs it.
    if (!incident.private) requireChannel(incident);
    const earlier = attempt > 1 ? await this.findEarlier(incident, where, 'follow') : undefined;
    const broadcast = earlier ?? (await this.deps.messenger.postBroadcast(incident));
    return { fields: { broadcast }, event: { kind: 'broadcast_posted', payload: { ...broadcast, ...(earlier ? { adopted: true } : {}) } } };
  };

  readonly notifyReporter: StepAction = async (incident) => {
    if (!incident.source.replyTo) return { skipped: true };
    await this.deps.messenger.notifyReporter(incident);
    return { event: { kind: 'reporter_notified', payload: { conversationId: incident.source.replyTo.conversationId } } };
  };

  /** The card went out before the meeting and tab existed; now show their links (or failures). */
  readonly refreshCard: StepAction = async (incident) => {
    if (!incident.card) return { skipped: true };
    await this.deps.messenger.updateIncidentCard(incident);
    return {};
  };

  private async findEarlier(incident: Incident, where: { channelId: string; teamId?: string }, verb: string) {
    const activityId = await this.deps.workspace.findPostedCard(where, incident.id, verb);
    return activityId ? this.deps.messenger.rootMessage(incident.tenantId, where.channelId, activityId) : undefined;
  }
}

function requireChannel(incident: Incident) {
  if (incident.channel) return incident.channel;
  const failed = incident.provisioning.steps.channel;
  throw new PermanentError(`the incident channel does not exist${failed.error ? ` (${failed.error})` : ''}`, failed.hint);
}
