/**
 * Jira Cloud, locally: the REST API v3 calls the tracker adapter makes, as developer.atlassian.com
 * describes them — basic auth with an account's email and API token (401 otherwise; an account
 * that may browse the project but not create in it gets 403 with errorMessages), create (201
 * {id, key, self}) with the field errors Jira answers in 400 {errorMessages, errors} (summary
 * required and under 255 characters, a valid project and issue type, an Atlassian Document
 * Format description, labels without spaces, a YYYY-MM-DD duedate), get, edit (PUT, 204),
 * transitions (a To Do → In Progress → Done workflow, by transition id), JQL search
 * (POST /rest/api/3/search/jql with nextPageToken; the clauses the adapter writes), my
 * permissions, and throttling through the fault plan (429 with Retry-After). Every change sends
 * an admin webhook signed as Jira Cloud signs them when a secret is set: X-Hub-Signature =
 * "sha256=" + HMAC-SHA256(secret, raw body), with X-Atlassian-Webhook-Identifier.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { FaultPlan } from './faults.js';
import { close, listen, standInServer, type RecordedRequest } from './http.js';

export interface FakeJiraIssue {
  readonly id: string;
  readonly key: string;
  summary: string;
  description: unknown;
  duedate: string | null;
  status: 'To Do' | 'In Progress' | 'Done';
  labels: string[];
  updated: string;
  readonly created: string;
  readonly issuetype: string;
}

export interface JiraDelivery {
  readonly id: string;
  readonly body: string;
  status?: number;
}

const CATEGORY = { 'To Do': 'new', 'In Progress': 'indeterminate', Done: 'done' } as const;
const TRANSITIONS = [
  { id: '11', name: 'To Do', to: 'To Do' },
  { id: '21', name: 'Start progress', to: 'In Progress' },
  { id: '31', name: 'Done', to: 'Done' },
] as const;
const ISSUE_TYPES = ['Task', 'Bug', 'Story'];
const jiraError = (_status: number, _code: string, message: string) => ({ errorMessages: [message], errors: {} });
/** Jira's timestamps: 2026-12-02T14:31:38.000+0000 */
const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

function isAdf(value: unknown): boolean {
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  return Boolean(doc) && doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content);
}

export class JiraStandIn {
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  readonly issues = new Map<string, FakeJiraIssue>();
  readonly deliveries: JiraDelivery[] = [];
  /** The admin webhook's URL; none are sent until it is set. */
  hookUrl?: string;
  url = '';
  private readonly http = standInServer('jira-stand-in', this.faults, this.requests, jiraError);
  private next = 1;
  private tick = Date.parse('2026-01-01T00:00:00Z');

  constructor(readonly projectKey: string, readonly account: { email: string; apiToken: string; displayName: string }, readonly webhookSecret: string, readonly browseOnly: readonly { email: string; apiToken: string }[] = []) {
    const { route, server } = this.http;
    server.pre(async (req: Request, res: Response) => {
      if (!req.getPath().startsWith('/rest/api/3/')) return undefined;
      const who = this.caller(req);
      if (!who) {
        res.send(401, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
        return false;
      }
      (req as Request & { browseOnly?: boolean }).browseOnly = who === 'browse';
      return undefined;
    });
    route.post('/rest/api/3/issue', (req, res) => this.create(req, res));
    route.get('/rest/api/3/issue/:key', (req, res) => this.getOne(req, res));
    route.put('/rest/api/3/issue/:key', (req, res) => this.edit(req, res));
    route.get('/rest/api/3/issue/:key/transitions', (req, res) => this.transitions(req, res));
    route.post('/rest/api/3/issue/:key/transitions', (req, res) => this.transition(req, res));
    route.post('/rest/api/3/search/jql', (req, res) => this.search(req, res));
    route.get('/rest/api/3/mypermissions', async (req, res) => {
      const browse = (req as Request & { browseOnly?: boolean }).browseOnly;
      const keys = String((req.query as Record<string, string>).permissions ?? '').split(',').filter(Boolean);
      res.send(200, { permissions: Object.fromEntries(keys.map((k) => [k, { key: k, havePermission: k === 'BROWSE_PROJECTS' || !browse }])) });
    });
  }

  async start(port = 0): Promise<string> {
    this.url = await listen(this.http.server, port);
    return this.url;
  }

  stop(): Promise<void> {
    return close(this.http.server);
  }

  /** A person changes the issue in Jira; Jira sends the admin webhook. */
  async editAs(displayName: string, key: string, change: { summary?: string; duedate?: string | null; status?: FakeJiraIssue['status']; description?: unknown }): Promise<JiraDelivery | undefined> {
    const issue = this.issues.get(key)!;
    Object.assign(issue, change);
    issue.updated = this.stamp();
    return this.sendHook('jira:issue_updated', issue, { accountId: `acct-${displayName.toLowerCase().replace(/\s+/g, '-')}`, displayName });
  }

  /** Sends the same delivery again (as Jira retries a webhook that was not answered 2xx). */
  redeliver(delivery: JiraDelivery): Promise<number> {
    return this.post(delivery);
  }

  private caller(req: Request): 'full' | 'browse' | undefined {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!basic) return undefined;
    const [email, token] = Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s);
    if (email === this.account.email && token === this.account.apiToken) return 'full';
    return this.browseOnly.some((a) => a.email === email && a.apiToken === token) ? 'browse' : undefined;
  }

  private fieldErrors(fields: Record<string, unknown>, creating: boolean): Record<string, string> {
    const errors: Record<string, string> = {};
    if (creating && (fields.project as { key?: unknown } | undefined)?.key !== this.projectKey) errors.project = 'valid project is required';
    if (creating && !ISSUE_TYPES.includes(String((fields.issuetype as { name?: unknown } | undefined)?.name))) errors.issuetype = 'Specify a valid issue type';
    if (creating || fields.summary !== undefined) {
      if (typeof fields.summary !== 'string' || !fields.summary.trim()) errors.summary = 'You must specify a summary of the issue.';
      else if (fields.summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
    }
    if (fields.description !== undefined && fields.description !== null && !isAdf(fields.description)) errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format).';
    if (fields.labels !== undefined) {
      const bad = Array.isArray(fields.labels) ? fields.labels.find((l) => typeof l !== 'string' || /\s/.test(l) || l.length > 255) : 'labels';
      if (bad !== undefined) errors.labels = `The label '${String(bad)}' contains spaces which is invalid.`;
    }
    if (fields.duedate !== undefined && fields.duedate !== null && !(typeof fields.duedate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(fields.duedate))) errors.duedate = "Error parsing date string: the format is 'yyyy-MM-dd'.";
    return errors;
  }

  private async create(req: Request, res: Response) {
    if ((req as Request & { browseOnly?: boolean }).browseOnly) return void res.send(403, { errorMessages: ['You do not have permission to create issues in this project.'], errors: {} });
    const fields = ((req.body ?? {}) as { fields?: Record<string, unknown> }).fields ?? {};
    const errors = this.fieldErrors(fields, true);
    if (Object.keys(errors).length > 0) return void res.send(400, { errorMessages: [], errors });
    const at = this.stamp();
    const number = this.next++;
    const issue: FakeJiraIssue = {
      id: String(10_000 + number), key: `${this.projectKey}-${number}`, summary: String(fields.summary), description: fields.description ?? null,
      duedate: (fields.duedate as string | null | undefined) ?? null, status: 'To Do', labels: (fields.labels as string[] | undefined) ?? [], created: at, updated: at, issuetype: String((fields.issuetype as { name: string }).name),
    };
    this.issues.set(issue.key, issue);
    res.send(201, { id: issue.id, key: issue.key, self: `${this.url}/rest/api/3/issue/${issue.id}` });
    void this.sendHook('jira:issue_created', issue, { accountId: 'acct-incident-room', displayName: this.account.displayName });
  }

  private found(req: Request, res: Response): FakeJiraIssue | undefined {
    const issue = this.issues.get(String(req.params.key)) ?? [...this.issues.values()].find((i) => i.id === String(req.params.key));
    if (!issue) res.send(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
    return issue;
  }

  private async getOne(req: Request, res: Response) {
    const issue = this.found(req, res);
    if (issue) res.send(200, this.json(issue));
  }

  private async edit(req: Request, res: Response) {
    const issue = this.found(req, res);
    if (!issue) return;
    if ((req as Request & { browseOnly?: boolean }).browseOnly) return void res.send(403, { errorMessages: ['You do not have permission to edit issues in this project.'], errors: {} });
    const fields = ((req.body ?? {}) as { fields?: Record<string, unknown> }).fields ?? {};
    const errors = this.fieldErrors(fields, false);
    if (Object.keys(errors).length > 0) return void res.send(400, { errorMessages: [], errors });
    for (const name of ['summary', 'description', 'duedate', 'labels'] as const) if (fields[name] !== undefined) (issue as unknown as Record<string, unknown>)[name] = fields[name];
    issue.updated = this.stamp();
    res.send(204);
    void this.sendHook('jira:issue_updated', issue, { accountId: 'acct-incident-room', displayName: this.account.displayName });
  }

  private async transitions(req: Request, res: Response) {
    const issue = this.found(req, res);
    if (!issue) return;
    res.send(200, { transitions: TRANSITIONS.filter((t) => t.to !== issue.status).map((t) => ({ id: t.id, name: t.name, to: { name: t.to, statusCategory: { key: CATEGORY[t.to] } }, isAvailable: true })) });
  }

  private async transition(req: Request, res: Response) {
    const issue = this.found(req, res);
    if (!issue) return;
    if ((req as Request & { browseOnly?: boolean }).browseOnly) return void res.send(403, { errorMessages: ['You do not have permission to transition this issue.'], errors: {} });
    const id = ((req.body ?? {}) as { transition?: { id?: unknown } }).transition?.id;
    const transition = TRANSITIONS.find((t) => t.id === String(id) && t.to !== issue.status);
    if (!transition) return void res.send(400, { errorMessages: [`Transition id '${String(id)}' is not valid for this issue.`], errors: {} });
    issue.status = transition.to;
    issue.updated = this.stamp();
    res.send(204);
    void this.sendHook('jira:issue_updated', issue, { accountId: 'acct-incident-room', displayName: this.account.displayName });
  }

  /** The JQL the adapter writes: `project = "K"`, `labels = "x"`, `updated >= "yyyy/MM/dd HH:mm"`, joined by AND. */
  private async search(req: Request, res: Response) {
    const body = (req.body ?? {}) as { jql?: string; maxResults?: number; nextPageToken?: string };
    const clauses = String(body.jql ?? '').replace(/\s+ORDER BY.*$/i, '').split(/\s+AND\s+/i).filter(Boolean);
    if (clauses.length === 0) return void res.send(400, { errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'], errors: {} });
    const tests: ((i: FakeJiraIssue) => boolean)[] = [];
    for (const clause of clauses) {
      const m = /^(project|labels)\s*=\s*"?([^"]+)"?$/i.exec(clause.trim()) ?? /^(updated)\s*>=\s*"([^"]+)"$/i.exec(clause.trim());
      if (!m) return void res.send(400, { errorMessages: [`Error in the JQL Query: the clause '${clause}' is not understood here.`], errors: {} });
      const [, field, value] = m as unknown as [string, string, string];
      if (field.toLowerCase() === 'project') tests.push(() => value === this.projectKey);
      else if (field.toLowerCase() === 'labels') tests.push((i) => i.labels.includes(value));
      else tests.push((i) => Date.parse(i.updated.replace('+0000', 'Z')) >= Date.parse(`${value.replace(/\//g, '-').replace(' ', 'T')}:00Z`));
    }
    const all = [...this.issues.values()].filter((i) => tests.every((t) => t(i)));
    const start = Number(body.nextPageToken ?? 0);
    const size = Math.min(100, body.maxResults ?? 50);
    const page = all.slice(start, start + size);
    res.send(200, { issues: page.map((i) => this.json(i)), ...(start + size < all.length ? { nextPageToken: String(start + size) } : {}) });
  }

  private stamp(): string {
    this.tick = Math.ceil(Math.max(this.tick + 1000, Date.now()) / 1000) * 1000;
    return jiraTime(this.tick);
  }

  private async sendHook(event: string, issue: FakeJiraIssue, user: { accountId: string; displayName: string }): Promise<JiraDelivery | undefined> {
    if (!this.hookUrl) return undefined;
    const delivery: JiraDelivery = { id: randomUUID(), body: JSON.stringify({ timestamp: Date.now(), webhookEvent: event, issue_event_type_name: 'issue_generic', user, issue: this.json(issue) }) };
    this.deliveries.push(delivery);
    await this.post(delivery);
    return delivery;
  }

  private async post(delivery: JiraDelivery): Promise<number> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Identifier': delivery.id };
    if (this.webhookSecret) headers['X-Hub-Signature'] = `sha256=${createHmac('sha256', this.webhookSecret).update(delivery.body).digest('hex')}`;
    try {
      const response = await fetch(this.hookUrl!, { method: 'POST', headers, body: delivery.body });
      await response.text();
      delivery.status = response.status;
    } catch {
      delivery.status = 0;
    }
    return delivery.status;
  }

  private json(i: FakeJiraIssue) {
    return {
      id: i.id, key: i.key, self: `${this.url}/rest/api/3/issue/${i.id}`,
      fields: {
        summary: i.summary, description: i.description, duedate: i.duedate, labels: i.labels, updated: i.updated, created: i.created,
        issuetype: { name: i.issuetype }, project: { key: this.projectKey }, status: { name: i.status, statusCategory: { key: CATEGORY[i.status] } },
      },
    };
  }
}
