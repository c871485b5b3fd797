/**
 * Post-mortem action items, followed through in the tenant's tracker. Every saved version of the
 * post-mortem (from the tab, a chat command, or the tracker itself) schedules a sync: a durable
 * job, so an item the tracker could not take is kept and tried again until it does. A sync
 * creates the items the tracker does not have yet, pushes our edits, and takes the tracker's
 * edits back into the post-mortem as a new version credited to whoever made them there.
 */
import type { Incident, Person } from '../incident/incident.js';
import { incidentLabel } from '../incident/incident.js';
import type { IncidentActions } from '../actions/incidentActions.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { Logger } from '../ports/logger.js';
import type { StoredPostmortem } from '../ports/postmortemStore.js';
import type { Tracker, TrackedFields, TrackerDelivery, TrackerItem, TrackerRef } from '../ports/tracker.js';
import type { TrackerLink, TrackerLinkStore } from '../ports/trackerLinkStore.js';
import type { Job, JobStore } from '../paging/jobs.js';
import { jobId, RetryLater } from '../paging/jobs.js';
import type { Postmortems } from '../postmortem/postmortems.js';
import { withItemIds, type PostmortemContent } from '../postmortem/postmortem.js';
import { SYSTEM, type TimelineEvent } from '../incident/timeline.js';
import { TransientError } from '../support/errors.js';
import { isEmptyChange, planSync, trackedFieldsOf, type SyncConflict } from './actionItemSync.js';
import { itemMarker, pullInto, trackerPerson } from './trackedItems.js';

export interface ActionItemTrackingDeps {
  /** The incident's tracker (chosen per tenant), if it has one. */
  readonly trackerFor: (incident: Incident) => Tracker | undefined;
  /** Every tracker configured (webhooks are checked against each one of their system). */
  readonly webhookTrackers: () => readonly Tracker[];
  readonly store: Pick<IncidentLookup, 'findById'>;
  readonly postmortems: Pick<Postmortems, 'view' | 'save'>;
  readonly links: TrackerLinkStore;
  readonly jobs: Pick<JobStore, 'scheduleJob'>;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Where an item links back to (the incident's tab, or its channel). */
  readonly incidentLink: (incident: Incident) => string;
  /** How long to wait before trying a tracker that failed without saying when to come back. */
  readonly retryMs?: number;
  /** Trackers without webhooks are asked for changes this often while an item is open. */
  readonly pollMs?: number;
}

/** For the tab: each item's place in the tracker; `pending` ones are "not yet in <tracker>". */
export interface TrackedItems {
  readonly tracker: string;
  readonly system: string;
  readonly items: Readonly<Record<string, { readonly key?: string; readonly url?: string; readonly pending: boolean; readonly error?: string }>>;
}

const RETRY_MS = 30_000;
const POLL_MS = 5 * 60_000;

interface ItemOutcome {
  readonly itemId: string;
  readonly link?: TrackerLink;
  readonly pull?: Partial<TrackedFields>;
  readonly by?: string;
  readonly conflicts: readonly SyncConflict[];
  /** Said on the timeline with the sync's report (an item removed from the post-mortem, closed in the tracker). */
  readonly note?: string;
  /** The item is no longer in the post-mortem (not counted as tracked or pending). */
  readonly removed?: boolean;
  readonly error?: Error;
}

export class ActionItemTracking {
  constructor(private readonly deps: ActionItemTrackingDeps) {}

  /** Where each of these action items is in the tracker, or that it is not there yet (for the tab). */
  async trackedItems(incident: Incident, itemIds: readonly string[]): Promise<TrackedItems | undefined> {
    const tracker = this.deps.trackerFor(incident);
    if (!tracker) return undefined;
    const links = new Map((await this.deps.links.trackerLinks(incident.id)).map((l) => [l.itemId, l]));
    const items: Record<string, TrackedItems['items'][string]> = {};
    for (const id of itemIds) {
      const link = links.get(id);
      items[id] = link?.ref ? { key: link.ref.key, url: link.ref.url, pending: false, ...(link.error ? { error: link.error } : {}) } : { pending: true, ...(link?.error ? { error: link.error } : {}) };
    }
    return { tracker: tracker.name, system: tracker.system, items };
  }

  /** A reaction: each saved version is synced by a job of its own (the job id makes it once). */
  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    if (event.kind !== 'postmortem_saved' || !this.deps.trackerFor(incident)) return;
    await this.schedule(incident.id, `version-${String(event.payload.version)}`);
  }

  /** Sync soon: a webhook said the tracker changed (its delivery id makes a redelivery a no-op). */
  schedule(incidentId: string, occurrence: string, dueAt = this.deps.clock.now(), by?: string): Promise<void> {
    return this.deps.jobs.scheduleJob({ id: jobId('tracker_sync', incidentId, occurrence), kind: 'tracker_sync', incidentId, dueAt, payload: { occurrence, ...(by ? { by } : {}) } });
  }

  /**
   * A webhook from a tracker: refused unless signed as that tracker signs them (nothing is
   * changed then); otherwise each incident it is about is synced by a job named after the
   * delivery, so a redelivered webhook changes nothing.
   */
  async webhookReceived(system: string, delivery: TrackerDelivery): Promise<{ refused: string } | { malformed: string } | { scheduled: number }> {
    const trackers = this.deps.webhookTrackers().filter((t) => t.system === system && t.webhooks);
    if (trackers.length === 0) return { refused: `No ${system} tracker with a webhook secret is configured here.` };
    const tracker = trackers.find((t) => t.webhooks!.verify(delivery));
    if (!tracker) return { refused: `The ${trackers[0]!.name} webhook's signature does not match: check that the webhook's secret is the one configured here.` };
    let event: ReturnType<NonNullable<Tracker['webhooks']>['read']>;
    try {
      event = tracker.webhooks!.read(delivery);
    } catch (error) {
      return { malformed: `The ${tracker.name} webhook was signed but is not what ${tracker.name} sends (${(error as Error).message}).` };
    }
    let scheduled = 0;
    for (const item of event.items) {
      const link = await this.deps.links.trackerLinkByUrl(tracker.system, item.ref.url);
      if (!link) continue;
      await this.schedule(link.incidentId, `hook-${event.deliveryId}-${item.ref.key}`, this.deps.clock.now(), item.updatedBy);
      scheduled++;
    }
    return { scheduled };
  }

  /** The job: one sync of one incident's action items. */
  readonly handle = async (job: Job): Promise<void> => {
    const incident = await this.deps.store.findById(job.incidentId);
    if (!incident) return;
    await this.sync(incident, typeof job.payload.by === 'string' ? job.payload.by : undefined);
  };

  /** `by`: who changed the tracker, when a webhook said (the tracker's API may not). */
  async sync(incident: Incident, by?: string): Promise<void> {
    const tracker = this.deps.trackerFor(incident);
    if (!tracker || incident.status === 'archived') return;
    const view = await this.deps.postmortems.view(incident);
    if (view.version === 0) return;
    const head: Pick<StoredPostmortem, 'version' | 'content' | 'savedAt'> = { version: view.version, content: withItemIds(view.content), savedAt: view.savedAt! };
    const links = new Map((await this.deps.links.trackerLinks(incident.id)).map((l) => [l.itemId, l]));
    const outcomes: ItemOutcome[] = [];
    for (const item of head.content.actionItems) {
      outcomes.push(await this.syncItem(tracker, incident, head, item, links.get(item.id!), by));
    }
    // An item taken out of the post-mortem (a duplicate, or no longer wanted) would stay open in the
    // tracker for ever, someone's work that nobody asked for: it is closed there, once.
    const kept = new Set(head.content.actionItems.map((a) => a.id!));
    for (const link of links.values()) if (!kept.has(link.itemId) && link.ref && !link.removed) outcomes.push(await this.closeRemoved(tracker, incident, link, link.ref));
    // The tracker's edits go into the post-mortem before what both agreed on is written: a crash
    // in between makes the next sync see them again, never push the old text back over them.
    const pulled = outcomes.filter((o) => o.pull && !isEmptyChange(o.pull));
    if (pulled.length > 0) await this.savePulled(incident, tracker, head, pulled);
    for (const outcome of outcomes) if (outcome.link) await this.deps.links.saveTrackerLink(outcome.link);
    await this.report(incident, tracker, outcomes);
    const failed = outcomes.find((o) => o.error);
    if (failed) {
      const wait = failed.error instanceof TransientError && failed.error.retryAfterMs !== undefined ? failed.error.retryAfterMs : (this.deps.retryMs ?? RETRY_MS);
      // Waiting for the tracker is not a failure of the job: it is kept until the tracker takes the item.
      throw new RetryLater(`${tracker.name}: ${failed.error!.message}`, wait);
    }
    if (!tracker.webhooks && head.content.actionItems.some((a) => !a.done)) {
      const pollMs = this.deps.pollMs ?? POLL_MS;
      const next = new Date(this.deps.clock.now().getTime() + pollMs);
      // Named after its period, so the syncs of one period (a save, a poll) share one next poll instead of each starting a chain.
      await this.schedule(incident.id, `poll-${Math.floor(next.getTime() / pollMs)}`, next);
    }
  }

  private async syncItem(tracker: Tracker, incident: Incident, head: Pick<StoredPostmortem, 'version' | 'savedAt'>, item: PostmortemContent['actionItems'][number], link: TrackerLink | undefined, by?: string): Promise<ItemOutcome> {
    const itemId = item.id!;
    const ours = trackedFieldsOf(item);
    const now = this.deps.clock.now();
    try {
      let remote: TrackerItem;
      let agreed = link?.agreed;
      if (link?.ref) remote = await tracker.get(link.ref);
      else {
        const marker = itemMarker(incident.id, itemId);
        // Made by an attempt that crashed before recording it? Then it is ours, as we have it.
        const found = await tracker.find(marker);
        if (!found) {
          const created = await tracker.create({ ...ours, marker, incidentLink: this.deps.incidentLink(incident), labels: ['incident-room', incidentLabel(incident), item.kind] });
          return { itemId, conflicts: [], link: { incidentId: incident.id, itemId, system: tracker.system, ref: created.ref, agreed: ours, updatedAt: now } };
        }
        remote = found;
        agreed = undefined;
      }
      const plan = planSync(ours, agreed, remote, head.savedAt);
      if (!isEmptyChange(plan.push)) await tracker.update(remote.ref, plan.push);
      return { itemId, pull: plan.pull, by: remote.updatedBy ?? (plan.pull.done === true ? remote.completedBy : undefined) ?? by, conflicts: plan.conflicts, link: { incidentId: incident.id, itemId, system: tracker.system, ref: remote.ref, agreed: plan.agreed, updatedAt: now } };
    } catch (error) {
      this.deps.log.warn({ incident: incidentLabel(incident), itemId, tracker: tracker.name, err: (error as Error).message }, 'an action item could not be synced with its tracker');
      return { itemId, conflicts: [], error: error as Error, link: { incidentId: incident.id, itemId, system: tracker.system, ...(link ?? {}), error: (error as Error).message.slice(0, 300), updatedAt: now } };
    }
  }

  private async closeRemoved(tracker: Tracker, incident: Incident, link: TrackerLink, ref: TrackerRef): Promise<ItemOutcome> {
    const now = this.deps.clock.now();
    const note = `${ref.key} was removed from the post-mortem: ${link.agreed?.done ? 'it was already done' : `closed in ${tracker.name}`}`;
    try {
      if (!link.agreed?.done) await tracker.update(ref, { done: true });
      return { itemId: link.itemId, conflicts: [], note, removed: true, link: { ...link, removed: true, ...(link.agreed ? { agreed: { ...link.agreed, done: true } } : {}), updatedAt: now } };
    } catch (error) {
      this.deps.log.warn({ incident: incidentLabel(incident), itemId: link.itemId, tracker: tracker.name, err: (error as Error).message }, 'a removed action item could not be closed in its tracker');
      return { itemId: link.itemId, conflicts: [], removed: true, error: error as Error, link: { ...link, error: (error as Error).message.slice(0, 300), updatedAt: now } };
    }
  }

  private async savePulled(incident: Incident, tracker: Tracker, head: Pick<StoredPostmortem, 'version' | 'content'>, pulled: readonly ItemOutcome[]): Promise<void> {
    const changes = new Map(pulled.map((o) => [o.itemId, o.pull!]));
    const names = [...new Set(pulled.map((o) => o.by).filter((b): b is string => Boolean(b)))];
    const by: Person = trackerPerson(tracker, names);
    const key = `tracker:${tracker.system}:${head.version}:${JSON.stringify([...changes])}`.slice(0, 300);
    const saved = await this.deps.postmortems.save(incident, { by, baseVersion: head.version, key, content: pullInto(head.content, changes) });
    if (saved.outcome === 'conflict') throw new RetryLater(`the post-mortem changed while taking ${tracker.name}'s edits`, 0);
    if (saved.outcome === 'invalid' || saved.outcome === 'refused') {
      const why = saved.outcome === 'invalid' ? saved.problems.map((p) => `${p.path} ${p.message}`).join('; ') : saved.message;
      this.deps.log.warn({ incident: incidentLabel(incident), tracker: tracker.name, err: why }, "the tracker's edits could not be taken into the post-mortem");
    }
  }

  private async report(incident: Incident, tracker: Tracker, outcomes: readonly ItemOutcome[]): Promise<void> {
    const current = outcomes.filter((o) => !o.removed);
    const pending = current.filter((o) => !o.link?.ref || o.error).length;
    const error = outcomes.find((o) => o.error)?.error?.message.slice(0, 300);
    const notes = outcomes.flatMap((o) => [...o.conflicts.map((c) => conflictNote(tracker, o, c)), ...(o.note ? [o.note] : [])]);
    await this.deps.actions.run(
      'recordTracking',
      { incidentId: incident.id, key: `tracking:${incident.id}:${this.deps.clock.now().toISOString()}:${JSON.stringify([pending, error ?? '', notes])}`.slice(0, 400), actor: SYSTEM, via: 'app' },
      { tracker: tracker.name, tracked: current.length - pending, pending, ...(error ? { error } : {}), notes },
    );
  }
}

function conflictNote(tracker: Tracker, outcome: ItemOutcome, c: SyncConflict): string {
  const key = outcome.link?.ref?.key ?? outcome.itemId;
  const show = (v: unknown) => (typeof v === 'boolean' ? (v ? 'done' : 'open') : `“${String(v)}”`);
  const kept = c.winner === 'ours' ? `the post-mortem's ${show(c.ours)}` : `${tracker.name}'s ${show(c.theirs)}`;
  const lost = c.winner === 'ours' ? `${tracker.name}'s ${show(c.theirs)}` : `the post-mortem's ${show(c.ours)}`;
  return `${c.field} of ${key} changed on both sides: kept ${kept} (the later change) over ${lost}`;
}
