/**
 * Statuspage, locally: the REST API v1 incident endpoints incident-room uses (create, patch,
 * list unresolved), with `Authorization: OAuth <key>`, its validation (422), 401/404 and
 * throttling. A real HTTP server, so the adapter's code path is the one that runs against
 * api.statuspage.io.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { FaultPlan } from './faults.js';
import { close, listen, standInServer, type RecordedRequest } from './http.js';

export interface FakePublicIncident {
  readonly id: string;
  name: string;
  status: string;
  impact: string;
  readonly shortlink: string;
  readonly metadata?: Record<string, unknown>;
  /** Every public update, oldest first (what customers saw). */
  readonly updates: { status: string; body: string; at: string }[];
}

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];
const IMPACTS = ['none', 'minor', 'major', 'critical'];
const spError = (_status: number, _code: string, message: string) => ({ error: message });

export class StatuspageStandIn {
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  readonly incidents = new Map<string, FakePublicIncident>();
  url = '';
  private readonly http = standInServer('statuspage-stand-in', this.faults, this.requests, spError);

  constructor(readonly pageId: string, readonly apiKey: string) {
    const { route, server } = this.http;
    server.pre(async (req: Request, res: Response) => {
      if (!req.getPath().startsWith('/v1/')) return undefined;
      if (req.headers.authorization !== `OAuth ${this.apiKey}`) {
        res.send(401, { error: 'Could not authenticate' });
        return false;
      }
      return undefined;
    });
    route.get('/v1/pages/:page/incidents/unresolved', async (req, res) => {
      if (!this.page(req, res)) return;
      res.send(200, [...this.incidents.values()].filter((i) => i.status !== 'resolved').map((i) => this.json(i)));
    });
    route.post('/v1/pages/:page/incidents', (req, res) => this.create(req, res));
    route.patch('/v1/pages/:page/incidents/:incident', (req, res) => this.patch(req, res));
  }

  async start(port = 0): Promise<string> {
    this.url = await listen(this.http.server, port);
    return this.url;
  }

  stop(): Promise<void> {
    return close(this.http.server);
  }

  private page(req: Request, res: Response): boolean {
    if (req.params.page === this.pageId) return true;
    res.send(404, { error: 'Page not found' });
    return false;
  }

  private problems(incident: Record<string, unknown>, creating: boolean): string[] {
    const problems: string[] = [];
    if (creating && (typeof incident.name !== 'string' || !incident.name.trim())) problems.push("name can't be blank");
    if (incident.status !== undefined && !STATUSES.includes(incident.status as string)) problems.push('status is not included in the list');
    if (incident.body !== undefined && (typeof incident.body !== 'string' || incident.body.length > 25_000)) problems.push('body is invalid');
    if (incident.impact_override !== undefined && !IMPACTS.includes(incident.impact_override as string)) problems.push('impact_override is not included in the list');
    return problems;
  }

  private async create(req: Request, res: Response) {
    if (!this.page(req, res)) return;
    const incident = ((req.body ?? {}) as { incident?: Record<string, unknown> }).incident ?? {};
    const problems = this.problems(incident, true);
    if (problems.length > 0) return void res.send(422, { error: problems });
    const id = randomUUID().replace(/-/g, '').slice(0, 12);
    const created: FakePublicIncident = {
      id,
      name: String(incident.name),
      status: String(incident.status ?? 'investigating'),
      impact: String(incident.impact_override ?? 'none'),
      shortlink: `${this.url}/status/${id}`,
      metadata: incident.metadata as Record<string, unknown> | undefined,
      updates: [{ status: String(incident.status ?? 'investigating'), body: String(incident.body ?? ''), at: new Date().toISOString() }],
    };
    this.incidents.set(id, created);
    res.send(201, this.json(created));
  }

  private async patch(req: Request, res: Response) {
    if (!this.page(req, res)) return;
    const found = this.incidents.get(String(req.params.incident));
    if (!found) return void res.send(404, { error: 'Incident not found' });
    const incident = ((req.body ?? {}) as { incident?: Record<string, unknown> }).incident ?? {};
    const problems = this.problems(incident, false);
    if (problems.length > 0) return void res.send(422, { error: problems });
    if (typeof incident.status === 'string') found.status = incident.status;
    found.updates.push({ status: found.status, body: String(incident.body ?? ''), at: new Date().toISOString() });
    res.send(200, this.json(found));
  }

  private json(i: FakePublicIncident) {
    return { id: i.id, name: i.name, status: i.status, impact: i.impact, shortlink: i.shortlink, metadata: i.metadata ?? {}, incident_updates: [...i.updates].reverse() };
  }
}
