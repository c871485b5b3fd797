import type { Incident } from '../incident/incident.js';
import type { Effect } from '../delivery/effects.js';
import type { IncidentPatch } from '../incident/patch.js';
import type { TimelineEvent } from '../incident/timeline.js';

/** Why a change was not written: someone wrote first, it was applied already, or the incident is gone. */
export type ChangeRefusal = 'conflict' | 'duplicate' | 'missing';

/** Applying people's changes: optimistic concurrency, idempotent keys, an outbox for the timeline. */
export interface ChangeStore {
  /**
   * Applies a change if the incident is still at `expectedVersion` and `actionKey` was not applied
   * yet, in one atomic write that also puts the event in the incident's outbox and appends the
   * change's effects (what it still has to do in Teams). Returns the new record, or why nothing was written.
   */
  applyChange(id: string, expectedVersion: number, actionKey: string, patch: IncidentPatch, event: TimelineEvent, effects: readonly Effect[]): Promise<Incident | ChangeRefusal>;
  /** Copies outbox events to the timeline (idempotently) and removes them from the outbox. */
  flushOutbox(incident: Incident): Promise<void>;
  listWithOutbox(limit: number): Promise<Incident[]>;
  /** Events that produced versions after `afterVersion`: what changed since a card was rendered. */
  listEventsSince(incidentId: string, afterVersion: number): Promise<TimelineEvent[]>;
}
