/**
 * What Microsoft Graph keeps of a meeting after it: its transcripts ("List transcripts", "Get
 * callTranscript") and recordings ("List recordings"), by the organizer's online meeting id.
 */

export interface MeetingArtifact {
  readonly id: string;
  /** When Teams made it (a transcript's cue times count from here). */
  readonly createdAt?: Date;
  readonly endedAt?: Date;
  /** Where people open it (a recording's content link); transcripts are fetched, not linked. */
  readonly contentUrl?: string;
}

/** Graph answered: here they are; not there yet (404, or none listed); or refused, with what the admin must set up. */
export type Listing<T> = { readonly found: T } | { readonly notYet: string } | { readonly refused: string };

export interface MeetingRecords {
  transcripts(onlineMeetingId: string): Promise<Listing<readonly MeetingArtifact[]>>;
  /** The transcript's WebVTT text. */
  transcriptContent(onlineMeetingId: string, transcriptId: string): Promise<Listing<string>>;
  recordings(onlineMeetingId: string): Promise<Listing<readonly MeetingArtifact[]>>;
}
