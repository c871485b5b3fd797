/**
 * PagerDuty, locally: the Events API v2 (`POST /v2/enqueue`: trigger, acknowledge, resolve with
 * a dedup key; 202 on success, 400 "invalid event" with errors, 429 when rate limited) and the
 * other direction, V3 webhooks signed with `X-PagerDuty-Signature: v1=<HMAC-SHA256>`, sent when
 * someone acknowledges "in PagerDuty" (acknowledgeAsResponder). A real HTTP server, so the
 * adapter's code path is the one that runs against events.pagerduty.com.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { FaultPlan } from './faults.js';
import { close, listen, standInServer, type RecordedRequest } from './http.js';

export interface FakePagerIncident {
  readonly id: string;
  readonly number: number;
  readonly dedupKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  summary: string;
  severity: string;
  readonly createdAt: string;
  links: { href: string; text?: string }[];
  customDetails?: Record<string, unknown>;
  /** Every event enqueued for this dedup key, in order. */
  readonly actions: string[];
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const pdError = (status: number, _code: string, message: string) => ({ status: status === 429 ? 'throttle event' : 'error', message });

export class PagerDutyStandIn {
  readonly faults = new FaultPlan();
  readonly requests: RecordedRequest[] = [];
  readonly incidents = new Map<string, FakePagerIncident>();
  url = '';
  /** Where V3 webhooks go, and their signing secret (set by the test or local mode). */
  webhook?: { url: string; secret: string };
  private readonly http = standInServer('pagerduty-stand-in', this.faults, this.requests, pdError);

  constructor(readonly routingKey: string) {
    this.http.route.post('/v2/enqueue', (req, res) => this.enqueue(req, res));
    this.http.route.get('/_fake/incidents', async (_req, res) => void res.send(200, [...this.incidents.values()]));
  }

  private async enqueue(req: Request, res: Response): Promise<void> {
    const body = (req.body ?? {}) as Record<string, any>;
    const errors: string[] = [];
    if (body.routing_key !== this.routingKey) errors.push('Invalid routing key.');
    if (!['trigger', 'acknowledge', 'resolve'].includes(body.event_action)) errors.push("'event_action' is invalid (must be one of: trigger, acknowledge, resolve).");
    if (body.event_action !== 'trigger' && !body.dedup_key) errors.push("'dedup_key' is required for acknowledge and resolve events.");
    if (body.event_action === 'trigger') {
      const p = body.payload ?? {};
      if (typeof p.summary !== 'string' || !p.summary) errors.push("'payload.summary' is missing or blank.");
      else if (p.summary.length > 1024) errors.push("'payload.summary' must be at most 1024 characters.");
      if (typeof p.source !== 'string' || !p.source) errors.push("'payload.source' is missing or blank.");
      if (!SEVERITIES.includes(p.severity)) errors.push("'payload.severity' must be one of critical, error, warning, info.");
    }
    if (errors.length > 0) return void res.send(400, { status: 'invalid event', message: 'Event object is invalid', errors });

    const dedupKey: string = body.dedup_key ?? randomUUID().replace(/-/g, '');
    let incident = this.incidents.get(dedupKey);
    if (body.event_action === 'trigger') {
      if (!incident || incident.status === 'resolved') {
        incident = {
          id: `P${String(this.incidents.size + 1).padStart(6, '0')}`,
          number: this.incidents.size + 1,
          dedupKey,
          status: 'triggered',
          summary: body.payload.summary,
          severity: body.payload.severity,
          createdAt: new Date().toISOString(),
          links: body.links ?? [],
          customDetails: body.payload.custom_details,
          actions: [],
        };
        this.incidents.set(dedupKey, incident);
      } else {
        // A trigger for an open alert with the same key updates it ("deduplicated").
        incident.summary = body.payload.summary;
      }
    } else if (incident && incident.status !== 'resolved') {
      incident.status = body.event_action === 'acknowledge' ? 'acknowledged' : 'resolved';
    }
    incident?.actions.push(body.event_action);
    res.send(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  }

  /** A responder acknowledges in the PagerDuty app: the incident changes and a V3 webhook goes out. */
  async acknowledgeAsResponder(dedupKey: string, responder: { id: string; name: string }): Promise<globalThis.Response> {
    const incident = this.incidents.get(dedupKey);
    if (!incident) throw new Error(`no PagerDuty incident with dedup key ${dedupKey}`);
    incident.status = 'acknowledged';
    return this.sendWebhook('incident.acknowledged', incident, responder);
  }

  async sendWebhook(eventType: string, incident: FakePagerIncident, agent: { id: string; name: string }, options: { secret?: string } = {}): Promise<globalThis.Response> {
    if (!this.webhook) throw new Error('no webhook subscription configured on the PagerDuty stand-in');
    const body = JSON.stringify({
      event: {
        id: randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase(),
        event_type: eventType,
        resource_type: 'incident',
        occurred_at: new Date().toISOString(),
        agent: { html_url: `https://example.pagerduty.com/users/${agent.id}`, id: agent.id, self: `https://api.pagerduty.com/users/${agent.id}`, summary: agent.name, type: 'user_reference' },
        client: null,
        data: {
          id: incident.id,
          type: 'incident',
          self: `https://api.pagerduty.com/incidents/${incident.id}`,
          html_url: `https://example.pagerduty.com/incidents/${incident.id}`,
          number: incident.number,
          status: incident.status,
          incident_key: incident.dedupKey,
          created_at: incident.createdAt,
          title: incident.summary,
          service: { html_url: 'https://example.pagerduty.com/services/PSERVICE', id: 'PSERVICE', self: 'https://api.pagerduty.com/services/PSERVICE', summary: 'incident-room', type: 'service_reference' },
          assignees: [],
          escalation_policy: { id: 'PPOLICY', summary: 'Default', type: 'escalation_policy_reference' },
          teams: [],
          priority: null,
          urgency: 'high',
          conference_bridge: null,
          resolve_reason: null,
        },
      },
    });
    const signature = createHmac('sha256', options.secret ?? this.webhook.secret).update(body).digest('hex');
    return fetch(this.webhook.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-PagerDuty-Signature': `v1=${signature}`, 'User-Agent': 'PagerDuty-Webhook/V3.0' }, body });
  }

  async start(port = 0): Promise<string> {
    this.url = await listen(this.http.server, port);
    return this.url;
  }

  stop(): Promise<void> {
    return close(this.http.server);
  }
}
