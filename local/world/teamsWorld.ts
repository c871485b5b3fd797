/** What the local "Teams" knows: the incidents team, its channels, tabs, meetings and messages. */
export interface FakeChannel {
  id: string;
  displayName: string;
  description?: string;
  membershipType: string;
  webUrl: string;
  createdDateTime: string;
  deleted: boolean;
  /** Archived channels are read-only: the connector stand-in refuses posts into them. */
  archived?: boolean;
  tabs: FakeTab[];
}

export interface FakeFile {
  id: string;
  folderId: string;
  name: string;
  content: Buffer;
  contentType: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  webUrl: string;
}

export interface FakeTab {
  id: string;
  displayName: string;
  teamsAppId: string;
  configuration: { entityId?: string; contentUrl: string; websiteUrl?: string; removeUrl?: string };
  webUrl: string;
}

export interface FakeMeeting {
  id: string;
  organizerId: string;
  subject: string;
  externalId?: string;
  joinWebUrl: string;
  startDateTime: string;
  endDateTime: string;
  via: 'onlineMeeting' | 'calendarEvent';
  joined: string[];
  /** Invited people: a calendar event's by e-mail address, an online meeting's by Entra id; and an event's body (HTML). */
  attendees?: string[];
  body?: string;
  /** Who an online meeting lets in without the lobby (lobbyBypassSettings.scope). */
  lobbyScope?: string;
  /** The organizer's onlineMeeting id (a calendar event's differs from the event id). */
  onlineMeetingId?: string;
  /** When people were last on it: the first join starts it, "end the meeting" ends it. */
  startedAt?: string;
  endedAt?: string;
  /** Whether Teams transcribes and records it (the meeting options; on in local Teams). */
  transcribed?: boolean;
  /** What Teams made of each session, ready some time after it ended (bridgeRecords.ts). */
  transcripts?: FakeMeetingRecord[];
  recordings?: FakeMeetingRecord[];
}

/** A transcript (its WebVTT) or a recording, as Graph lists them once `ready`. */
export interface FakeMeetingRecord {
  id: string;
  createdDateTime: string;
  endDateTime: string;
  ready: boolean;
  vtt?: string;
}

/** Something in a person's calendar, as free/busy shows it. */
export interface FakeBusy {
  start: Date;
  end: Date;
  status: 'tentative' | 'busy' | 'oof' | 'workingElsewhere';
}

/** A chat member as Graph lists it (aadUserConversationMember). */
export interface FakeChatMember {
  id: string;
  userId: string;
  displayName: string;
  roles: string[];
}

/**
 * A chat: a meeting's (apps installed in it and the tabs pinned there, shown in the side panel
 * too) or a group chat an app created with its members.
 */
export interface FakeChat {
  id: string;
  chatType?: 'meeting' | 'group';
  meetingId?: string;
  topic?: string;
  members?: FakeChatMember[];
  installedApps: Set<string>;
  tabs: FakeTab[];
}

export interface FakeActivity {
  id: string;
  conversationId: string;
  /** The root message this one replies to, in a channel thread. */
  replyToId?: string;
  type: string;
  text?: string;
  attachments?: { contentType: string; content: unknown }[];
  /** Mentions (<at>Name</at> in the text), which notify the people named. */
  entities?: { type: string; text?: string; mentioned?: { id: string; name: string } }[];
  from?: { id: string; name?: string };
  /** Posted by the bot through the connector (Graph shows such messages as from an application). */
  byBot?: boolean;
  /** Posted by another app (its app id), not incident-room. */
  byApp?: string;
  createdAt: string;
  updatedAt?: string;
  /** Soft-deleted by its author: Teams shows "This message has been deleted" (and may restore it). */
  deletedAt?: string;
  version: number;
}

import type { MeetingEventRoute } from './meetingEvents.js';
import { SAMPLE_PEOPLE, type FakePerson } from './people.js';

import { LOCAL } from '../defaults.js';

export interface FakeNotification {
  readonly userId: string;
  readonly activityType: string;
  readonly topic: { source: string; value: string; webUrl?: string };
  readonly previewText: string;
  /** The template filled in, as Teams shows it. */
  readonly shown: string;
  readonly at: string;
}

export class TeamsWorld {
  /** Members of the incidents team. */
  readonly people: FakePerson[];
  readonly channels = new Map<string, FakeChannel>();
  readonly meetings = new Map<string, FakeMeeting>();
  readonly chats = new Map<string, FakeChat>();
  /** What people's calendars hold besides the events the app created, by lower-case e-mail address. */
  readonly calendars = new Map<string, FakeBusy[]>();
  /** Files in the incidents team's document library, by `<folder id>/<lower-case name>` (graphFileRoutes.ts). */
  readonly files = new Map<string, FakeFile>();
  readonly activities: FakeActivity[] = [];
  /** Activity-feed notifications Graph accepted, newest last. */
  readonly notifications: FakeNotification[] = [];
  /** People whose activity feed the tenant does not let this app reach (Graph answers 403). */
  readonly feedBlocked = new Set<string>();
  /** Entra groups (id → members' object ids, and nested group ids) for the access policy's named groups. */
  readonly groups = new Map<string, { members: Set<string>; groups: Set<string> }>();
  /** People (Entra ids) who have not installed the app for themselves: no personal chat with the bot. */
  readonly personalAppMissing = new Set<string>();
  private counter = 0;
  /** Set once the connector stand-in listens: web URLs for channels and meetings point at its pages. */
  viewBaseUrl = '';
  /** The bot's app id, as Graph shows it on the messages it posted. */
  botAppId = '00000000-0000-0000-0000-000000000001';
  /** The bot registration's meeting event subscriptions (Developer Portal): on, as the setup steps say. */
  meetingEventSubscriptions = true;
  /** Where meeting events go: set once the app listens. */
  meetingEventRoute?: MeetingEventRoute;
  /** How long after a meeting ends its transcript and recording appear in Graph (Teams takes minutes; local Teams, seconds). */
  recordsDelayMs = 20_000;

  constructor(
    readonly teamId: string,
    /** Apps installed in the team (catalog ids); tabs can only be added for these. */
    readonly installedApps: Set<string>,
    /** Accounts with a Teams application access policy: only they can own app-created meetings. */
    readonly meetingOrganizers: Set<string>,
    people: readonly FakePerson[] = SAMPLE_PEOPLE,
  ) {
    this.people = [...people];
    this.createChannel({ displayName: 'General', membershipType: 'standard' }, '19:general@thread.tacv2');
    this.createChannel({ displayName: 'production-issues', description: 'Company-wide broadcast of production incidents', membershipType: 'standard' }, LOCAL.broadcastChannelId);
  }

  person(idOrAad: string): FakePerson | undefined {
    return this.people.find((p) => p.id === idOrAad || p.aadObjectId === idOrAad);
  }

  /** Teams gives every online meeting a chat thread. */
  meetingChat(meetingId: string): FakeChat {
    const id = `19:meeting_${meetingId}@thread.v2`;
    let chat = this.chats.get(id);
    if (!chat) this.chats.set(id, (chat = { id, chatType: 'meeting', meetingId, installedApps: new Set(), tabs: [] }));
    return chat;
  }

  /** A group chat made through Graph (POST /chats): its id has the group chat thread form. */
  createGroupChat(topic: string | undefined, members: FakeChatMember[]): FakeChat {
    const id = `19:${this.nextId()}@thread.v2`;
    const chat: FakeChat = { id, chatType: 'group', topic, members, installedApps: new Set(), tabs: [] };
    this.chats.set(id, chat);
    return chat;
  }

  /** The personal chat between the bot and this person (Teams ids look like a:1…). */
  static personalChatOf(aadObjectId: string): string {
    return `a:personal-${aadObjectId}`;
  }

  /**
   * The one 1:1 conversation between the bot and this person. Teams keeps a single personal chat
   * per bot and person: creating it again answers the same id, and it is the conversation the
   * person's own messages to the bot arrive in, whoever wrote first. The id is derived from the
   * person's Entra id (local Teams has one bot), so it is the same after a restart.
   */
  personalChatWith(person: FakePerson): string {
    return TeamsWorld.personalChatOf(person.aadObjectId);
  }

  nextId(): string {
    this.counter += 1;
    return `${Date.now()}${String(this.counter).padStart(4, '0')}`;
  }

  createChannel(fields: { displayName: string; description?: string; membershipType: string }, fixedId?: string): FakeChannel {
    const id = fixedId ?? `19:${this.nextId()}@thread.tacv2`;
    const channel: FakeChannel = {
      id,
      ...fields,
      webUrl: `${this.viewBaseUrl}/view/channels/${encodeURIComponent(id)}`,
      createdDateTime: new Date().toISOString(),
      deleted: false,
      tabs: [],
    };
    this.channels.set(id, channel);
    return channel;
  }

  /**
   * A person posts, the way the Teams service stores a message before handing it to the bot: a
   * new post in a channel starts a thread (its conversation id carries ";messageid="); a reply
   * joins one; a chat message just lands in the chat.
   */
  postAsUser(conversationId: string, from: FakePerson, text: string, replyToId?: string): FakeActivity {
    const id = this.nextId();
    const inChannel = conversationId.endsWith('@thread.tacv2');
    const activity: FakeActivity = {
      id,
      conversationId: inChannel && !replyToId ? `${conversationId};messageid=${id}` : replyToId ? `${TeamsWorld.channelOf(conversationId)};messageid=${replyToId}` : conversationId,
      replyToId,
      type: 'message',
      text,
      from: { id: from.id, name: from.name },
      createdAt: new Date().toISOString(),
      version: 1,
    };
    this.activities.push(activity);
    return activity;
  }

  /**
   * A person edits or deletes their own message, as Teams lets them (never someone else's, never
   * the bot's): the stored message changes; undefined when it is not theirs to change.
   */
  changeAsUser(activityId: string, from: FakePerson, change: { readonly text: string } | 'delete'): FakeActivity | undefined {
    const activity = this.activities.find((a) => a.id === activityId);
    if (!activity || activity.byBot || activity.byApp || activity.from?.id !== from.id || activity.deletedAt) return undefined;
    const now = new Date().toISOString();
    if (change === 'delete') activity.deletedAt = now;
    else {
      activity.text = change.text;
      activity.updatedAt = now;
    }
    activity.version += 1;
    return activity;
  }

  /** Someone opened the meeting's join link; true when they were not on the bridge yet. */
  join(meetingId: string, person: FakePerson): boolean {
    const meeting = this.meetings.get(meetingId);
    if (!meeting || meeting.joined.includes(person.name)) return false;
    meeting.joined.push(person.name);
    return true;
  }

  /** The organizer's onlineMeeting by its id (what Graph's /onlineMeetings/{id} names). */
  onlineMeeting(onlineMeetingId: string): FakeMeeting | undefined {
    return [...this.meetings.values()].find((m) => (m.onlineMeetingId ?? m.id) === onlineMeetingId);
  }

  /** Changes whenever anything a Teams client would show changes (cheap polling for the sandbox). */
  fingerprint(): string {
    let versions = 0;
    for (const a of this.activities) versions += a.version;
    let tabs = 0;
    for (const c of this.channels.values()) tabs += c.tabs.length + (c.deleted ? 1000 : 0) + (c.description?.length ?? 0);
    let joined = 0;
    for (const m of this.meetings.values()) joined += m.joined.length;
    return `${this.activities.length}.${versions}.${this.channels.size}.${tabs}.${this.meetings.size}.${joined}`;
  }

  liveChannels(): FakeChannel[] {
    return [...this.channels.values()].filter((c) => !c.deleted);
  }

  channelNamed(name: string): FakeChannel | undefined {
    return this.liveChannels().find((c) => c.displayName === name);
  }

  /** The root conversation id of a channel (a thread's id carries ";messageid=…"). */
  static channelOf(conversationId: string): string {
    return conversationId.split(';')[0]!;
  }

  activitiesIn(channelId: string): FakeActivity[] {
    return this.activities.filter((a) => TeamsWorld.channelOf(a.conversationId) === channelId);
  }

  /** Cards the bot posted, newest version of each, in posting order. */
  cardsIn(channelId: string): { activity: FakeActivity; card: Record<string, unknown> }[] {
    return this.activitiesIn(channelId).flatMap((activity) =>
      (activity.attachments ?? [])
        .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
        .map((a) => ({ activity, card: a.content as Record<string, unknown> })),
    );
  }
}
