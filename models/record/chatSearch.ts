/**
 * The channel conversation's part of a record search: the chat entries whose words (or author)
 * hold the phrase, from the chat entry store's escaped, case-insensitive match on `searchText`.
 * A deleted message is never found; an edited one is found by its current words.
 */
import type { ChatEntryStore } from '../ports/recordStore.js';
import type { SearchSource } from './recordSearch.js';

export function chatSearchSource(store: Pick<ChatEntryStore, 'searchChatEntries'>): SearchSource {
  return {
    covers: ['chat'],
    async search(incidentId, needle, limit) {
      const entries = await store.searchChatEntries(incidentId, needle.phrase, limit);
      return entries.map((entry) => ({ source: 'chat' as const, at: new Date(entry.at), who: entry.author.name, text: `${entry.text}${entry.editedAt ? ' (edited)' : ''}`, link: entry.link, ref: entry.id }));
    },
  };
}
