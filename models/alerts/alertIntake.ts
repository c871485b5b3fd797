/**
 * Monitors declare incidents. An alert is stored before anything else happens (the webhook is
 * answered once it is durable), then processed: a firing alert opens an incident for its
 * fingerprint, or attaches to the one already open (an alert storm makes one incident); a
 * resolved alert is recorded and suggested on the card, and resolves the incident only when
 * configured. Processing is idempotent (deterministic ids everywhere), so a retry, a crash or a
 * second replica never doubles an effect; whatever is left pending is picked up by the sweep.
 */
import { alertSeverity, type Alert, type AlertSource } from './alerts.js';
import { declareIncident, incidentIdFor } from '../warRoom/declareIncident.js';
import { deterministicId } from '../support/ids.js';
import { incidentLabel, type Incident } from '../incident/incident.js';
import type { ActionResult, IncidentActions } from '../actions/incidentActions.js';
import { KeyedQueue } from '../support/keyedQueue.js';
import { isOpen } from '../incident/lifecycle.js';
import type { AlertStore, StoredAlert } from '../ports/alertStore.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import type { Logger } from '../ports/logger.js';
import type { Severity } from '../incident/severity.js';
import { timelineEvent, type Actor } from '../incident/timeline.js';

export interface AlertIntakeDeps {
  readonly store: IncidentStore;
  readonly alerts: AlertStore;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly tenantId: string;
  readonly severityWords: Readonly<Record<string, Severity>>;
  readonly defaultSeverity: Severity;
  /** ALERT_AUTO_RESOLVE: a resolved alert resolves the incident (otherwise it is only suggested). */
  readonly autoResolve: boolean;
  /** Starts the war room (and, through it, paging) for a new incident. */
  readonly provision: (incidentId: string) => void;
}

const MONITOR_NAMES: Readonly<Record<AlertSource, string>> = { generic: 'Monitor', alertmanager: 'Alertmanager', grafana: 'Grafana' };
/** The sweep leaves alerts younger than this to the process that received them. */
const SWEEP_GRACE_MS = 30_000;
const SWEEP_BATCH = 500;
/**
 * A lane waits this long before taking its alerts, so a storm is handled in batches (one lookup
 * and two writes each) rather than thousands of single alerts competing with intake; batches are
 * capped so no single write holds the process (the embedded database runs in it) for long.
 */
const BATCH_WINDOW_MS = 100;
const MAX_BATCH = 250;

const monitor = (source: AlertSource): Actor => ({ kind: 'monitor', id: `monitor:${source}`, name: MONITOR_NAMES[source] });

export class AlertIntake {
  /** One fingerprint at a time in this process; alerts arriving meanwhile are taken as one batch. */
  private readonly lanes = new KeyedQueue();
  private readonly waiting = new Map<string, StoredAlert[]>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Group commit: alerts arriving while a write is in flight go together in the next one. */
  private writeQueue: { alerts: StoredAlert[]; done: { resolve: () => void; reject: (e: unknown) => void }[] } | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly deps: AlertIntakeDeps) {}

  /**
   * Stores the notification's alerts durably; resolves once they are safe (answer the webhook
   * then). Processing continues in the background.
   */
  async receive(alerts: readonly Alert[]): Promise<{ accepted: number }> {
    const receivedAt = this.deps.clock.now();
    const stored = alerts.map((alert): StoredAlert => ({ ...alert, id: deterministicId('alert', this.deps.tenantId, alert.deliveryKey), tenantId: this.deps.tenantId, receivedAt }));
    await this.write(stored);
    for (const alert of stored) this.enqueue(alert);
    return { accepted: stored.length };
  }

  /** Processes alerts a crashed or failing process left pending. */
  async sweep(): Promise<number> {
    const pending = await this.deps.alerts.pendingAlerts(new Date(this.deps.clock.now().getTime() - SWEEP_GRACE_MS), SWEEP_BATCH);
    for (const alert of pending) this.enqueue(alert);
    await this.drain();
    return pending.length;
  }

  /** Resolves when every received alert has been processed (for shutdown, tests and the bench). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0 || this.writing) await Promise.allSettled([...this.inFlight, this.writing]);
  }

  private write(alerts: StoredAlert[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writeQueue ??= { alerts: [], done: [] };
      this.writeQueue.alerts.push(...alerts);
      this.writeQueue.done.push({ resolve, reject });
      this.writing ??= this.flushWrites();
    });
  }

  private async flushWrites(): Promise<void> {
    while (this.writeQueue) {
      const batch = this.writeQueue;
      this.writeQueue = undefined;
      try {
        await this.deps.alerts.storeAlerts(batch.alerts);
        for (const d of batch.done) d.resolve();
      } catch (error) {
        for (const d of batch.done) d.reject(error);
      }
    }
    this.writing = undefined;
  }

  private enqueue(alert: StoredAlert): void {
    const lane = `${alert.source}|${alert.fingerprint}`;
    const list = this.waiting.get(lane);
    if (list) return void list.push(alert);
    this.waiting.set(lane, [alert]);
    const run: Promise<void> = new Promise((resolve) => setTimeout(resolve, BATCH_WINDOW_MS))
      .then(() => this.lanes.run(lane, async () => {
        const all = this.waiting.get(lane) ?? [];
        this.waiting.delete(lane);
        for (let from = 0; from < all.length; from += MAX_BATCH) await this.process(all.slice(from, from + MAX_BATCH));
      }))
      .catch((error: unknown) => this.deps.log.error({ fingerprint: alert.fingerprint, err: (error as Error).message }, 'processing alerts failed; the sweep retries them'))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** One fingerprint's alerts, in arrival order: find or open the incident, attach, mark done. */
  private async process(batch: readonly StoredAlert[]): Promise<void> {
    if (batch.length === 0) return;
    const { source, fingerprint } = batch[0]!;
    const firing = batch.filter((a) => a.status === 'firing');
    let incident = await this.currentIncident(source, fingerprint, firing[0]);
    if (!incident) {
      // Only resolved alerts, and no incident: recorded as received, nothing to attach to.
      await this.deps.alerts.markAlertsProcessed(batch.map((a) => a.id));
      return;
    }
    const actor = monitor(source);
    await this.deps.alerts.appendEvents(
      batch
        .filter((a) => a.status === 'firing' || a.partial)
        .map((a) => timelineEvent(incident!.id, 'alert_received', a.id, { at: a.receivedAt, actor, payload: { status: a.status, title: a.title, fingerprint, url: a.url, labels: a.labels } })),
    );
    for (const resolved of batch.filter((a) => a.status === 'resolved' && !a.partial)) {
      const result: ActionResult = await this.deps.actions.run('recordMonitorResolved', { incidentId: incident.id, key: `alert:${resolved.id}`, actor: { id: actor.id, name: actor.name }, via: 'app' }, { at: resolved.receivedAt, title: resolved.title, source });
      incident = result.incident ?? incident;
      if (this.deps.autoResolve && isOpen(incident.status)) {
        await this.deps.actions.run('resolve', { incidentId: incident.id, key: `alert-resolve:${resolved.id}`, actor: { id: actor.id, name: actor.name }, via: 'app' }, {});
      }
    }
    await this.deps.alerts.markAlertsProcessed(batch.map((a) => a.id));
  }

  /**
   * The fingerprint's open incident, or a new one when a firing alert arrives and there is none
   * (or the last one is over). The incident id comes from (fingerprint, generation), so two
   * replicas racing on the same storm declare the same incident once.
   */
  private async currentIncident(source: AlertSource, fingerprint: string, firing: StoredAlert | undefined): Promise<Incident | undefined> {
    const { alerts, store, tenantId } = this.deps;
    for (let attempt = 0; attempt < 3; attempt++) {
      const generation = await alerts.alertGeneration(tenantId, source, fingerprint);
      const key = `alert:${source}:${fingerprint}:${generation}`;
      const existing = await store.findById(incidentIdFor(tenantId, key));
      if (existing && isOpen(existing.status)) return existing;
      if (existing && !firing) return existing; // a late "resolved" for an incident already over
      if (existing) {
        await alerts.advanceAlertGeneration(tenantId, source, fingerprint, generation);
        continue;
      }
      if (!firing) return undefined;
      const { incident, created } = await declareIncident(
        { store, clock: this.deps.clock },
        {
          tenantId,
          reporter: { id: `monitor:${source}`, name: MONITOR_NAMES[source] },
          source: { kind: 'webhook', key, fingerprint },
          input: {
            title: firing.title,
            severity: alertSeverity(firing.severityLabel, this.deps.severityWords, this.deps.defaultSeverity),
            component: firing.component,
            description: [firing.description, firing.url ? `Source: ${firing.url}` : undefined].filter(Boolean).join('\n\n') || undefined,
          },
        },
      );
      if (created) this.deps.log.info({ incident: incidentLabel(incident), fingerprint, source }, 'a monitor declared an incident');
      this.deps.provision(incident.id);
      return incident;
    }
    throw new Error(`the incident for alert ${fingerprint} kept changing; will retry`);
  }
}
