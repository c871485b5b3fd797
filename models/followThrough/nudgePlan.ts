/**
 * Which nudges a saved version of the post-mortem calls for, worked out from what changed since
 * the version before it: an item newly someone's (added with an owner, or reassigned) tells them
 * now; an item whose owner, due date or state changed gets its "due in 2 days" and "overdue"
 * reminders set for its current due date. Reminders set for an earlier due date or owner are not
 * removed: each checks the item when it fires and does nothing if it no longer fits
 * (stillCalledFor), which is what makes a changed due date a rescheduling.
 */
import type { PostmortemContent } from '../postmortem/postmortem.js';

type Item = PostmortemContent['actionItems'][number];

export const NUDGES = ['assigned', 'due_soon', 'overdue'] as const;
export type NudgeKind = (typeof NUDGES)[number];

/** Reminders go out at this hour (UTC) of their day: two days before the due date, and the day after it. */
export const NUDGE_HOUR_UTC = 9;
const DAY = 86_400_000;

export interface PlannedNudge {
  readonly nudge: NudgeKind;
  readonly itemId: string;
  readonly ownerId: string;
  readonly due: string;
  readonly at: Date;
  /** What makes this nudge the same one however often it is planned: it is sent once per key. */
  readonly key: string;
}

/** When a reminder about a due date ('YYYY-MM-DD') is sent. */
export function nudgeTime(nudge: Exclude<NudgeKind, 'assigned'>, due: string): Date {
  const day = Date.parse(`${due}T00:00:00Z`);
  return new Date(day + NUDGE_HOUR_UTC * 3_600_000 + (nudge === 'due_soon' ? -2 * DAY : DAY));
}

export function nudgeKey(nudge: NudgeKind, item: { id?: string; ownerId?: string; due: string }, version: number): string {
  // A new assignment is news each time it happens; a due-date reminder only once per owner and date.
  return nudge === 'assigned' ? `assigned:${item.id}:${item.ownerId}:v${version}` : `${nudge}:${item.id}:${item.ownerId}:${item.due}`;
}

/** The nudges version `version` (holding `after`) calls for, given the version before it (`before`, none for the first). */
export function planNudges(before: readonly Item[] | undefined, after: readonly Item[], version: number, now: Date): PlannedNudge[] {
  const previous = new Map((before ?? []).map((item) => [item.id, item]));
  const planned: PlannedNudge[] = [];
  for (const item of after) {
    if (!item.id || !item.ownerId || item.done) continue;
    const was = previous.get(item.id);
    const newlyTheirs = !was || was.ownerId !== item.ownerId;
    const plan = (nudge: NudgeKind, at: Date) => planned.push({ nudge, itemId: item.id!, ownerId: item.ownerId!, due: item.due, at, key: nudgeKey(nudge, item, version) });
    if (newlyTheirs) plan('assigned', now);
    const changed = !was || newlyTheirs || was.due !== item.due || was.done;
    if (!changed || !item.due) continue;
    for (const nudge of ['due_soon', 'overdue'] as const) {
      const at = nudgeTime(nudge, item.due);
      // Already past: the assignment's own message says when it is due; otherwise say it now.
      if (at.getTime() <= now.getTime() && newlyTheirs) continue;
      if (nudge === 'due_soon' && nudgeTime('overdue', item.due).getTime() <= now.getTime()) continue;
      plan(nudge, at.getTime() < now.getTime() ? now : at);
    }
  }
  return planned;
}

/** Whether a planned nudge still fits the item as it is now (same owner and due date, not done, not removed). */
export function stillCalledFor(nudge: Pick<PlannedNudge, 'nudge' | 'itemId' | 'ownerId' | 'due'>, items: readonly Item[]): Item | undefined {
  const item = items.find((i) => i.id === nudge.itemId);
  if (!item || item.done || item.ownerId !== nudge.ownerId) return undefined;
  if (nudge.nudge !== 'assigned' && item.due !== nudge.due) return undefined;
  return item;
}

/** Every item done (and at least one): the channel is told when a version makes this true. */
export const allDone = (items: readonly Item[] | undefined) => (items ?? []).length > 0 && items!.every((item) => item.done);

/** Whole days an item is past its due date on `now`'s UTC day (0 when it is not overdue). */
export function daysOverdue(due: string, now: Date): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) return 0;
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.max(0, Math.round((today - Date.parse(`${due}T00:00:00Z`)) / DAY));
}
