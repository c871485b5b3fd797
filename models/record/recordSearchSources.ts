import type { TimelineMatcher } from '../ports/timelineStore.js';
import { RecordSearch } from './recordSearch.js';
import { timelineSearchSource } from './timelineSearch.js';
import type { ChatEntryStore } from '../ports/recordStore.js';
import { chatSearchSource } from './chatSearch.js';

/** The parts of the record the tab's search looks in, each from the store that keeps it. */
export function recordSearch(stores: { readonly timelineMatch: TimelineMatcher; readonly record?: Pick<ChatEntryStore, 'searchChatEntries'> }): RecordSearch {
  return new RecordSearch([timelineSearchSource(stores.timelineMatch), ...(stores.record ? [chatSearchSource(stores.record)] : [])]);
}
