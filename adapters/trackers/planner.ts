/**
 * Microsoft Planner tasks as the action items' tracker, through Microsoft Graph with the app's
 * own token (application permission Tasks.ReadWrite.All). An action item is a task in the
 * configured plan and bucket: its title the item, its due date dueDateTime, done
 * percentComplete 100 (reopened: 0), and its owner and marker lines of the task details'
 * description (assignments take Entra users; the post-mortem's owner is free text). Updates
 * carry the If-Match ETag Graph requires; a stale one (someone changed the task meanwhile) is
 * read again and retried once. Planner sends no change notifications for tasks, so it is polled.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { NewTrackerItem, TrackedFields, Tracker, TrackerItem, TrackerRef } from '../../models/ports/tracker.js';
import { MARKER } from '../../models/followThrough/trackedItems.js';
import { permissionHint } from '../graph/permissions.js';
import { translateHttpError } from '../httpErrors.js';

export interface PlannerTrackerSettings {
  readonly planId: string;
  readonly bucketId: string;
}

interface Task { '@odata.etag': string; id: string; title: string; dueDateTime?: string | null; percentComplete?: number; completedBy?: { user?: { displayName?: string } } | null }
interface Details { '@odata.etag': string; description?: string }

const HINTS = { 403: permissionHint('createPlannerTask'), 404: 'Check PLANNER_PLAN_ID and PLANNER_BUCKET_ID (the plan, its bucket or the task does not exist, or the app cannot see it).' };

export function plannerDescription(owner: string, incidentLink: string, marker: string): string {
  return [`Action item from an incident post-mortem: ${incidentLink}`, `Owner: ${owner || '—'}`, marker].join('\n');
}

const ownerOf = (description: string | undefined) => {
  const owner = /^Owner: *(.*)$/m.exec(description ?? '')?.[1]?.trim() ?? '';
  return owner === '—' ? '' : owner;
};

export class PlannerTracker implements Tracker {
  readonly system = 'planner' as const;
  readonly name = 'Planner';

  constructor(private readonly graph: Client, private readonly settings: PlannerTrackerSettings) {}

  async find(marker: string): Promise<TrackerItem | undefined> {
    const { value } = await this.call<{ value: Task[] }>(() => this.graph.api(`/planner/plans/${encodeURIComponent(this.settings.planId)}/tasks`).get(), 'listing the plan’s Planner tasks');
    for (const task of value) {
      const details = await this.details(task.id);
      if (details.description?.includes(marker)) return this.toItem(task, details);
    }
    return undefined;
  }

  async create(item: NewTrackerItem): Promise<TrackerItem> {
    const task = await this.call<Task>(
      () => this.graph.api('/planner/tasks').post({ planId: this.settings.planId, bucketId: this.settings.bucketId, title: item.title.slice(0, 255), dueDateTime: item.due ? `${item.due}T00:00:00Z` : null, percentComplete: item.done ? 100 : 0 }),
      'creating the Planner task',
    );
    const details = await this.details(task.id);
    await this.call(() => this.graph.api(`/planner/tasks/${task.id}/details`).header('If-Match', details['@odata.etag']).patch({ description: plannerDescription(item.owner, item.incidentLink, item.marker) }), 'writing the Planner task’s details');
    return this.get({ system: 'planner', key: task.id, url: this.urlOf(task.id) });
  }

  async update(ref: TrackerRef, change: Partial<TrackedFields>): Promise<TrackerItem> {
    const fields: Record<string, unknown> = {};
    if (change.title !== undefined) fields.title = change.title.slice(0, 255);
    if (change.due !== undefined) fields.dueDateTime = change.due ? `${change.due}T00:00:00Z` : null;
    if (change.done !== undefined) fields.percentComplete = change.done ? 100 : 0;
    if (Object.keys(fields).length > 0) await this.withFreshEtag(() => this.task(ref.key), (tag) => this.graph.api(`/planner/tasks/${ref.key}`).header('If-Match', tag).patch(fields), `updating Planner task ${ref.key}`);
    if (change.owner !== undefined) {
      await this.withFreshEtag(
        () => this.details(ref.key),
        (tag, details) => this.graph.api(`/planner/tasks/${ref.key}/details`).header('If-Match', tag).patch({ description: /^Owner:.*$/m.test(details.description ?? '') ? details.description!.replace(/^Owner:.*$/m, `Owner: ${change.owner || '—'}`) : `${details.description ?? ''}\nOwner: ${change.owner || '—'}` }),
        `updating Planner task ${ref.key}'s owner`,
      );
    }
    return this.get(ref);
  }

  async get(ref: TrackerRef): Promise<TrackerItem> {
    return this.toItem(await this.task(ref.key), await this.details(ref.key));
  }

  /** Planner keeps no time of a task's last change: every task is read, and compared with what was agreed. */
  async changedSince(): Promise<TrackerItem[]> {
    const { value } = await this.call<{ value: Task[] }>(() => this.graph.api(`/planner/plans/${encodeURIComponent(this.settings.planId)}/tasks`).get(), 'listing the plan’s Planner tasks');
    const items = await Promise.all(value.map(async (task) => this.toItem(task, await this.details(task.id))));
    return items.filter((i) => i.marker);
  }

  /** A 412 means the task changed since it was read: read it again (with its new ETag) and try once more. */
  private async withFreshEtag<T extends { '@odata.etag': string }>(read: () => Promise<T>, write: (etag: string, current: T) => Promise<unknown>, what: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const current = await read();
      try {
        await write(current['@odata.etag'], current);
        return;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 412 && attempt === 0) continue;
        throw translateHttpError(error, what, HINTS);
      }
    }
  }

  private task(id: string): Promise<Task> {
    return this.call<Task>(() => this.graph.api(`/planner/tasks/${encodeURIComponent(id)}`).get(), `reading Planner task ${id}`);
  }

  private details(id: string): Promise<Details> {
    return this.call<Details>(() => this.graph.api(`/planner/tasks/${encodeURIComponent(id)}/details`).get(), `reading Planner task ${id}'s details`);
  }

  private urlOf(id: string): string {
    return `https://planner.cloud.microsoft/webui/plan/${encodeURIComponent(this.settings.planId)}/view/board/task/${encodeURIComponent(id)}`;
  }

  private toItem(task: Task, details: Details): TrackerItem {
    const marker = MARKER.exec(details.description ?? '')?.[0];
    return {
      ref: { system: 'planner', key: task.id, url: this.urlOf(task.id) },
      title: task.title,
      owner: ownerOf(details.description),
      due: task.dueDateTime ? task.dueDateTime.slice(0, 10) : '',
      done: task.percentComplete === 100,
      // Planner names only who completed a task (plannerTask.completedBy), not who edited it.
      ...(task.percentComplete === 100 && task.completedBy?.user?.displayName ? { completedBy: task.completedBy.user.displayName } : {}),
      // Planner records no time of change: a change is dated when it is seen, so on a conflict the tracker's wins.
      updatedAt: new Date(),
      ...(marker ? { marker } : {}),
    };
  }

  private async call<T>(request: () => Promise<unknown>, what: string): Promise<T> {
    try {
      return (await request()) as T;
    } catch (error) {
      throw translateHttpError(error, what, HINTS);
    }
  }
}
