import type { Actor, TimelineEvent } from '../incident/timeline.js';
import type { ChatEntry, ChatEntryCursor } from '../record/chatEntries.js';

/** Key messages are timeline events; what a second "Add to timeline" needs of the one already there. */
export interface KeyMessageStore {
  findEvent(incidentId: string, eventId: string): Promise<TimelineEvent | undefined>;
  /** The note ("why this matters") on a key message, given or replaced later, with who wrote it and when. */
  setKeyMessageNote(incidentId: string, eventId: string, note: { readonly text: string; readonly by: Actor; readonly at: Date }): Promise<void>;
}

/** What a Teams event changes of a chat entry: a new message, an edit, a delete or an undelete. */
export type ChatEntryChange =
  | { readonly kind: 'posted'; readonly entry: ChatEntry }
  | { readonly kind: 'edited'; readonly id: string; readonly text: string; readonly at: Date }
  | { readonly kind: 'deleted'; readonly id: string; readonly at: Date }
  | { readonly kind: 'undeleted'; readonly id: string; readonly text: string; readonly at: Date };

/**
 * The incident channel's conversation (`chat_entries`): one mutable document per Teams message,
 * its id derived from the message's, so a redelivered message or edit changes nothing twice.
 */
export interface ChatEntryStore {
  /** Returns false when nothing changed (a redelivery, or an edit of a message never recorded). */
  applyChatChange(change: ChatEntryChange): Promise<boolean>;
  /** One page by the time the message was written (then id), either way. */
  pageChatEntries(incidentId: string, query: { readonly order: 'asc' | 'desc'; readonly after?: ChatEntryCursor; readonly limit: number }): Promise<ChatEntry[]>;
  countChatEntries(incidentId: string): Promise<number>;
  /**
   * Entries whose text or author contains `needle` (case-insensitive; matched as typed, never as a
   * pattern), oldest first, at most `limit`. Deleted entries never match.
   */
  searchChatEntries(incidentId: string, needle: string, limit: number): Promise<ChatEntry[]>;
  /** Every entry, oldest first, a batch at a time (exports). */
  streamChatEntries(incidentId: string): AsyncIterable<ChatEntry>;
}
