import type { ChannelRef, ChatRef, MeetingRef, TabRef } from '../incident/incident.js';

export interface ChannelSpec {
  readonly displayName: string;
  /** Carries a marker so a channel we created before a crash can be recognised and adopted. */
  readonly description: string;
}

export interface FoundChannel extends ChannelRef {
  readonly description?: string;
}

export interface FileToFile {
  readonly name: string;
  readonly content: Uint8Array;
  readonly contentType: string;
}

export interface FiledFile {
  readonly name: string;
  readonly webUrl: string;
}

export interface TabSpec {
  readonly channelId: string;
  readonly displayName: string;
  readonly entityId: string;
  readonly contentUrl: string;
  readonly websiteUrl: string;
}

/** The incident tab in the meeting's chat (Teams shows it in the side panel during the call too). */
export interface MeetingTabSpec extends Omit<TabSpec, 'channelId'> {
  readonly chatId: string;
}

export interface MeetingSpec {
  readonly subject: string;
  /** Idempotency key: creating twice with the same key returns the same meeting. */
  readonly externalId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** A private incident's group chat: its topic, and everyone in it (by Entra object id). */
export interface GroupChatSpec {
  readonly topic: string;
  readonly memberAadIds: readonly string[];
}

/** The incidents team in Teams, reached through Microsoft Graph. */
export interface Workspace {
  /** Throws NameTakenError when the name is used (or was, by a channel deleted < 30 days ago). */
  createChannel(spec: ChannelSpec): Promise<ChannelRef>;
  findChannelByName(displayName: string): Promise<FoundChannel | undefined>;
  /** How many channels the incidents team has now (Graph lists no channels deleted in the last 30 days, though they count). */
  countChannels(): Promise<number>;
  createMeeting(spec: MeetingSpec): Promise<MeetingRef>;
  /** A private incident's meeting: these people (Entra ids) are its attendees, and only invited people skip the lobby. Online meetings only. */
  restrictMeeting(meeting: MeetingRef, attendeeIds: readonly string[]): Promise<void>;
  addTab(spec: TabSpec): Promise<TabRef>;
  findTab(channelId: string, entityId: string): Promise<TabRef | undefined>;
  /**
   * The message id of a card the bot posted as a root message in a channel (of the incidents team unless `teamId`
   * says otherwise) carrying this incident's button with this verb: how a retried post finds
   * the one a crashed attempt may already have made (the connector cannot be asked).
   */
  findPostedCard(where: { readonly channelId: string; readonly teamId?: string }, incidentId: string, verb: string): Promise<string | undefined>;
  /**
   * Whether the bot posted a message carrying `marker` (an update's) in this channel, as a root
   * message or, with `replyTo`, as a reply under that message: how a retried post finds the one
   * an earlier attempt may have made.
   */
  findMarkedMessage(where: { readonly channelId: string; readonly teamId?: string; readonly replyTo?: string }, marker: string): Promise<boolean>;
  /**
   * A group chat with these members (a private incident's room). Throws PermanentError when
   * Teams refuses it (a limit, a missing permission): the incident then falls back to personal chats.
   */
  createGroupChat(spec: GroupChatSpec): Promise<ChatRef>;
  /** Adds a person to a group chat; adding someone already in it is fine. */
  addChatMember(chatId: string, aadObjectId: string): Promise<void>;
  /** Removes a person from a group chat; removing someone not in it is fine. */
  removeChatMember(chatId: string, aadObjectId: string): Promise<void>;
  /** Installs the app in a chat with its consented RSC permissions (the bot may post there only then); already there is fine. */
  installAppInChat(chatId: string): Promise<void>;
  /** Installs the app in a chat (the meeting's, or a private incident's group chat), if needed, and pins the tab there. */
  addMeetingTab(spec: MeetingTabSpec): Promise<TabRef>;
  findMeetingTab(chatId: string, entityId: string): Promise<TabRef | undefined>;
  /** The channel's description carries the topic line (what is wrong, who owns it). */
  updateChannelDescription(channelId: string, description: string): Promise<void>;
  /** Whether this Entra user belongs to the incidents team. */
  isTeamMember(aadObjectId: string): Promise<boolean>;
  /** This Entra user as the incidents team knows them (their name), if they belong to it. */
  findTeamMember(aadObjectId: string): Promise<{ readonly aadObjectId: string; readonly name: string } | undefined>;
  /** The incidents team's members (the first 999, one page), for picking a person in the tab. */
  teamMembers(): Promise<readonly { readonly aadObjectId: string; readonly name: string }[]>;
  /** Archives the channel (read-only, kept for the record). Archiving an archived channel is fine. */
  archiveChannel(channelId: string): Promise<void>;
  /** Puts a file in the channel's folder of the team's document library; the same name again replaces it (so a retry files it once). */
  fileInChannel(channelId: string, file: FileToFile): Promise<FiledFile>;
}
