/** Small pieces the tracker sync shares with the adapters' tests and the chat command. */
import type { Person } from '../incident/incident.js';
import type { PostmortemContent } from '../postmortem/postmortem.js';
import type { Tracker, TrackedFields } from '../ports/tracker.js';

/** Written into the tracker item, so a retry finds an item an earlier attempt made. */
export const itemMarker = (incidentId: string, itemId: string) => `incident-room:${incidentId}/${itemId}`;
export const MARKER = /incident-room:([a-f0-9]{24})\/([A-Za-z0-9_-]{1,64})/;

/** Edits taken from the tracker are credited to the people who made them there ("Megan via GitHub"). */
export function trackerPerson(tracker: Pick<Tracker, 'system' | 'name'>, names: readonly string[]): Person {
  // Some trackers (Planner) record no one: the edit is then credited to the tracker alone.
  const who = names.length > 0 ? names.join(', ') : 'someone';
  return { id: `tracker:${tracker.system}:${names.join(',') || 'unknown'}`.slice(0, 120), name: `${who} via ${tracker.name}`.slice(0, 120) };
}

/** The content with the tracker's values put into the items they belong to (what the form limits allow). */
export function pullInto(content: PostmortemContent, changes: ReadonlyMap<string, Partial<TrackedFields>>): PostmortemContent {
  return {
    ...content,
    actionItems: content.actionItems.map((item) => {
      const change = changes.get(item.id!);
      if (!change) return item;
      // The tracker names owners, not Entra ids: a new owner from there is a name we cannot nudge; the same one keeps their id.
      const { ownerId, ...rest } = item;
      const keepsOwner = change.owner === undefined || change.owner.trim() === item.owner.trim();
      return {
        ...rest,
        ...(ownerId && keepsOwner ? { ownerId } : {}),
        ...(change.title !== undefined && change.title.trim() ? { description: change.title.trim().slice(0, 500) } : {}),
        ...(change.owner !== undefined ? { owner: change.owner.slice(0, 120) } : {}),
        ...(change.due !== undefined && (change.due === '' || /^\d{4}-\d{2}-\d{2}$/.test(change.due)) ? { due: change.due } : {}),
        ...(change.done !== undefined ? { done: change.done } : {}),
      };
    }),
  };
}
