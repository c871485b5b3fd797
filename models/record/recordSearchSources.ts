import type { TimelineMatcher } from '../ports/timelineStore.js';
import type { TranscriptStore } from '../ports/transcriptStore.js';
import { RecordSearch, type SearchSource } from './recordSearch.js';
import { timelineSearchSource } from './timelineSearch.js';
import type { ChatEntryStore } from '../ports/recordStore.js';
import { chatSearchSource } from './chatSearch.js';

/** The bridge's transcript: each line a hit, said by its speaker at its time. */
function transcriptSearchSource(transcripts: Pick<TranscriptStore, 'searchTranscript'>): SearchSource {
  return {
    covers: ['transcript'],
    async search(incidentId, needle, limit) {
      const lines = await transcripts.searchTranscript(incidentId, needle.phrase, limit);
      return lines.map((line) => ({ source: 'transcript' as const, at: line.at, who: line.speaker ?? 'Unknown speaker', text: line.text, ref: `${line.transcriptId}@${line.at.toISOString()}` }));
    },
  };
}

/** The parts of the record the tab's search looks in, each from the store that keeps it. */
export function recordSearch(stores: {
  readonly timelineMatch: TimelineMatcher;
  readonly record?: Pick<ChatEntryStore, 'searchChatEntries'>;
  readonly transcripts?: Pick<TranscriptStore, 'searchTranscript'>;
}): RecordSearch {
  return new RecordSearch([
    timelineSearchSource(stores.timelineMatch),
    ...(stores.record ? [chatSearchSource(stores.record)] : []),
    ...(stores.transcripts ? [transcriptSearchSource(stores.transcripts)] : []),
  ]);
}
