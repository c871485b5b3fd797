import type { EventKind, TimelineEvent } from '../incident/timeline.js';

/** Recording timeline events (append-only, idempotent on the event id) and reading them back. */
export interface TimelineStore {
  /** Returns false when the event was already recorded. */
  appendEvent(event: TimelineEvent): Promise<boolean>;
  listEvents(incidentId: string): Promise<TimelineEvent[]>;
}

/** Where a page of the timeline ended: events are ordered by time, then id. */
export interface EventCursor {
  readonly at: Date;
  readonly id: string;
}

export interface EventPageQuery {
  readonly order: 'asc' | 'desc';
  readonly kinds?: readonly EventKind[];
  /** Every kind but these (e.g. without the provisioning steps). */
  readonly excludeKinds?: readonly EventKind[];
  /** Continue after this event (in the chosen order). */
  readonly after?: EventCursor;
  readonly limit: number;
}

/** Reading one incident's timeline in pages (the tab, exports). Never crosses incidents. */
export interface TimelineReader {
  pageEvents(incidentId: string, query: EventPageQuery): Promise<TimelineEvent[]>;
  countEvents(incidentId: string, filter?: Pick<EventPageQuery, 'kinds' | 'excludeKinds'>): Promise<number>;
  /**
   * The whole timeline, oldest first, read from one cursor a batch at a time: an export of any
   * length holds one batch in memory, never the timeline. Stop early and the cursor is closed.
   */
  streamEvents(incidentId: string): AsyncIterable<TimelineEvent>;
  /** Events the store recorded at or after `since` (by its own clock), for live refresh. */
  eventsRecordedSince(incidentId: string, since: Date, limit: number): Promise<{ events: TimelineEvent[]; latest?: Date }>;
}

/** Told of each event once, when it is first recorded (a retry that finds it already there tells no one). */
export interface TimelineListener {
  eventRecorded(event: TimelineEvent): void;
}

/** What a timeline search asks the store for: events of these kinds, or whose words at these payload paths hold the pattern. */
export interface EventMatch {
  /** A case-insensitive regular expression (already escaped: see models/record/recordSearch.ts). */
  readonly pattern: string;
  readonly kinds: readonly EventKind[];
  /** Payload paths holding people's words (`text`, `person.name`, …); the actor's name is always looked at. */
  readonly paths: readonly string[];
}

/** Finding one incident's events by their words, oldest first (the tab's search). */
export interface TimelineMatcher {
  matchEvents(incidentId: string, match: EventMatch, limit: number): Promise<TimelineEvent[]>;
}
