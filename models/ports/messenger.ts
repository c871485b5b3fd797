import type { Incident, MessageRef, Person } from '../incident/incident.js';
import type { StoredPostmortem } from './postmortemStore.js';
import type { Markdown } from '../support/markdown.js';

/**
 * Messages in Teams, sent through the Bot Framework connector. Renders cards from the record.
 * Teams renders the texts as Markdown, so they are Markdown: people's words in them went through md`…`.
 */
export interface Messenger {
  postIncidentCard(incident: Incident): Promise<MessageRef>;
  /** A private incident without a chat: the card in each member's personal chat, or these people's (those that could not be reached left out). */
  postPersonalCards(incident: Incident, people?: readonly Person[]): Promise<MessageRef[]>;
  /** The reference to a root message found in a channel (see Workspace.findPostedCard), to update it later. */
  rootMessage(tenantId: string, channelId: string, activityId: string): Promise<MessageRef>;
  updateIncidentCard(incident: Incident): Promise<void>;
  /** Tells the reporter, where they declared, that the room is ready (updates our "declaring…" reply). */
  notifyReporter(incident: Incident): Promise<void>;
  /** The root message for this incident in the company-wide broadcast channel. */
  postBroadcast(incident: Incident): Promise<MessageRef>;
  updateBroadcast(incident: Incident): Promise<void>;
  /**
   * An update, as a message in the incident channel carrying `marker` (so a retry can find it).
   * Sent once: the outbox worker decides about retries.
   */
  postUpdateInChannel(incident: Incident, text: Markdown, by: Person, marker: string): Promise<void>;
  /** The same update, as a reply under the incident's root message in the broadcast channel; sent once. */
  replyInBroadcast(incident: Incident, text: Markdown, by: Person, marker: string): Promise<void>;
  /** The published post-mortem's summary, as a message in the incident channel. */
  postPostmortem(incident: Incident, postmortem: StoredPostmortem, tabUrl?: string): Promise<void>;
  /** A message in the person's personal chat with the bot (updates for followers). */
  sendPersonal(tenantId: string, person: Person, text: Markdown): Promise<void>;
  /** A plain message in the incident channel (reminders, escalations), @mentioning these people. */
  postNotice(incident: Incident, text: Markdown, mentions?: readonly Person[]): Promise<void>;
}
