/**
 * Nudges: the owner of a post-mortem action item hears when it becomes theirs, two days before it
 * is due and when it is overdue; the incident channel hears once when every item is done (again
 * only after one was reopened and all are done again). Each saved version of the post-mortem
 * plans what it calls for (nudgePlan.ts) as durable jobs, so nudges survive restarts and run once
 * across replicas; each job checks the item when it fires, so nothing reaches the owner of an item
 * that is done, removed, reassigned or due on another day. Each nudge is a timeline event whose id
 * is the nudge's key: one already on the timeline is not sent again.
 *
 * The owner is told in their Teams activity feed, or where the feed is not permitted for them (or
 * fails), in their personal chat with incident-room, or failing that by an @mention where the
 * incident's notices go. An owner is nudged only when the item names them by Entra id (picked in
 * the tab, @mentioned in chat): a typed name cannot be reached.
 */
import { incidentLabel, type Incident, type Person } from '../incident/incident.js';
import { SYSTEM, timelineEvent, type TimelineEvent } from '../incident/timeline.js';
import type { Access } from '../access/access.js';
import type { ActivityFeed, ActivityType } from '../actions/notifications.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { PostmortemStore } from '../ports/postmortemStore.js';
import type { TimelineReader, TimelineStore } from '../ports/timelineStore.js';
import { jobId, type Job, type JobStore } from '../paging/jobs.js';
import { withItemIds, type PostmortemContent } from '../postmortem/postmortem.js';
import { withTransientRetries } from '../support/retry.js';
import { md } from '../support/markdown.js';
import { allDone, daysOverdue, NUDGES, planNudges, stillCalledFor, type NudgeKind } from './nudgePlan.js';

export interface NudgesDeps {
  readonly store: Pick<IncidentLookup, 'findById'> & Pick<TimelineStore, 'appendEvent'> & Pick<TimelineReader, 'pageEvents'> & Pick<PostmortemStore, 'getPostmortem' | 'getPostmortemVersion'>;
  readonly jobs: Pick<JobStore, 'scheduleJob'>;
  readonly feed: ActivityFeed;
  readonly messenger: Pick<Messenger, 'sendPersonal' | 'postNotice'>;
  /** Whether the owner may see a private incident: only then do the texts name it and the item. */
  readonly access: Pick<Access, 'canSee'>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly attempts?: number;
}

type Item = PostmortemContent['actionItems'][number];

const FEED_TYPE: Readonly<Record<NudgeKind, ActivityType>> = { assigned: 'actionAssigned', due_soon: 'actionDueSoon', overdue: 'actionOverdue' };

export class Nudges {
  constructor(private readonly deps: NudgesDeps) {}

  /** A reaction: each saved version plans its nudges (job ids from the nudge's key and version: planning twice stores each once). */
  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    if (event.kind !== 'postmortem_saved' || incident.status === 'archived') return;
    const version = Number(event.payload.version);
    const [after, before] = await Promise.all([this.itemsOf(incident.id, version), version > 1 ? this.itemsOf(incident.id, version - 1) : undefined]);
    if (!after) return;
    const now = this.deps.clock.now();
    for (const planned of planNudges(before, after, version, now)) {
      await this.deps.jobs.scheduleJob({ id: jobId('nudge', incident.id, `${planned.key}:v${version}`), kind: 'nudge', incidentId: incident.id, dueAt: planned.at, payload: { ...planned, at: planned.at.toISOString(), version } });
    }
    if (allDone(after) && !allDone(before)) {
      await this.deps.jobs.scheduleJob({ id: jobId('nudge', incident.id, `all_done:v${version}`), kind: 'nudge', incidentId: incident.id, dueAt: now, payload: { nudge: 'all_done', key: `all_done:v${version}`, version } });
    }
  }

  /** The job: one nudge, if it is still called for and not sent yet. */
  readonly handle = async (job: Job): Promise<void> => {
    const incident = await this.deps.store.findById(job.incidentId);
    // An archived incident's items are still someone's to do: its owners are still reminded.
    if (!incident) return;
    const head = await this.deps.store.getPostmortem(incident.id);
    const items = head ? withItemIds(head.content).actionItems : [];
    const key = String(job.payload.key);
    const eventId = timelineEvent(incident.id, job.payload.nudge === 'all_done' ? 'action_items_done' : 'action_item_nudged', key, { at: new Date(0), actor: SYSTEM }).id;
    if (await this.alreadyRecorded(incident.id, eventId)) return;
    if (job.payload.nudge === 'all_done') return this.allDone(incident, items, key);
    const nudge = job.payload.nudge as NudgeKind;
    if (!NUDGES.includes(nudge)) return;
    const item = stillCalledFor({ nudge, itemId: String(job.payload.itemId), ownerId: String(job.payload.ownerId), due: String(job.payload.due ?? '') }, items);
    if (!item) return;
    const by = nudge === 'assigned' ? (await this.deps.store.getPostmortemVersion(incident.id, Number(job.payload.version)))?.savedBy : undefined;
    // Taking an item yourself needs no message (its reminders still come).
    if (by?.aadObjectId && by.aadObjectId === item.ownerId) return;
    await this.nudge(incident, item, nudge, key, by);
  };

  private async nudge(incident: Incident, item: Item, nudge: NudgeKind, key: string, by: Person | undefined): Promise<void> {
    const owner: Person = { id: `aad:${item.ownerId}`, name: item.owner || 'the owner', aadObjectId: item.ownerId };
    const sees = !incident.private || (await this.deps.access.canSee(incident, owner));
    // A private incident's title never goes out (feed previews show on lock screens); the item's words only to its members.
    const label = incident.private ? `${incidentLabel(incident)} (private)` : `${incidentLabel(incident)}: ${incident.title}`;
    const what = sees ? `“${item.description}”` : 'an action item';
    const What = sees ? what : 'An action item';
    const now = this.deps.clock.now();
    const late = daysOverdue(item.due, now);
    const due = item.due ? ` (due ${item.due}${late > 0 ? `, ${late} day${late === 1 ? '' : 's'} ago` : ''})` : '';
    const text = {
      assigned: `${by?.name ?? 'Someone'} gave you ${what} from ${label}${due}`,
      due_soon: `${What} from ${label} is due ${item.due}, in 2 days`,
      overdue: `${What} from ${label} is overdue${due}`,
    }[nudge];
    // Exactly the template's placeholders (ACTIVITY_TYPES).
    const parameters: Record<string, string> = nudge === 'assigned' ? { assignedBy: by?.name ?? 'Someone', incident: label } : { incident: label, due: item.due || 'no date' };
    const via = await this.tell(incident, owner, FEED_TYPE[nudge], parameters, text);
    await this.deps.store.appendEvent(
      timelineEvent(incident.id, 'action_item_nudged', key, { at: now, actor: SYSTEM, payload: { nudge, itemId: item.id, item: item.description, owner: owner.name, ownerId: item.ownerId, due: item.due, via, ...(by ? { assignedBy: by.name } : {}) } }),
    );
  }

  /** The feed, else the personal chat, else a mention where the incident's notices go; which one it was. */
  private async tell(incident: Incident, person: Person, type: ActivityType, parameters: Record<string, string>, text: string): Promise<string> {
    try {
      const sent = await withTransientRetries(this.deps.clock, this.deps.attempts ?? 3, () => this.deps.feed.notify({ type, person, incident, parameters, text }));
      if (sent === 'sent') return 'activity feed';
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message, incident: incidentLabel(incident), type }, 'activity feed nudge failed; trying the personal chat');
    }
    try {
      await this.deps.messenger.sendPersonal(incident.tenantId, person, md`📌 ${text}. Mark it done in the post-mortem or the tracker when it is.`);
      return 'personal chat';
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message, incident: incidentLabel(incident), type }, 'personal chat nudge failed; mentioning in the incident channel');
    }
    // Thrown if this fails too: the job tries again later.
    await this.deps.messenger.postNotice(incident, md`📌 ${text}.`, [person]);
    return 'channel mention';
  }

  private async allDone(incident: Incident, items: readonly Item[], key: string): Promise<void> {
    if (!allDone(items)) return;
    // An archived channel takes no messages; the timeline still has it.
    if (incident.status !== 'archived') await this.deps.messenger.postNotice(incident, md`✅ All ${String(items.length)} action items of the ${incidentLabel(incident)} post-mortem are done. Thank you, ${owners(items)}.`);
    await this.deps.store.appendEvent(timelineEvent(incident.id, 'action_items_done', key, { at: this.deps.clock.now(), actor: SYSTEM, payload: { count: items.length, owners: owners(items) } }));
  }

  private async itemsOf(incidentId: string, version: number): Promise<Item[] | undefined> {
    const stored = await this.deps.store.getPostmortemVersion(incidentId, version);
    return stored && withItemIds(stored.content).actionItems;
  }

  private async alreadyRecorded(incidentId: string, eventId: string): Promise<boolean> {
    const events = await this.deps.store.pageEvents(incidentId, { order: 'desc', kinds: ['action_item_nudged', 'action_items_done'], limit: 1000 });
    return events.some((e) => e.id === eventId);
  }
}

/** Who did the work, credited in the channel: the owners by name (those without one as "everyone"). */
function owners(items: readonly Item[]): string {
  const names = [...new Set(items.map((i) => i.owner.trim()).filter(Boolean))];
  return names.length === 0 ? 'everyone' : names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
