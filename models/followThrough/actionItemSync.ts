/**
 * How an action item and its tracker item are brought back together, field by field: a field
 * changed on one side only is taken from that side; a field both changed differently is a
 * conflict, and the later change wins (both values go on the timeline, so nothing is silently
 * lost). "Changed" is against what both sides last agreed on.
 */
import { TRACKED_FIELDS, type TrackedFields, type TrackerItem } from '../ports/tracker.js';

type Field = keyof TrackedFields;

export interface SyncConflict {
  readonly field: Field;
  readonly ours: TrackedFields[Field];
  readonly theirs: TrackedFields[Field];
  readonly winner: 'ours' | 'theirs';
}

export interface SyncPlan {
  /** To write to the tracker. */
  readonly push: Partial<TrackedFields>;
  /** To write into the post-mortem. */
  readonly pull: Partial<TrackedFields>;
  readonly conflicts: readonly SyncConflict[];
  /** What both sides hold once the plan is carried out. */
  readonly agreed: TrackedFields;
}

export function trackedFieldsOf(item: { description: string; owner: string; due: string; done: boolean }): TrackedFields {
  return { title: item.description, owner: item.owner, due: item.due, done: item.done };
}

/**
 * `oursChangedAt`: when the post-mortem version holding `ours` was saved; `theirs.updatedAt`:
 * the tracker's last change. Without an agreed state (never synced) ours is taken as it is.
 */
export function planSync(ours: TrackedFields, agreed: TrackedFields | undefined, theirs: TrackerItem, oursChangedAt: Date): SyncPlan {
  const push: Partial<Record<Field, unknown>> = {};
  const pull: Partial<Record<Field, unknown>> = {};
  const conflicts: SyncConflict[] = [];
  const result: Record<Field, unknown> = { ...ours };
  const base = agreed ?? theirs;
  for (const field of TRACKED_FIELDS) {
    const mine = ours[field];
    const other = theirs[field];
    if (mine === other) continue;
    const weChanged = !agreed || mine !== base[field];
    const theyChanged = agreed !== undefined && other !== base[field];
    let winner: 'ours' | 'theirs' = weChanged ? 'ours' : 'theirs';
    if (weChanged && theyChanged) {
      // Ties go to the tracker: it is where the work is followed through.
      winner = oursChangedAt.getTime() > theirs.updatedAt.getTime() ? 'ours' : 'theirs';
      conflicts.push({ field, ours: mine, theirs: other, winner });
    }
    if (winner === 'ours') push[field] = mine;
    else {
      pull[field] = other;
      result[field] = other;
    }
  }
  return { push: push as Partial<TrackedFields>, pull: pull as Partial<TrackedFields>, conflicts, agreed: result as unknown as TrackedFields };
}

export const isEmptyChange = (change: Partial<TrackedFields>) => Object.keys(change).length === 0;
