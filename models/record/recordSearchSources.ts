import type { TimelineMatcher } from '../ports/timelineStore.js';
import { RecordSearch } from './recordSearch.js';
import { timelineSearchSource } from './timelineSearch.js';

/** The parts of the record the tab's search looks in, each from the store that keeps it. */
export function recordSearch(stores: { readonly timelineMatch: TimelineMatcher }): RecordSearch {
  return new RecordSearch([timelineSearchSource(stores.timelineMatch)]);
}
