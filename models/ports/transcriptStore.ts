/** The bridge's transcripts, stored apart from the incident (a two-hour call is ~20,000 lines). */

/** One spoken line, at its absolute time (the meeting's start plus the cue's offset). */
export interface TranscriptLine {
  readonly at: Date;
  readonly speaker?: string;
  readonly text: string;
  readonly transcriptId: string;
}

export interface TranscriptStore {
  /** Stores a transcript's lines, in time order; storing the same transcript again changes nothing. Returns how many lines it holds. */
  saveTranscript(incidentId: string, transcriptId: string, lines: readonly Omit<TranscriptLine, 'transcriptId'>[]): Promise<number>;
  /** Lines in time order, from `from` (inclusive) on, at most `limit`. */
  pageTranscript(incidentId: string, page: { readonly from?: Date; readonly limit: number }): Promise<TranscriptLine[]>;
  /** Lines whose text or speaker contains `needle` (any case), in time order, at most `limit`. */
  searchTranscript(incidentId: string, needle: string, limit: number): Promise<TranscriptLine[]>;
}
