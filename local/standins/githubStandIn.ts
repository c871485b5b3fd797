/**
 * GitHub, locally: the REST issues endpoints the tracker adapter uses (create, get, list with
 * labels/state/since, update) as docs.github.com describes them — bearer token auth (401 "Bad
 * credentials"; a read-only token gets 403 "Resource not accessible by personal access token"),
 * 404 for a repository the token cannot see, 422 "Validation Failed" with its errors list, and
 * throttling (429 with Retry-After, through the fault plan). Every change, through the API or by
 * "a person on github.com" (editAs), sends an `issues` webhook signed as GitHub signs them:
 * X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(secret, raw body), with X-GitHub-Event and a
 * X-GitHub-Delivery id (redeliver sends the same delivery again).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { FaultPlan } from './faults.js';
import { close, listen, standInServer, type RecordedRequest } from './http.js';

export interface FakeIssue {
  readonly number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  updated_at: string;
  readonly created_at: string;
}

export interface SentDelivery {
  readonly id: string;
  readonly event: string;
  readonly body: string;
  status?: number;
}

const ghError = (_status: number, _code: string, message: string) => ({ message, documentation_url: 'https://docs.github.com/rest' });
const TITLE_LIMIT = 256;
const BODY_LIMIT = 65_536;

export class GitHubStandIn {
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  readonly issues = new Map<number, FakeIssue>();
  readonly deliveries: SentDelivery[] = [];
  /** Where webhooks go (the repository's webhook "Payload URL"); none are sent until it is set. */
  hookUrl?: string;
  /** The repository's Settings → Features → Issues. */
  hasIssues = true;
  url = '';
  private readonly http = standInServer('github-stand-in', this.faults, this.requests, ghError);
  private next = 1;
  /** The clock of changes (updated_at): moves a second per change, so "later" is well defined. */
  private tick = Date.parse('2026-01-01T00:00:00Z');

  constructor(readonly repo: string, readonly token: string, readonly webhookSecret: string, readonly readOnlyTokens: readonly string[] = []) {
    const { route, server } = this.http;
    server.pre(async (req: Request, res: Response) => {
      if (!req.getPath().startsWith('/repos/')) return undefined;
      const given = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (given !== this.token && !(given && this.readOnlyTokens.includes(given))) {
        res.send(401, ghError(401, '', 'Bad credentials'));
        return false;
      }
      if (given !== this.token && req.method !== 'GET') {
        res.send(403, ghError(403, '', 'Resource not accessible by personal access token'));
        return false;
      }
      return undefined;
    });
    route.get('/repos/:owner/:repo', async (req, res) => {
      if (!this.repoOk(req, res)) return;
      const push = /^(?:Bearer|token) (.+)$/.exec(req.headers.authorization ?? '')?.[1] === this.token;
      res.send(200, { full_name: this.repo, has_issues: this.hasIssues, permissions: { admin: false, maintain: false, push, triage: push, pull: true } });
    });
    route.post('/repos/:owner/:repo/issues', (req, res) => this.create(req, res));
    route.get('/repos/:owner/:repo/issues', (req, res) => this.list(req, res));
    route.get('/repos/:owner/:repo/issues/:number', (req, res) => this.getOne(req, res));
    route.patch('/repos/:owner/:repo/issues/:number', (req, res) => this.patch(req, res));
  }

  async start(port = 0): Promise<string> {
    this.url = await listen(this.http.server, port);
    return this.url;
  }

  stop(): Promise<void> {
    return close(this.http.server);
  }

  /** A person changes the issue on github.com; GitHub sends the webhook. */
  async editAs(login: string, number: number, change: Partial<Pick<FakeIssue, 'title' | 'body' | 'state'>>): Promise<SentDelivery | undefined> {
    const issue = this.issues.get(number)!;
    const action = this.apply(issue, change);
    return this.sendHook(action, issue, login);
  }

  /** GitHub's "Redeliver": the same delivery (id, body, signature) again. */
  async redeliver(delivery: SentDelivery): Promise<number> {
    return this.post(delivery);
  }

  private repoOk(req: Request, res: Response): boolean {
    if (`${String(req.params.owner)}/${String(req.params.repo)}` === this.repo) return true;
    res.send(404, ghError(404, '', 'Not Found'));
    return false;
  }

  private problems(body: Record<string, unknown>, creating: boolean): { resource: string; code: string; field: string }[] {
    const problems: { resource: string; code: string; field: string }[] = [];
    if (creating && (typeof body.title !== 'string' || !body.title.trim())) problems.push({ resource: 'Issue', code: 'missing_field', field: 'title' });
    if (typeof body.title === 'string' && body.title.length > TITLE_LIMIT) problems.push({ resource: 'Issue', code: 'invalid', field: 'title' });
    if (body.body !== undefined && body.body !== null && (typeof body.body !== 'string' || body.body.length > BODY_LIMIT)) problems.push({ resource: 'Issue', code: 'invalid', field: 'body' });
    if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') problems.push({ resource: 'Issue', code: 'invalid', field: 'state' });
    if (body.state_reason !== undefined && body.state_reason !== null && !['completed', 'not_planned', 'reopened'].includes(body.state_reason as string)) problems.push({ resource: 'Issue', code: 'invalid', field: 'state_reason' });
    if (body.labels !== undefined && (!Array.isArray(body.labels) || body.labels.some((l) => typeof l !== 'string'))) problems.push({ resource: 'Issue', code: 'invalid', field: 'labels' });
    return problems;
  }

  private async create(req: Request, res: Response) {
    if (!this.repoOk(req, res)) return;
    if (!this.hasIssues) return void res.send(410, ghError(410, '', 'Issues are disabled for this repo'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const problems = this.problems(body, true);
    if (problems.length > 0) return void res.send(422, { message: 'Validation Failed', errors: problems, documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue' });
    const at = this.stamp();
    const issue: FakeIssue = { number: this.next++, title: String(body.title), body: String(body.body ?? ''), state: 'open', state_reason: null, labels: (body.labels as string[] | undefined) ?? [], created_at: at, updated_at: at };
    this.issues.set(issue.number, issue);
    res.send(201, this.json(issue));
    void this.sendHook('opened', issue, 'incident-room[bot]');
  }

  private async list(req: Request, res: Response) {
    if (!this.repoOk(req, res)) return;
    const q = req.query as Record<string, string | undefined>;
    const labels = q.labels ? q.labels.split(',') : [];
    const state = q.state ?? 'open';
    const since = q.since ? Date.parse(q.since) : undefined;
    const perPage = Math.min(100, Number(q.per_page ?? 30));
    const page = Math.max(1, Number(q.page ?? 1));
    const all = [...this.issues.values()]
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .filter((i) => since === undefined || Date.parse(i.updated_at) >= since)
      .sort((a, b) => b.number - a.number);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    if (page * perPage < all.length) res.header('Link', `<${this.url}${req.getPath()}?${new URLSearchParams({ ...q, page: String(page + 1) } as Record<string, string>)}>; rel="next"`);
    res.send(200, slice.map((i) => this.json(i)));
  }

  private async getOne(req: Request, res: Response) {
    if (!this.repoOk(req, res)) return;
    const issue = this.issues.get(Number(req.params.number));
    if (!issue) return void res.send(404, ghError(404, '', 'Not Found'));
    res.send(200, this.json(issue));
  }

  private async patch(req: Request, res: Response) {
    if (!this.repoOk(req, res)) return;
    const issue = this.issues.get(Number(req.params.number));
    if (!issue) return void res.send(404, ghError(404, '', 'Not Found'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const problems = this.problems(body, false);
    if (problems.length > 0) return void res.send(422, { message: 'Validation Failed', errors: problems, documentation_url: 'https://docs.github.com/rest/issues/issues#update-an-issue' });
    const action = this.apply(issue, body as Partial<FakeIssue>);
    if (Array.isArray(body.labels)) issue.labels = body.labels as string[];
    res.send(200, this.json(issue));
    void this.sendHook(action, issue, 'incident-room[bot]');
  }

  private apply(issue: FakeIssue, change: Partial<Pick<FakeIssue, 'title' | 'body' | 'state' | 'state_reason'>>): string {
    let action = 'edited';
    if (typeof change.title === 'string') issue.title = change.title;
    if (typeof change.body === 'string') issue.body = change.body;
    if (change.state && change.state !== issue.state) {
      issue.state = change.state;
      // state_reason is only taken alongside a change of state (as the docs note).
      issue.state_reason = change.state === 'closed' ? (change.state_reason ?? 'completed') : 'reopened';
      action = change.state === 'closed' ? 'closed' : 'reopened';
    }
    issue.updated_at = this.stamp();
    return action;
  }

  private stamp(): string {
    // GitHub's times are whole seconds; rounded up, a change is never stamped before it happened.
    this.tick = Math.ceil(Math.max(this.tick + 1000, Date.now()) / 1000) * 1000;
    return new Date(this.tick).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private async sendHook(action: string, issue: FakeIssue, login: string): Promise<SentDelivery | undefined> {
    if (!this.hookUrl) return undefined;
    const body = JSON.stringify({ action, issue: this.json(issue), repository: { full_name: this.repo }, sender: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' } });
    const delivery: SentDelivery = { id: randomUUID(), event: 'issues', body };
    this.deliveries.push(delivery);
    await this.post(delivery);
    return delivery;
  }

  private async post(delivery: SentDelivery): Promise<number> {
    const signature = `sha256=${createHmac('sha256', this.webhookSecret).update(delivery.body).digest('hex')}`;
    try {
      const response = await fetch(this.hookUrl!, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'GitHub-Hookshot/stand-in', 'X-GitHub-Event': delivery.event, 'X-GitHub-Delivery': delivery.id, 'X-Hub-Signature-256': signature },
        body: delivery.body,
      });
      await response.text();
      delivery.status = response.status;
      return response.status;
    } catch {
      delivery.status = 0;
      return 0;
    }
  }

  private json(i: FakeIssue) {
    const html = `https://github.com/${this.repo}/issues/${i.number}`;
    return {
      number: i.number, title: i.title, body: i.body, state: i.state, state_reason: i.state_reason, html_url: html, url: `${this.url}/repos/${this.repo}/issues/${i.number}`,
      labels: i.labels.map((name) => ({ name })), created_at: i.created_at, updated_at: i.updated_at,
    };
  }
}
