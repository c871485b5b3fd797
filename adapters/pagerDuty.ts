/**
 * PagerDuty as the pager: Events API v2 out (trigger / acknowledge / resolve, one dedup key per
 * escalation level of an incident, so a retried trigger never pages twice; its V3 webhooks come
 * in through http/pagerDutyWebhook.ts). The channel still hears
 * that a page went out. 429/5xx and network failures are retried with capped backoff; what is
 * still failing goes back to the durable timer, which tries again later.
 */
import { retryAfterMs } from './httpErrors.js';
import { PermanentError, TransientError } from '../models/support/errors.js';
import { incidentLabel, type Incident } from '../models/incident/incident.js';
import type { Clock } from '../models/ports/clock.js';
import type { Messenger } from '../models/ports/messenger.js';
import type { PageRequest, Pager } from '../models/ports/pager.js';
import { backoffMs } from '../models/warRoom/provisioning.js';
import type { Severity } from '../models/incident/severity.js';
import { md } from '../models/support/markdown.js';

export interface PagerDutySettings {
  readonly eventsUrl: string;
  readonly routingKey: string;
  /** An incident's own routing key (its type's PagerDuty service); undefined: `routingKey`. */
  readonly routingKeyFor?: (incident: Incident) => string | undefined;
}

const PD_SEVERITY: Readonly<Record<Severity, string>> = { P0: 'critical', P1: 'critical', P2: 'error', P3: 'warning' };
const ATTEMPTS = 4;
const RETRY = { maxAttempts: ATTEMPTS, baseMs: 500, capMs: 8_000 };

/** The dedup key of one escalation level of one incident; webhooks come back with it as incident_key. */
export const dedupKeyFor = (incidentId: string, level: number) => `incident-room:${incidentId}:level-${level}`;
/** The dedup key of one of our pages: the incident and the level it paged. */
export const INCIDENT_KEY = /^incident-room:([0-9a-f]{24}):level-(\d+)$/;

export class PagerDutyPager implements Pager {
  readonly name = 'PagerDuty';

  constructor(
    private readonly settings: PagerDutySettings,
    private readonly messenger: Pick<Messenger, 'postNotice'>,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {}

  async page({ incident, people, level, label, link }: PageRequest): Promise<void> {
    const summary = `${incidentLabel(incident)} ${incident.severity}: ${incident.title}`.slice(0, 1024);
    await this.send(incident, {
      event_action: 'trigger',
      dedup_key: dedupKeyFor(incident.id, level),
      payload: {
        summary,
        source: 'incident-room',
        severity: PD_SEVERITY[incident.severity],
        component: incident.component,
        group: incidentLabel(incident),
        class: `escalation level ${level + 1}`,
        custom_details: { incident: incidentLabel(incident), level: level + 1, target: label, oncall: people.map((p) => p.name), status: incident.status },
      },
      links: link ? [{ href: link, text: `${incidentLabel(incident)} channel in Teams` }] : [],
      client: 'incident-room',
      client_url: link,
    });
    if (incident.channel) {
      await this.messenger.postNotice(incident, md`📟 Paged through PagerDuty (${label}, level ${level + 1}) for **${incidentLabel(incident)}**. Acknowledging here or in PagerDuty stops the escalation.`, people);
    }
  }

  acknowledge(incident: Incident): Promise<void> {
    return this.everyLevel(incident, 'acknowledge');
  }

  resolve(incident: Incident): Promise<void> {
    return this.everyLevel(incident, 'resolve');
  }

  private async everyLevel(incident: Incident, action: 'acknowledge' | 'resolve'): Promise<void> {
    const paged = incident.paging?.level;
    if (paged === undefined) return;
    for (let level = 0; level <= paged; level++) await this.send(incident, { event_action: action, dedup_key: dedupKeyFor(incident.id, level) });
  }

  /** To the incident's own service when its type names one: acknowledging and resolving must reach the service that was paged. */
  private async send(incident: Incident, event: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ routing_key: this.settings.routingKeyFor?.(incident) ?? this.settings.routingKey, ...event });
    for (let attempt = 1; ; attempt++) {
      let failure: TransientError;
      try {
        const response = await fetch(`${this.settings.eventsUrl.replace(/\/+$/, '')}/v2/enqueue`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
        if (response.status === 202) return;
        const answer = (await response.json().catch(() => ({}))) as { message?: string; errors?: string[] };
        const detail = [answer.message, ...(answer.errors ?? [])].filter(Boolean).join('; ');
        if (response.status === 400) throw new PermanentError(`PagerDuty refused the ${String(event.event_action)} event: ${detail}`, 'Check PAGERDUTY_ROUTING_KEY (the integration key of an Events API v2 integration on the service).');
        if (response.status !== 429 && response.status < 500) throw new PermanentError(`PagerDuty answered HTTP ${response.status}: ${detail}`);
        failure = new TransientError(`PagerDuty answered HTTP ${response.status}`, retryAfterMs(response.headers.get('retry-after') ?? undefined));
      } catch (error) {
        if (error instanceof PermanentError) throw error;
        failure = error instanceof TransientError ? error : new TransientError(`cannot reach PagerDuty: ${(error as Error).message}`);
      }
      // A wait longer than our own backoff ever is would hold the timer that pages: give it back to the durable job, which retries later.
      if (attempt >= ATTEMPTS || (failure.retryAfterMs ?? 0) > RETRY.capMs) throw failure;
      await this.clock.sleep(backoffMs(RETRY, attempt, this.random, failure.retryAfterMs));
    }
  }
}
