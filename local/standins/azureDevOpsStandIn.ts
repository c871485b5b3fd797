/**
 * Azure DevOps Services, locally: the Work Item Tracking REST calls (api-version 7.1) the
 * tracker adapter makes, as Microsoft Learn's "Work Items - Create / Update / Get Work Items
 * Batch" and "Wiql - Query By Wiql" pages describe them — a personal access token in basic auth
 * (401 otherwise; a token with read-only Work Items scope gets 403), JSON Patch bodies
 * (application/json-patch+json, else 415), the api-version required (400 without), 400 rule
 * errors in Azure DevOps' error shape (TF401320 for a required field, TF51535 for a field the
 * type lacks, TF401347 for a state the type lacks), 404 TF401232 for a work item that does not
 * exist, throttling through the fault plan (429 with Retry-After). Every change sends the
 * service hook (workitem.created / workitem.updated) with the subscription's basic auth.
 * Also the type's states (Work Item Type States - List) and validateOnly creates, for the doctor.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { FaultPlan } from './faults.js';
import { close, listen, standInServer, type RecordedRequest } from './http.js';

export interface FakeWorkItem {
  readonly id: number;
  rev: number;
  readonly type: string;
  fields: Record<string, unknown>;
}

export interface ServiceHookDelivery {
  readonly id: string;
  readonly body: string;
  status?: number;
}

/** The work item types of the project's process, with their states and the fields they have. */
const TYPES: Readonly<Record<string, { states: readonly string[]; fields: readonly string[] }>> = {
  Task: { states: ['New', 'Active', 'Closed', 'Removed'], fields: ['System.Title', 'System.Description', 'System.State', 'System.Tags', 'System.AssignedTo', 'Microsoft.VSTS.Scheduling.DueDate', 'Microsoft.VSTS.Scheduling.RemainingWork'] },
  Issue: { states: ['Active', 'Closed'], fields: ['System.Title', 'System.Description', 'System.State', 'System.Tags', 'Microsoft.VSTS.Scheduling.DueDate'] },
};
const adoError = (_status: number, typeKey: string, message: string) => ({ $id: '1', innerException: null, message, typeName: `Microsoft.TeamFoundation.WorkItemTracking.Server.${typeKey}, Microsoft.TeamFoundation.WorkItemTracking.Server`, typeKey, errorCode: 0, eventId: 3200 });

export class AzureDevOpsStandIn {
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  readonly workItems = new Map<number, FakeWorkItem>();
  readonly deliveries: ServiceHookDelivery[] = [];
  /** The service hook subscription's URL and basic auth; none are sent until the URL is set. */
  hookUrl?: string;
  url = '';
  private readonly http = standInServer('azure-devops-stand-in', this.faults, this.requests, adoError);
  private next = 1;
  private tick = Date.parse('2026-01-01T00:00:00Z');

  constructor(readonly organization: string, readonly project: string, readonly pat: string, readonly hookAuth: { username: string; password: string }, readonly readOnlyPats: readonly string[] = []) {
    const { route, server } = this.http;
    server.pre(async (req: Request, res: Response) => {
      if (!req.getPath().includes('/_apis/')) return undefined;
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const token = basic ? Buffer.from(basic, 'base64').toString('utf8').split(/:(.*)/s)[1] : undefined;
      if (token !== this.pat && !(token && this.readOnlyPats.includes(token))) {
        res.send(401, adoError(401, 'UnauthorizedRequestException', "TF400813: The user '' is not authorized to access this resource."));
        return false;
      }
      if (token !== this.pat && req.method !== 'GET' && !req.getPath().endsWith('/wiql')) {
        res.send(403, adoError(403, 'UnauthorizedAccessException', 'VS403403: The personal access token does not have the scope vso.work_write needed to change work items.'));
        return false;
      }
      // Checked before the query string is parsed for the routes: read from the URL itself.
      if (new URL(req.url ?? '/', 'http://stand-in').searchParams.get('api-version') !== '7.1') {
        res.send(400, adoError(400, 'VssVersionNotSpecifiedException', 'No api-version was supplied for the request. An api-version of 7.1 must be supplied.'));
        return false;
      }
      return undefined;
    });
    const base = `/${organization}/${project}/_apis/wit`;
    route.post(`${base}/workitems/:type`, (req, res) => this.create(req, res));
    route.patch(`${base}/workitems/:id`, (req, res) => this.update(req, res));
    route.get(`${base}/workitems/:id`, (req, res) => this.getOne(req, res));
    route.get(`${base}/workitems`, (req, res) => this.batch(req, res));
    route.post(`${base}/wiql`, (req, res) => this.wiql(req, res));
    route.get(`${base}/workitemtypes/:type/states`, async (req, res) => {
      const type = TYPES[String(req.params.type)];
      if (!type) return void res.send(404, adoError(404, 'WorkItemTypeNotFoundException', `TF201077: Work item type ${String(req.params.type)} does not exist in project ${project}.`));
      res.send(200, { count: type.states.length, value: type.states.map((name, n) => ({ name, category: n === 0 ? 'Proposed' : name === 'Closed' ? 'Completed' : name === 'Removed' ? 'Removed' : 'InProgress' })) });
    });
    route.get(`/${organization}/_apis/projects/:project`, async (req, res) => {
      if (req.params.project !== project) return void res.send(404, adoError(404, 'ProjectDoesNotExistWithNameException', `TF200016: The following project does not exist: ${String(req.params.project)}.`));
      res.send(200, { id: 'b6e4f1c2-0000-4000-8000-000000000001', name: project, state: 'wellFormed' });
    });
  }

  async start(port = 0): Promise<string> {
    this.url = await listen(this.http.server, port);
    return this.url;
  }

  stop(): Promise<void> {
    return close(this.http.server);
  }

  /** A person changes the work item in Azure Boards; the service hook follows. */
  async editAs(displayName: string, id: number, fields: Record<string, unknown>): Promise<ServiceHookDelivery | undefined> {
    const item = this.workItems.get(id)!;
    this.change(item, fields, displayName);
    return this.sendHook('workitem.updated', item);
  }

  redeliver(delivery: ServiceHookDelivery): Promise<number> {
    return this.post(delivery);
  }

  private patchOps(req: Request, res: Response): { op: string; path: string; value?: unknown }[] | undefined {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json-patch+json')) {
      res.send(415, adoError(415, 'UnsupportedMediaTypeException', 'The request entity must be application/json-patch+json.'));
      return undefined;
    }
    // JSON Patch is not plain application/json: the body arrives as text.
    let ops: unknown = req.body;
    try {
      if (typeof ops === 'string' || Buffer.isBuffer(ops)) ops = JSON.parse(String(ops));
    } catch {
      ops = undefined;
    }
    if (!Array.isArray(ops) || ops.some((o) => typeof o?.op !== 'string' || typeof o?.path !== 'string')) {
      res.send(400, adoError(400, 'VssPropertyValidationException', 'You must pass a valid patch document in the body of the request.'));
      return undefined;
    }
    return ops as { op: string; path: string; value?: unknown }[];
  }

  /** What a patch would set, or the rule error Azure DevOps answers with. */
  private applyOps(type: string, current: Record<string, unknown>, ops: { op: string; path: string; value?: unknown }[], rev?: number): { fields: Record<string, unknown> } | { status: number; body: object } {
    const fields = { ...current };
    for (const op of ops) {
      if (op.op === 'test' && op.path === '/rev') {
        if (op.value !== rev) return { status: 412, body: adoError(412, 'WorkItemRevisionMismatchException', `TF26071: This work item has been changed by someone else since you opened it (revision ${String(rev)}).`) };
        continue;
      }
      const field = /^\/fields\/(.+)$/.exec(op.path)?.[1];
      if (!field || !['add', 'replace', 'remove'].includes(op.op)) return { status: 400, body: adoError(400, 'WorkItemPatchException', `The patch operation ${op.op} ${op.path} is not supported.`) };
      if (!TYPES[type]!.fields.includes(field)) return { status: 400, body: adoError(400, 'WorkItemFieldInvalidException', `TF51535: Cannot find field ${field}.`) };
      if (op.op === 'remove') delete fields[field];
      else fields[field] = op.value;
    }
    if (typeof fields['System.Title'] !== 'string' || !fields['System.Title'].trim()) return { status: 400, body: adoError(400, 'RuleValidationException', 'TF401320: Rule Error for field Title. Error code: Required, InvalidEmpty.') };
    if (fields['System.Title'].length > 255) return { status: 400, body: adoError(400, 'RuleValidationException', 'TF401320: Rule Error for field Title. Error code: MaxLength (255).') };
    if (!TYPES[type]!.states.includes(String(fields['System.State']))) return { status: 400, body: adoError(400, 'RuleValidationException', `TF401347: Invalid tree name given for work item state ${String(fields['System.State'])}; the states of ${type} are ${TYPES[type]!.states.join(', ')}.`) };
    const due = fields['Microsoft.VSTS.Scheduling.DueDate'];
    if (due !== undefined && (typeof due !== 'string' || Number.isNaN(Date.parse(due)))) return { status: 400, body: adoError(400, 'RuleValidationException', 'TF401326: Invalid field status InvalidType for field Microsoft.VSTS.Scheduling.DueDate.') };
    return { fields };
  }

  private async create(req: Request, res: Response) {
    const type = String(req.params.type).replace(/^\$/, '');
    if (!TYPES[type]) return void res.send(404, adoError(404, 'WorkItemTypeNotFoundException', `TF201077: Work item type ${type} does not exist in project ${this.project}.`));
    const ops = this.patchOps(req, res);
    if (!ops) return;
    const applied = this.applyOps(type, { 'System.State': TYPES[type]!.states[0] }, ops);
    if ('status' in applied) return void res.send(applied.status, applied.body);
    // validateOnly: the rules are checked, nothing is saved.
    if ((req.query as Record<string, string>).validateOnly === 'true') return void res.send(200, { id: -1, rev: -1, fields: applied.fields });
    const item: FakeWorkItem = { id: this.next++, rev: 0, type, fields: {} };
    this.change(item, { ...applied.fields, 'System.WorkItemType': type, 'System.TeamProject': this.project, 'System.CreatedDate': undefined }, 'incident-room');
    this.workItems.set(item.id, item);
    res.send(200, this.json(item));
    void this.sendHook('workitem.created', item);
  }

  private async update(req: Request, res: Response) {
    const item = this.found(req, res);
    if (!item) return;
    const ops = this.patchOps(req, res);
    if (!ops) return;
    const applied = this.applyOps(item.type, item.fields, ops, item.rev);
    if ('status' in applied) return void res.send(applied.status, applied.body);
    this.change(item, applied.fields, 'incident-room');
    res.send(200, this.json(item));
    void this.sendHook('workitem.updated', item);
  }

  private found(req: Request, res: Response): FakeWorkItem | undefined {
    const item = this.workItems.get(Number(req.params.id));
    if (!item) res.send(404, adoError(404, 'WorkItemUnauthorizedAccessException', `TF401232: Work item ${String(req.params.id)} does not exist, or you do not have permissions to read it.`));
    return item;
  }

  private async getOne(req: Request, res: Response) {
    const item = this.found(req, res);
    if (item) res.send(200, this.json(item));
  }

  private async batch(req: Request, res: Response) {
    const ids = String((req.query as Record<string, string>).ids ?? '').split(',').filter(Boolean).map(Number);
    if (ids.length === 0 || ids.length > 200) return void res.send(400, adoError(400, 'VssPropertyValidationException', 'ids must list 1 to 200 work item ids.'));
    res.send(200, { count: ids.length, value: ids.flatMap((id) => (this.workItems.has(id) ? [this.json(this.workItems.get(id)!)] : [])) });
  }

  /** The WIQL the adapter writes: the project, a tag CONTAINS, a ChangedDate >= (with timePrecision). */
  private async wiql(req: Request, res: Response) {
    const query = String(((req.body ?? {}) as { query?: unknown }).query ?? '');
    if (!/^SELECT \[System\.Id\] FROM WorkItems WHERE /i.test(query)) return void res.send(400, adoError(400, 'SyntaxException', 'TF51006: The query statement is missing a FROM clause or a WHERE clause.'));
    const tests: ((i: FakeWorkItem) => boolean)[] = [];
    for (const clause of query.replace(/^.*? WHERE /i, '').replace(/ ORDER BY .*$/i, '').split(/\s+AND\s+/i)) {
      const tag = /^\[System\.Tags\] CONTAINS '([^']+)'$/i.exec(clause.trim());
      const changed = /^\[System\.ChangedDate\] >= '([^']+)'$/i.exec(clause.trim());
      if (/^\[System\.TeamProject\] = @project$/i.test(clause.trim())) continue;
      if (tag) tests.push((i) => String(i.fields['System.Tags'] ?? '').split(/;\s*/).includes(tag[1]!));
      else if (changed) tests.push((i) => Date.parse(String(i.fields['System.ChangedDate'])) >= Date.parse(changed[1]!));
      else return void res.send(400, adoError(400, 'SyntaxException', `TF51005: The query references a clause that is not understood here: ${clause}`));
    }
    const found = [...this.workItems.values()].filter((i) => tests.every((t) => t(i)));
    res.send(200, { queryType: 'flat', asOf: new Date().toISOString(), workItems: found.map((i) => ({ id: i.id, url: `${this.url}/${this.organization}/_apis/wit/workItems/${i.id}` })) });
  }

  private change(item: FakeWorkItem, fields: Record<string, unknown>, by: string) {
    this.tick = Math.max(this.tick + 1000, Date.now());
    const at = new Date(this.tick).toISOString();
    item.fields = { ...fields, 'System.CreatedDate': item.fields['System.CreatedDate'] ?? at, 'System.ChangedDate': at, 'System.ChangedBy': { displayName: by, uniqueName: `${by.toLowerCase().replace(/\s+/g, '.')}@contoso.example` } };
    item.rev++;
  }

  private async sendHook(eventType: 'workitem.created' | 'workitem.updated', item: FakeWorkItem): Promise<ServiceHookDelivery | undefined> {
    if (!this.hookUrl) return undefined;
    const resource = eventType === 'workitem.created' ? this.json(item) : { id: item.rev, workItemId: item.id, rev: item.rev, revisedBy: item.fields['System.ChangedBy'], revision: this.json(item) };
    const delivery: ServiceHookDelivery = { id: randomUUID(), body: JSON.stringify({ subscriptionId: 'sub-1', notificationId: this.deliveries.length + 1, id: randomUUID(), eventType, publisherId: 'tfs', resource, resourceVersion: '1.0', createdDate: new Date().toISOString() }) };
    this.deliveries.push(delivery);
    await this.post(delivery);
    return delivery;
  }

  private async post(delivery: ServiceHookDelivery): Promise<number> {
    try {
      const auth = Buffer.from(`${this.hookAuth.username}:${this.hookAuth.password}`).toString('base64');
      const response = await fetch(this.hookUrl!, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Basic ${auth}` }, body: delivery.body });
      await response.text();
      delivery.status = response.status;
    } catch {
      delivery.status = 0;
    }
    return delivery.status;
  }

  private json(item: FakeWorkItem) {
    return {
      id: item.id, rev: item.rev, fields: item.fields,
      url: `${this.url}/${this.organization}/${this.project}/_apis/wit/workItems/${item.id}`,
      _links: { html: { href: `https://dev.azure.com/${this.organization}/${this.project}/_workitems/edit/${item.id}` } },
    };
  }
}
