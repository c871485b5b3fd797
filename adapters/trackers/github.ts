/**
 * GitHub issues as the action items' tracker (REST API, version 2022-11-28). An action item is
 * an issue: its title the item, its state done/open (closed as "completed", reopened), and its
 * owner and due date two lines of the body (GitHub issues have neither as free text). The body
 * also carries the item's marker, so a retry finds an issue an earlier attempt made.
 * Webhooks: the repository's `issues` events, signed with X-Hub-Signature-256.
 */
import { createHmac } from 'node:crypto';
import type { NewTrackerItem, TrackedFields, Tracker, TrackerDelivery, TrackerItem, TrackerRef, TrackerWebhookEvent } from '../../models/ports/tracker.js';
import { MARKER } from '../../models/followThrough/trackedItems.js';
import { sameSecret } from '../../http/sameSecret.js';
import { translateHttpError } from '../httpErrors.js';

export interface GitHubTrackerSettings {
  /** https://api.github.com (or GitHub Enterprise Server's /api/v3, or the local stand-in). */
  readonly apiUrl: string;
  /** owner/name */
  readonly repo: string;
  readonly token: string;
  readonly webhookSecret?: string;
}

const LABEL = 'incident-room';
const HINTS = {
  401: 'Check the GitHub token (GITHUB_TOKEN): it is wrong, expired or revoked.',
  403: 'The GitHub token may not write issues in this repository: give it Issues "Read and write" (fine-grained) or the repo scope (classic).',
  404: 'Check GITHUB_REPO (owner/name): the repository does not exist or the token cannot see it.',
  410: 'Issues are turned off in this repository (Settings → General → Features → Issues).',
  422: 'GitHub refused the issue (see the errors it listed).',
};

interface Issue {
  number: number;
  title: string;
  body?: string | null;
  state: 'open' | 'closed';
  html_url: string;
  updated_at: string;
  pull_request?: unknown;
}

const line = (body: string, name: string) => new RegExp(`^${name}: *(.*)$`, 'mi').exec(body)?.[1]?.trim() ?? '';
const NONE = '—';

export function issueBody(item: Pick<NewTrackerItem, 'owner' | 'due' | 'marker' | 'incidentLink'>): string {
  return [`Action item from an incident post-mortem: ${item.incidentLink}`, '', `Owner: ${item.owner || NONE}`, `Due: ${item.due || NONE}`, '', `<!-- ${item.marker} -->`].join('\n');
}

function withLines(body: string, change: Partial<TrackedFields>): string {
  let next = body;
  for (const [name, value] of [['Owner', change.owner], ['Due', change.due]] as const) {
    if (value === undefined) continue;
    const text = `${name}: ${value || NONE}`;
    next = new RegExp(`^${name}:.*$`, 'mi').test(next) ? next.replace(new RegExp(`^${name}:.*$`, 'mi'), text) : `${next}\n${text}`;
  }
  return next;
}

export class GitHubTracker implements Tracker {
  readonly system = 'github' as const;
  readonly name = 'GitHub';
  readonly webhooks;

  constructor(private readonly settings: GitHubTrackerSettings) {
    const secret = settings.webhookSecret;
    this.webhooks = secret ? { verify: (d: TrackerDelivery) => verifyGitHubSignature(d, secret), read: (d: TrackerDelivery) => this.read(d) } : undefined;
  }

  async find(marker: string): Promise<TrackerItem | undefined> {
    const issues = await this.list({ labels: LABEL, state: 'all' }, 'looking for the GitHub issue of an action item');
    return issues.map((i) => this.toItem(i)).find((i) => i.marker === marker);
  }

  async create(item: NewTrackerItem): Promise<TrackerItem> {
    const issue = await this.call<Issue>('POST', '/issues', { title: item.title.slice(0, 256), body: issueBody(item), labels: [LABEL, ...item.labels.filter((l) => l !== LABEL)] }, 'creating the GitHub issue');
    // An item already done when it is filed is filed closed.
    return item.done ? this.update(this.toItem(issue).ref, { done: true }) : this.toItem(issue);
  }

  async update(ref: TrackerRef, change: Partial<TrackedFields>): Promise<TrackerItem> {
    const patch: Record<string, unknown> = {};
    if (change.title !== undefined) patch.title = change.title.slice(0, 256);
    if (change.owner !== undefined || change.due !== undefined) patch.body = withLines((await this.issue(ref)).body ?? '', change);
    if (change.done !== undefined) Object.assign(patch, change.done ? { state: 'closed', state_reason: 'completed' } : { state: 'open', state_reason: 'reopened' });
    return this.toItem(await this.call<Issue>('PATCH', `/issues/${this.number(ref)}`, patch, `updating GitHub issue ${ref.key}`));
  }

  async get(ref: TrackerRef): Promise<TrackerItem> {
    return this.toItem(await this.issue(ref));
  }

  async changedSince(since: Date): Promise<TrackerItem[]> {
    const issues = await this.list({ labels: LABEL, state: 'all', since: since.toISOString() }, 'asking GitHub for changed issues');
    return issues.map((i) => this.toItem(i)).filter((i) => i.marker);
  }

  private read(delivery: TrackerDelivery): TrackerWebhookEvent {
    const deliveryId = String(delivery.headers['x-github-delivery'] ?? '');
    if (delivery.headers['x-github-event'] !== 'issues') return { deliveryId, items: [] };
    const payload = JSON.parse(delivery.rawBody) as { issue?: Issue; sender?: { login?: string; type?: string } };
    if (!payload.issue) return { deliveryId, items: [] };
    const item = this.toItem(payload.issue);
    // Our own edits come back as webhooks too; crediting them to the bot would be wrong, so they carry no person.
    const by = payload.sender?.type === 'Bot' ? undefined : payload.sender?.login;
    return { deliveryId, items: item.marker ? [{ ...item, ...(by ? { updatedBy: by } : {}) }] : [] };
  }

  private issue(ref: TrackerRef): Promise<Issue> {
    return this.call<Issue>('GET', `/issues/${this.number(ref)}`, undefined, `reading GitHub issue ${ref.key}`);
  }

  private number(ref: TrackerRef): number {
    return Number(ref.key.replace(/^#/, ''));
  }

  private async list(query: Record<string, string>, what: string): Promise<Issue[]> {
    const issues: Issue[] = [];
    for (let page = 1; page <= 20; page++) {
      const batch = await this.call<Issue[]>('GET', `/issues?${new URLSearchParams({ ...query, per_page: '100', page: String(page) })}`, undefined, what);
      issues.push(...batch.filter((i) => !i.pull_request));
      if (batch.length < 100) break;
    }
    return issues;
  }

  private toItem(issue: Issue): TrackerItem {
    const body = issue.body ?? '';
    const field = (name: string) => (line(body, name) === NONE ? '' : line(body, name));
    const marker = MARKER.exec(body)?.[0];
    return {
      ref: { system: 'github', key: `#${issue.number}`, url: issue.html_url },
      title: issue.title,
      owner: field('Owner'),
      due: field('Due'),
      done: issue.state === 'closed',
      updatedAt: new Date(issue.updated_at),
      ...(marker ? { marker } : {}),
    };
  }

  private async call<T>(method: string, path: string, body: unknown, what: string): Promise<T> {
    const url = `${this.settings.apiUrl.replace(/\/+$/, '')}/repos/${this.settings.repo}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: `Bearer ${this.settings.token}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28', ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw translateHttpError(error, what);
    }
    if (response.ok) return (await response.json()) as T;
    const detail = gitHubMessage(await response.text().catch(() => ''));
    // The primary rate limit is a 403 with no requests left; it resets at x-ratelimit-reset (epoch seconds).
    const limited = response.status === 403 && response.headers.get('x-ratelimit-remaining') === '0';
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    const headers = limited && reset ? { 'retry-after': String(Math.max(1, Math.ceil(reset - Date.now() / 1000))) } : response.headers;
    throw translateHttpError({ statusCode: limited ? 429 : response.status, message: detail.slice(0, 300), headers }, what, HINTS);
  }
}

/** GitHub's error body is {message, errors?: [{field, code}]}: said in words, not as JSON. */
function gitHubMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: string; errors?: { field?: string; code?: string; message?: string }[] };
    const errors = (body.errors ?? []).map((e) => e.message ?? [e.field, e.code].filter(Boolean).join(' ')).join(', ');
    return [body.message, errors].filter(Boolean).join(': ') || text;
  } catch {
    return text;
  }
}

/** X-Hub-Signature-256: "sha256=" and the hex HMAC-SHA256 of the raw body under the webhook's secret. */
export function verifyGitHubSignature(delivery: TrackerDelivery, secret: string): boolean {
  const given = delivery.headers['x-hub-signature-256'];
  if (typeof given !== 'string' || !given.startsWith('sha256=')) return false;
  const expected = `sha256=${createHmac('sha256', secret).update(delivery.rawBody).digest('hex')}`;
  return sameSecret(given.toLowerCase(), expected);
}
