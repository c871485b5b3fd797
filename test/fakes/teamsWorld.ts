/** What the local "Teams" knows: the incidents team, its channels, tabs, meetings and messages. */
export interface FakeChannel {
  id: string;
  displayName: string;
  description?: string;
  membershipType: string;
  webUrl: string;
  createdDateTime: string;
  deleted: boolean;
  tabs: FakeTab[];
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
}

export interface FakeActivity {
  id: string;
  conversationId: string;
  /** The root message this one replies to, in a channel thread. */
  replyToId?: string;
  type: string;
  text?: string;
  attachments?: { contentType: string; content: unknown }[];
  from?: { id: string; name?: string };
  createdAt: string;
  updatedAt?: string;
  version: number;
}

import { SAMPLE_PEOPLE, type FakePerson } from './people.js';

import { LOCAL_BROADCAST_CHANNEL_ID as LOCAL_BROADCAST_CHANNEL } from '../../config.js';

export class TeamsWorld {
  /** Members of the incidents team. */
  readonly people: FakePerson[] = [...SAMPLE_PEOPLE];
  readonly channels = new Map<string, FakeChannel>();
  readonly meetings = new Map<string, FakeMeeting>();
  readonly activities: FakeActivity[] = [];
  private counter = 0;
  /** Set once the connector stand-in listens: web URLs for channels and meetings point at its pages. */
  viewBaseUrl = '';

  constructor(
    readonly teamId: string,
    /** Apps installed in the team (catalog ids); tabs can only be added for these. */
    readonly installedApps: Set<string>,
    /** Accounts with a Teams application access policy: only they can own app-created meetings. */
    readonly meetingOrganizers: Set<string>,
  ) {
    this.createChannel({ displayName: 'General', membershipType: 'standard' });
    this.createChannel({ displayName: 'production-issues', description: 'Company-wide broadcast of production incidents', membershipType: 'standard' }, LOCAL_BROADCAST_CHANNEL);
  }

  person(idOrAad: string): FakePerson | undefined {
    return this.people.find((p) => p.id === idOrAad || p.aadObjectId === idOrAad);
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
