/**
 * Azure DevOps work items as the action items' tracker (Work Item Tracking REST, api-version 7.1,
 * a personal access token in basic auth). An action item is a work item of the configured type:
 * its title the item, its due date Microsoft.VSTS.Scheduling.DueDate, done its state being the
 * configured done state (reopened: the reopen state), and its owner a line of the description
 * (System.AssignedTo takes an identity; the post-mortem's owner is free text). The item's marker
 * is a tag, found by WIQL. Changes are written as JSON Patch documents. Webhooks: a service hook
 * subscription (Web Hooks) with basic authentication, checked against the configured user and
 * password.
 */
import type { NewTrackerItem, TrackedFields, Tracker, TrackerDelivery, TrackerItem, TrackerRef, TrackerWebhookEvent } from '../../models/ports/tracker.js';
import { sameSecret } from '../../http/sameSecret.js';
import { translateHttpError } from '../httpErrors.js';

export interface AzureDevOpsTrackerSettings {
  /** https://dev.azure.com/<organization> (or the local stand-in's). */
  readonly organizationUrl: string;
  readonly project: string;
  readonly pat: string;
  readonly workItemType: string;
  readonly doneState: string;
  readonly reopenState: string;
  /** The service hook's basic authentication (user name and password), when edits come back. */
  readonly hookAuth?: { readonly username: string; readonly password: string };
}

const API = 'api-version=7.1';
const TAG = 'incident-room';
const DUE = 'Microsoft.VSTS.Scheduling.DueDate';
const HINTS = {
  401: 'Check AZURE_DEVOPS_PAT: it is wrong, expired or revoked (User settings → Personal access tokens).',
  403: 'The personal access token may not write work items: give it the Work Items (Read & write) scope.',
  404: 'Check AZURE_DEVOPS_ORG_URL, AZURE_DEVOPS_PROJECT and AZURE_DEVOPS_WORK_ITEM_TYPE: the project, the type or the work item does not exist, or the token cannot see it.',
  400: 'Azure DevOps refused the work item (a rule of the work item type: see the message; AZURE_DEVOPS_DONE_STATE must be a state of the type).',
};

interface WorkItem {
  id: number;
  rev: number;
  fields: Record<string, unknown>;
  _links?: { html?: { href?: string } };
}

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const unescapeHtml = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The description (HTML): where the item comes from, and its owner (a line people may edit in Boards). */
export function workItemDescription(owner: string, incidentLink: string): string {
  return `<p>Action item from an incident post-mortem: <a href="${escapeHtml(incidentLink)}">${escapeHtml(incidentLink)}</a></p><p>Owner: ${escapeHtml(owner || '—')}</p>`;
}

function ownerOf(description: unknown): string {
  const text = unescapeHtml(String(description ?? '').replace(/<\/(p|div)>|<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, ''));
  const owner = /^\s*Owner: *(.*)$/m.exec(text)?.[1]?.trim() ?? '';
  return owner === '—' ? '' : owner;
}

const markerTag = (marker: string) => marker.replace(':', '_').replace('/', '_');
const TAG_MARKER = /^incident-room_([a-f0-9]{24})_([A-Za-z0-9_-]{1,64})$/;
const tagsOf = (value: unknown) => String(value ?? '').split(/;\s*/).filter(Boolean);

export class AzureDevOpsTracker implements Tracker {
  readonly system = 'azureDevOps' as const;
  readonly name = 'Azure DevOps';
  readonly webhooks;

  constructor(private readonly settings: AzureDevOpsTrackerSettings) {
    const auth = settings.hookAuth;
    this.webhooks = auth ? { verify: (d: TrackerDelivery) => verifyServiceHookAuth(d, auth), read: (d: TrackerDelivery) => this.read(d) } : undefined;
  }

  async find(marker: string): Promise<TrackerItem | undefined> {
    const [found] = await this.query(`[System.Tags] CONTAINS '${markerTag(marker)}'`, 'looking for the work item of an action item');
    return found && this.toItem(found);
  }

  async create(item: NewTrackerItem): Promise<TrackerItem> {
    const tags = [TAG, markerTag(item.marker), ...item.labels.filter((l) => l !== TAG)].map((t) => t.replace(/;/g, ','));
    const ops = [
      { op: 'add', path: '/fields/System.Title', value: item.title.slice(0, 255) },
      { op: 'add', path: '/fields/System.Description', value: workItemDescription(item.owner, item.incidentLink) },
      { op: 'add', path: '/fields/System.Tags', value: tags.join('; ') },
      ...(item.due ? [{ op: 'add', path: `/fields/${DUE}`, value: `${item.due}T00:00:00Z` }] : []),
      ...(item.done ? [{ op: 'add', path: '/fields/System.State', value: this.settings.doneState }] : []),
    ];
    const created = await this.call<WorkItem>('POST', `/workitems/$${encodeURIComponent(this.settings.workItemType)}?${API}`, ops, 'creating the Azure DevOps work item');
    return this.toItem(created);
  }

  async update(ref: TrackerRef, change: Partial<TrackedFields>): Promise<TrackerItem> {
    const ops: { op: string; path: string; value?: unknown }[] = [];
    if (change.title !== undefined) ops.push({ op: 'add', path: '/fields/System.Title', value: change.title.slice(0, 255) });
    if (change.due !== undefined) ops.push(change.due ? { op: 'add', path: `/fields/${DUE}`, value: `${change.due}T00:00:00Z` } : { op: 'remove', path: `/fields/${DUE}` });
    if (change.done !== undefined) ops.push({ op: 'add', path: '/fields/System.State', value: change.done ? this.settings.doneState : this.settings.reopenState });
    if (change.owner !== undefined) {
      const current = await this.workItem(ref);
      const description = String(current.fields['System.Description'] ?? '');
      const line = `<p>Owner: ${escapeHtml(change.owner || '—')}</p>`;
      // The revision guards the rewrite of a description someone may be editing in Boards.
      ops.unshift({ op: 'test', path: '/rev', value: current.rev });
      ops.push({ op: 'add', path: '/fields/System.Description', value: /<p>Owner:[^<]*<\/p>/.test(description) ? description.replace(/<p>Owner:[^<]*<\/p>/, line) : `${description}${line}` });
    }
    const id = Number(ref.key);
    return this.toItem(await this.call<WorkItem>('PATCH', `/workitems/${id}?${API}`, ops, `updating Azure DevOps work item ${ref.key}`));
  }

  async get(ref: TrackerRef): Promise<TrackerItem> {
    return this.toItem(await this.workItem(ref));
  }

  async changedSince(since: Date): Promise<TrackerItem[]> {
    return (await this.query(`[System.Tags] CONTAINS '${TAG}' AND [System.ChangedDate] >= '${since.toISOString()}'`, 'asking Azure DevOps for changed work items')).map((w) => this.toItem(w)).filter((i) => i.marker);
  }

  private read(delivery: TrackerDelivery): TrackerWebhookEvent {
    const payload = JSON.parse(delivery.rawBody) as { id?: string; eventType?: string; resource?: WorkItem & { revision?: WorkItem; revisedBy?: { displayName?: string } } };
    const deliveryId = String(payload.id ?? '');
    const workItem = payload.eventType === 'workitem.updated' ? payload.resource?.revision : payload.eventType === 'workitem.created' ? payload.resource : undefined;
    if (!workItem?.fields) return { deliveryId, items: [] };
    const item = this.toItem(workItem);
    const by = payload.resource?.revisedBy?.displayName ?? (workItem.fields['System.ChangedBy'] as { displayName?: string } | undefined)?.displayName;
    return { deliveryId, items: item.marker ? [{ ...item, ...(by ? { updatedBy: by } : {}) }] : [] };
  }

  private workItem(ref: TrackerRef): Promise<WorkItem> {
    return this.call<WorkItem>('GET', `/workitems/${Number(ref.key)}?${API}`, undefined, `reading Azure DevOps work item ${ref.key}`);
  }

  private async query(where: string, what: string): Promise<WorkItem[]> {
    const found = await this.call<{ workItems: { id: number }[] }>('POST', `/wiql?timePrecision=true&${API}`, { query: `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND ${where}` }, what);
    const items: WorkItem[] = [];
    for (let n = 0; n < found.workItems.length; n += 200) {
      const ids = found.workItems.slice(n, n + 200).map((w) => w.id).join(',');
      items.push(...(await this.call<{ value: WorkItem[] }>('GET', `/workitems?ids=${ids}&${API}`, undefined, what)).value);
    }
    return items;
  }

  private toItem(workItem: WorkItem): TrackerItem {
    const f = workItem.fields;
    const tag = tagsOf(f['System.Tags']).map((t) => TAG_MARKER.exec(t)).find(Boolean);
    const changedBy = (f['System.ChangedBy'] as { displayName?: string } | undefined)?.displayName;
    return {
      ref: { system: 'azureDevOps', key: String(workItem.id), url: workItem._links?.html?.href ?? `${this.settings.organizationUrl}/${this.settings.project}/_workitems/edit/${workItem.id}` },
      title: String(f['System.Title'] ?? ''),
      owner: ownerOf(f['System.Description']),
      due: typeof f[DUE] === 'string' ? (f[DUE] as string).slice(0, 10) : '',
      done: f['System.State'] === this.settings.doneState,
      updatedAt: new Date(String(f['System.ChangedDate'])),
      ...(changedBy ? { updatedBy: changedBy } : {}),
      ...(tag ? { marker: `incident-room:${tag[1]}/${tag[2]}` } : {}),
    };
  }

  private async call<T>(method: string, path: string, body: unknown, what: string): Promise<T> {
    const url = `${this.settings.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(this.settings.project)}/_apis/wit${path}`;
    const contentType = method === 'POST' && path.startsWith('/wiql') ? 'application/json' : 'application/json-patch+json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: `Basic ${Buffer.from(`:${this.settings.pat}`).toString('base64')}`, Accept: 'application/json', ...(body ? { 'Content-Type': contentType } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw translateHttpError(error, what);
    }
    if (response.ok) return (await response.json()) as T;
    const text = await response.text().catch(() => '');
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // Not JSON (a proxy's page): kept as it came.
    }
    throw translateHttpError({ statusCode: response.status, message, headers: response.headers }, what, HINTS);
  }
}

/** The service hook's "Basic authentication" user name and password, as the subscription sends them. */
export function verifyServiceHookAuth(delivery: TrackerDelivery, auth: { username: string; password: string }): boolean {
  const given = delivery.headers.authorization;
  if (typeof given !== 'string' || !/^Basic /i.test(given)) return false;
  return sameSecret(given.slice(6).trim(), Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
}
