/**
 * A work tracker (GitHub issues, Jira, Azure DevOps, Planner): where a post-mortem's action items
 * are followed through once the incident is over. Each item carries a marker (the incident and
 * the item's identity), so a retry after a crash finds the item an earlier attempt made instead
 * of making a second one.
 */
export const TRACKER_SYSTEMS = ['github', 'jira', 'azureDevOps', 'planner'] as const;
export type TrackerSystem = (typeof TRACKER_SYSTEMS)[number];

/** Where the item lives in the tracker: kept on the action item. */
export interface TrackerRef {
  readonly system: TrackerSystem;
  /** The tracker's own name for it: `#12`, `OPS-7`, a work item id, a task id. */
  readonly key: string;
  readonly url: string;
}

/** What is kept the same on both sides. `due` is a date (YYYY-MM-DD) or empty. */
export interface TrackedFields {
  readonly title: string;
  readonly owner: string;
  readonly due: string;
  readonly done: boolean;
}

export const TRACKED_FIELDS = ['title', 'owner', 'due', 'done'] as const satisfies readonly (keyof TrackedFields)[];

/** An item as the tracker has it now. */
export interface TrackerItem extends TrackedFields {
  readonly ref: TrackerRef;
  /** When it last changed in the tracker (decides conflicts: the later change wins). */
  readonly updatedAt: Date;
  /** Who changed it last there, as the tracker names them. */
  readonly updatedBy?: string;
  /** Who marked it done there, for a tracker that says only that (Planner). */
  readonly completedBy?: string;
  /** The marker written when it was created (absent on items not made by incident-room). */
  readonly marker?: string;
}

export interface NewTrackerItem extends TrackedFields {
  readonly marker: string;
  /** Back to the incident (its tab or channel). */
  readonly incidentLink: string;
  /** E.g. the incident's label and the action's kind. */
  readonly labels: readonly string[];
}

/** A webhook delivery as it arrived: the raw body is what the signature covers. */
export interface TrackerDelivery {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly rawBody: string;
}

export interface TrackerWebhookEvent {
  /** The tracker's id for this delivery: a redelivery carries the same one. */
  readonly deliveryId: string;
  readonly items: readonly TrackerItem[];
}

export interface Tracker {
  readonly system: TrackerSystem;
  /** As people call it: "GitHub", "Jira". */
  readonly name: string;
  find(marker: string): Promise<TrackerItem | undefined>;
  create(item: NewTrackerItem): Promise<TrackerItem>;
  update(ref: TrackerRef, change: Partial<TrackedFields>): Promise<TrackerItem>;
  get(ref: TrackerRef): Promise<TrackerItem>;
  /** Items (made by incident-room) changed at or after `since`: for trackers without webhooks. */
  changedSince(since: Date): Promise<TrackerItem[]>;
  /** Undefined when the tracker sends no webhooks for items (then it is polled). */
  readonly webhooks?: {
    /** True only for a delivery signed as the tracker documents it, with our secret. */
    verify(delivery: TrackerDelivery): boolean;
    /** The items a (verified) delivery tells about; none for events that are not about items. */
    read(delivery: TrackerDelivery): TrackerWebhookEvent;
  };
}
