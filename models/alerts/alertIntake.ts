/**
 * Monitors declare incidents. An alert is stored before anything else happens (the webhook is
 * answered once it is durable), then processed: a firing alert opens an incident for its
 * fingerprint, or attaches to the one already open (an alert storm makes one incident); a
 * resolved alert is recorded and suggested on the card, and resolves the incident only when
 * configured. A firing seen before (the same occurrence: see Alert.occurrenceKey) stays with the
 * incident it first joined, so a repeat or a replay after that incident is over opens nothing.
 * Processing is idempotent (deterministic ids everywhere), so a retry, a crash or a second
 * replica never doubles an effect; whatever is left pending is picked up by the sweep.
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
import { SYSTEM, timelineEvent, type Actor } from '../incident/timeline.js';

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
 * A lane waits this long before taking its alerts, so a storm is handled in batches (a few
 * lookups and writes each) rather than thousands of single alerts competing with intake; batches are
 * capped so no single write holds the process (the embedded database runs in it) for long.
 */
const BATCH_WINDOW_MS = 100;
const MAX_BATCH = 250;

const monitor = (source: AlertSource): Actor => ({ kind: 'monitor', id: `monitor:${source}`, name: MONITOR_NAMES[source] });
/** Alerts stored before occurrences existed (still in an inbox after an upgrade) are known by their delivery. */
const occurrenceOf = (alert: StoredAlert) => alert.occurrenceKey ?? alert.deliveryKey;
/** One entry per incident holds all its alerts (first/last seen, count), updated in place. */
export const alertEntryId = (incidentId: string) => timelineEvent(incidentId, 'alert_received', 'folded-alerts', { at: new Date(0), actor: SYSTEM }).id;

interface Lane {
  readonly source: AlertSource;
  readonly fingerprint: string;
  readonly generation: number;
  /** The incident of the current generation, if it was declared (open or over). */
  readonly current?: Incident;
  /** Where new firings of this fingerprint go, and the source key that declares it. */
  readonly targetId: string;
  readonly key: string;
}

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

  /**
   * One fingerprint's alerts, in arrival order: each goes to the incident its occurrence belongs
   * to (a firing seen before keeps the incident it first joined, even if that one is over: a
   * replay opens nothing); the rest go to the fingerprint's open incident, or open one. Then
   * they are folded into that incident's one alert entry, and resolved ones are reported.
   */
  private async process(batch: readonly StoredAlert[]): Promise<void> {
    if (batch.length === 0) return;
    const { source, fingerprint } = batch[0]!;
    const { alerts, store, tenantId } = this.deps;
    const lane = await this.lane(source, fingerprint);
    // Firing alerts claim their occurrence for the lane's incident (the first claim stands for
    // ever); resolved ones only ask where their firing went.
    const firing = batch.filter((a) => a.status === 'firing');
    const owners = new Map([
      ...(firing.length > 0 ? await alerts.claimOccurrences(tenantId, firing.map(occurrenceOf), lane.targetId) : []),
      ...(await alerts.occurrenceIncidents(tenantId, batch.filter((a) => a.status !== 'firing').map(occurrenceOf))),
    ]);
    const groups = new Map<string, StoredAlert[]>();
    for (const alert of batch) {
      const owner = owners.get(occurrenceOf(alert)) ?? lane.targetId;
      const group = groups.get(owner);
      if (group) group.push(alert);
      else groups.set(owner, [alert]);
    }
    const laneAlerts = groups.get(lane.targetId) ?? [];
    groups.delete(lane.targetId);
    for (const [owner, replayed] of groups) {
      const incident = await store.findById(owner);
      // An owner that was never declared (a crash between claiming and declaring): the lane's case.
      if (!incident) laneAlerts.push(...replayed);
      else {
        this.deps.log.info({ incident: incidentLabel(incident), fingerprint, source, alerts: replayed.length }, 'alerts already seen arrived again; they stay with their incident and open none');
        await this.attach(incident, replayed);
      }
    }
    const incident = laneAlerts.length > 0 ? await this.laneIncident(lane, laneAlerts.find((a) => a.status === 'firing')) : undefined;
    // Only resolved alerts, and no incident: recorded as received, nothing to attach to.
    if (incident) await this.attach(incident, laneAlerts);
    await alerts.markAlertsProcessed(batch.map((a) => a.id));
  }

  /** Folds the alerts into the incident's alert entry and reports the resolved ones. */
  private async attach(incident: Incident, batch: readonly StoredAlert[]): Promise<void> {
    const { source, fingerprint } = batch[0]!;
    const actor = monitor(source);
    const folded = batch.filter((a) => a.status === 'firing' || a.partial);
    if (folded.length > 0) await this.deps.alerts.foldAlerts({ id: alertEntryId(incident.id), incidentId: incident.id, actor, fingerprint }, folded);
    for (const resolved of batch.filter((a) => a.status === 'resolved' && !a.partial)) {
      const result: ActionResult = await this.deps.actions.run('recordMonitorResolved', { incidentId: incident.id, key: `alert:${resolved.id}`, actor: { id: actor.id, name: actor.name }, via: 'app' }, { at: resolved.receivedAt, title: resolved.title, source });
      incident = result.incident ?? incident;
      if (this.deps.autoResolve && isOpen(incident.status)) {
        await this.deps.actions.run('resolve', { incidentId: incident.id, key: `alert-resolve:${resolved.id}`, actor: { id: actor.id, name: actor.name }, via: 'app' }, {});
      }
    }
  }

  /**
   * Where the fingerprint's new alerts go: its current incident while open; once that is over,
   * the incident the next generation would open. The incident id comes from (fingerprint,
   * generation), so two replicas racing on the same storm pick — and declare — the same one.
   */
  private async lane(source: AlertSource, fingerprint: string): Promise<Lane> {
    const { alerts, store, tenantId } = this.deps;
    const generation = await alerts.alertGeneration(tenantId, source, fingerprint);
    const keyOf = (g: number) => `alert:${source}:${fingerprint}:${g}`;
    const current = await store.findById(incidentIdFor(tenantId, keyOf(generation)));
    const next = current && !isOpen(current.status) ? generation + 1 : generation;
    return { source, fingerprint, generation, current, key: keyOf(next), targetId: current && next === generation ? current.id : incidentIdFor(tenantId, keyOf(next)) };
  }

  /** The lane's open incident, or a new one when a firing alert arrives and there is none (or the last one is over). */
  private async laneIncident(lane: Lane, firing: StoredAlert | undefined): Promise<Incident | undefined> {
    const { current, source, fingerprint } = lane;
    if (current && isOpen(current.status)) return current;
    if (!firing) return current; // a late "resolved" for an incident already over, or nothing at all
    // Conditional: two processes that both saw the incident end move the generation on once.
    if (current) await this.deps.alerts.advanceAlertGeneration(this.deps.tenantId, source, fingerprint, lane.generation);
    const { incident, created } = await declareIncident(
      { store: this.deps.store, clock: this.deps.clock },
      {
        tenantId: this.deps.tenantId,
        reporter: { id: `monitor:${source}`, name: MONITOR_NAMES[source] },
        source: { kind: 'webhook', key: lane.key, fingerprint },
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
}
