/**
 * Jira Cloud issues as the action items' tracker (REST API v3, basic auth with an account's
 * email and API token). An action item is an issue of the project: its summary the item, its due
 * date Jira's own, done its status being in the Done category (reached by a transition), and its
 * owner a line of the description (Jira's assignee takes an account, the post-mortem's owner is
 * free text). The description is Atlassian Document Format. The item's marker is a label, so a
 * retry finds an issue an earlier attempt made by JQL. Webhooks: an admin webhook with a secret,
 * signed X-Hub-Signature (sha256=HMAC of the body).
 */
import { createHmac } from 'node:crypto';
import type { NewTrackerItem, TrackedFields, Tracker, TrackerDelivery, TrackerItem, TrackerRef, TrackerWebhookEvent } from '../../models/ports/tracker.js';
import { sameSecret } from '../../http/sameSecret.js';
import { translateHttpError } from '../httpErrors.js';

export interface JiraTrackerSettings {
  /** https://<site>.atlassian.net (or the local stand-in). */
  readonly siteUrl: string;
  readonly email: string;
  readonly apiToken: string;
  readonly projectKey: string;
  readonly issueType: string;
  readonly webhookSecret?: string;
}

const LABEL = 'incident-room';
const FIELDS = ['summary', 'description', 'duedate', 'status', 'labels', 'updated'];
const HINTS = {
  401: 'Check JIRA_EMAIL and JIRA_API_TOKEN (an API token of that Atlassian account, id.atlassian.com → Security → API tokens).',
  403: 'The Jira account may not create, edit or transition issues in this project: give it Browse projects, Create issues, Edit issues and Transition issues.',
  404: 'Check JIRA_PROJECT_KEY and the site URL: the project or issue does not exist, or the account cannot see it.',
  400: 'Jira refused the issue (see the fields it named; JIRA_ISSUE_TYPE must be an issue type of the project).',
};

interface JiraIssue {
  id: string;
  key: string;
  fields: { summary: string; description?: Adf | null; duedate?: string | null; labels?: string[]; updated: string; status?: { statusCategory?: { key?: string } } };
}
interface Adf { type: string; version?: number; content?: Adf[]; text?: string; marks?: { type: string; attrs?: Record<string, string> }[] }
interface Transition { id: string; to?: { statusCategory?: { key?: string } } }

const text = (value: string, href?: string): Adf => ({ type: 'text', text: value, ...(href ? { marks: [{ type: 'link', attrs: { href } }] } : {}) });
const paragraph = (...content: Adf[]): Adf => ({ type: 'paragraph', content });

/** The description: where the item comes from, and its owner (a line people may edit in Jira). */
export function jiraDescription(owner: string, incidentLink: string): Adf {
  return { type: 'doc', version: 1, content: [paragraph(text('Action item from an incident post-mortem: '), text(incidentLink, incidentLink)), paragraph(text(`Owner: ${owner || '—'}`))] };
}

const plainText = (node: Adf | null | undefined): string => (!node ? '' : node.type === 'text' ? (node.text ?? '') : (node.content ?? []).map(plainText).join(node.type === 'doc' ? '\n' : ''));

function ownerOf(description: Adf | null | undefined): string {
  const owner = /^Owner: *(.*)$/m.exec(plainText(description))?.[1]?.trim() ?? '';
  return owner === '—' ? '' : owner;
}

function withOwner(description: Adf | null | undefined, owner: string, incidentLink: string): Adf {
  if (!description?.content) return jiraDescription(owner, incidentLink);
  const content = description.content.map((node) => (/^Owner:/.test(plainText(node)) ? paragraph(text(`Owner: ${owner || '—'}`)) : node));
  return { ...description, content: content.some((n) => /^Owner:/.test(plainText(n))) ? content : [...content, paragraph(text(`Owner: ${owner || '—'}`))] };
}

/** Jira labels take no spaces: the marker `incident-room:<incident>/<item>` as a label, and back. */
const markerLabel = (marker: string) => marker.replace(':', '_').replace('/', '_');
const LABEL_MARKER = /^incident-room_([a-f0-9]{24})_([A-Za-z0-9_-]{1,64})$/;
const labelOf = (kind: string) => kind.replace(/\s+/g, '-');

export class JiraTracker implements Tracker {
  readonly system = 'jira' as const;
  readonly name = 'Jira';
  readonly webhooks;

  constructor(private readonly settings: JiraTrackerSettings) {
    const secret = settings.webhookSecret;
    this.webhooks = secret ? { verify: (d: TrackerDelivery) => verifyJiraSignature(d, secret), read: (d: TrackerDelivery) => this.read(d) } : undefined;
  }

  async find(marker: string): Promise<TrackerItem | undefined> {
    const [found] = await this.search(`project = "${this.settings.projectKey}" AND labels = "${markerLabel(marker)}"`, 'looking for the Jira issue of an action item');
    return found && this.toItem(found);
  }

  async create(item: NewTrackerItem): Promise<TrackerItem> {
    const fields = {
      project: { key: this.settings.projectKey },
      issuetype: { name: this.settings.issueType },
      summary: item.title.slice(0, 254),
      description: jiraDescription(item.owner, item.incidentLink),
      labels: [LABEL, markerLabel(item.marker), ...item.labels.filter((l) => l !== LABEL).map(labelOf)],
      duedate: item.due || null,
    };
    const created = await this.call<{ key: string }>('POST', '/issue', { fields }, 'creating the Jira issue');
    const ref = this.refOf(created.key);
    if (item.done) await this.moveTo(ref, true);
    return this.get(ref);
  }

  async update(ref: TrackerRef, change: Partial<TrackedFields>): Promise<TrackerItem> {
    const fields: Record<string, unknown> = {};
    if (change.title !== undefined) fields.summary = change.title.slice(0, 254);
    if (change.due !== undefined) fields.duedate = change.due || null;
    if (change.owner !== undefined) {
      const current = await this.issue(ref);
      fields.description = withOwner(current.fields.description, change.owner, '');
    }
    if (Object.keys(fields).length > 0) await this.call('PUT', `/issue/${encodeURIComponent(ref.key)}`, { fields }, `updating Jira issue ${ref.key}`);
    if (change.done !== undefined) await this.moveTo(ref, change.done);
    return this.get(ref);
  }

  async get(ref: TrackerRef): Promise<TrackerItem> {
    return this.toItem(await this.issue(ref));
  }

  async changedSince(since: Date): Promise<TrackerItem[]> {
    const at = since.toISOString().slice(0, 16).replace('T', ' ').replace(/-/g, '/');
    return (await this.search(`project = "${this.settings.projectKey}" AND labels = "${LABEL}" AND updated >= "${at}"`, 'asking Jira for changed issues')).map((i) => this.toItem(i)).filter((i) => i.marker);
  }

  /** Done or reopened: a transition to a status of the Done category, or out of it (to To Do first). */
  private async moveTo(ref: TrackerRef, done: boolean): Promise<void> {
    const { transitions } = await this.call<{ transitions: Transition[] }>('GET', `/issue/${encodeURIComponent(ref.key)}/transitions`, undefined, `reading Jira issue ${ref.key}'s transitions`);
    const category = (t: Transition) => t.to?.statusCategory?.key;
    const pick = done ? transitions.find((t) => category(t) === 'done') : (transitions.find((t) => category(t) === 'new') ?? transitions.find((t) => category(t) === 'indeterminate'));
    if (!pick) throw translateHttpError({ statusCode: 409, message: `no transition ${done ? 'to Done' : 'out of Done'} is available for ${ref.key} in its workflow` }, `moving Jira issue ${ref.key}`);
    await this.call('POST', `/issue/${encodeURIComponent(ref.key)}/transitions`, { transition: { id: pick.id } }, `moving Jira issue ${ref.key}`);
  }

  private read(delivery: TrackerDelivery): TrackerWebhookEvent {
    const deliveryId = String(delivery.headers['x-atlassian-webhook-identifier'] ?? '');
    const payload = JSON.parse(delivery.rawBody) as { webhookEvent?: string; issue?: JiraIssue; user?: { displayName?: string; emailAddress?: string } };
    if (!payload.issue || !/^jira:issue_(created|updated)$/.test(payload.webhookEvent ?? '')) return { deliveryId, items: [] };
    const item = this.toItem(payload.issue);
    const by = payload.user?.displayName;
    return { deliveryId, items: item.marker ? [{ ...item, ...(by ? { updatedBy: by } : {}) }] : [] };
  }

  private issue(ref: TrackerRef): Promise<JiraIssue> {
    return this.call<JiraIssue>('GET', `/issue/${encodeURIComponent(ref.key)}?fields=${FIELDS.join(',')}`, undefined, `reading Jira issue ${ref.key}`);
  }

  private async search(jql: string, what: string): Promise<JiraIssue[]> {
    const issues: JiraIssue[] = [];
    let nextPageToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const answer = await this.call<{ issues: JiraIssue[]; nextPageToken?: string }>('POST', '/search/jql', { jql, fields: FIELDS, maxResults: 100, ...(nextPageToken ? { nextPageToken } : {}) }, what);
      issues.push(...answer.issues);
      nextPageToken = answer.nextPageToken;
      if (!nextPageToken) break;
    }
    return issues;
  }

  private refOf(key: string): TrackerRef {
    return { system: 'jira', key, url: `${this.settings.siteUrl.replace(/\/+$/, '')}/browse/${key}` };
  }

  private toItem(issue: JiraIssue): TrackerItem {
    const label = (issue.fields.labels ?? []).map((l) => LABEL_MARKER.exec(l)).find(Boolean);
    return {
      ref: this.refOf(issue.key),
      title: issue.fields.summary,
      owner: ownerOf(issue.fields.description),
      due: issue.fields.duedate ?? '',
      done: issue.fields.status?.statusCategory?.key === 'done',
      updatedAt: new Date(issue.fields.updated.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')),
      ...(label ? { marker: `incident-room:${label[1]}/${label[2]}` } : {}),
    };
  }

  private async call<T>(method: string, path: string, body: unknown, what: string): Promise<T> {
    const url = `${this.settings.siteUrl.replace(/\/+$/, '')}/rest/api/3${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: `Basic ${Buffer.from(`${this.settings.email}:${this.settings.apiToken}`).toString('base64')}`, Accept: 'application/json', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw translateHttpError(error, what);
    }
    if (response.status === 204) return undefined as T;
    if (response.ok) return (await response.json()) as T;
    throw translateHttpError({ statusCode: response.status, message: jiraMessage(await response.text().catch(() => '')), headers: response.headers }, what, HINTS);
  }
}

/** Jira's error body is {errorMessages: [...], errors: {field: message}}: said in words. */
function jiraMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errorMessages?: string[]; errors?: Record<string, string> };
    const words = [...(parsed.errorMessages ?? []), ...Object.entries(parsed.errors ?? {}).map(([field, message]) => `${field}: ${message}`)];
    return words.join('; ') || body.slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

/** X-Hub-Signature: "sha256=" and the hex HMAC-SHA256 of the raw body under the admin webhook's secret. */
export function verifyJiraSignature(delivery: TrackerDelivery, secret: string): boolean {
  const given = delivery.headers['x-hub-signature'];
  if (typeof given !== 'string' || !given.startsWith('sha256=')) return false;
  return sameSecret(given.toLowerCase(), `sha256=${createHmac('sha256', secret).update(delivery.rawBody).digest('hex')}`);
}
