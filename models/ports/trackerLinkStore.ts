import type { TrackedFields, TrackerRef, TrackerSystem } from './tracker.js';

/**
 * An action item's life in the tracker: where it is, and what both sides last agreed on (so a
 * change on either side is told from one on the other). An item without `ref` is not in the
 * tracker yet: it is kept and tried again until it is.
 */
export interface TrackerLink {
  readonly incidentId: string;
  readonly itemId: string;
  readonly system: TrackerSystem;
  readonly ref?: TrackerRef;
  readonly agreed?: TrackedFields;
  /** Why the last attempt to reach the tracker failed (cleared by the next success). */
  readonly error?: string;
  /** Taken out of the post-mortem, and closed in the tracker for it: synced no more. */
  readonly removed?: boolean;
  readonly updatedAt: Date;
}

export interface TrackerLinkStore {
  trackerLinks(incidentId: string): Promise<TrackerLink[]>;
  /** By the item's address in the tracker (unique across a tracker's projects, unlike its key). */
  trackerLinkByUrl(system: TrackerSystem, url: string): Promise<TrackerLink | undefined>;
  /** Upserts by (incident, item). */
  saveTrackerLink(link: TrackerLink): Promise<void>;
}
