/**
 * One tick of alert processing: every batch accepted since the last tick, all fingerprints at
 * once, in a fixed number of database round trips (a storm of 50 fingerprints costs what a storm
 * of one does, not 50 times as much). In order: the alerts are recorded (and each is processed
 * by the batch that recorded it first, so a retried delivery is handled once); each fingerprint's
 * lane says where its alerts go; firings claim their occurrence; a lane without an open incident
 * declares one; everything is folded into the incidents' counted entries; resolved alerts are
 * reported; then the batches are finished. Every step is idempotent, so a batch processed again
 * (after a crash, a failure, or by another replica's sweep) changes nothing twice.
 */
import { alertSeverity, type AlertSource } from './alerts.js';
import { declareIncident, incidentIdFor } from '../warRoom/declareIncident.js';
import { incidentLabel } from '../incident/incident.js';
import { isOpen, type Status } from '../incident/lifecycle.js';
import { SYSTEM, timelineEvent, type Actor } from '../incident/timeline.js';
import { laneKey, type AlertBatch, type AlertFold, type StoredAlert } from '../ports/alertStore.js';
import type { AlertIntakeDeps } from './alertIntake.js';

const MONITOR_NAMES: Readonly<Record<AlertSource, string>> = { generic: 'Monitor', alertmanager: 'Alertmanager', grafana: 'Grafana' };
const monitor = (source: AlertSource): Actor => ({ kind: 'monitor', id: `monitor:${source}`, name: MONITOR_NAMES[source] });
/** Alerts stored before occurrences existed (still in an inbox after an upgrade) are known by their delivery. */
const occurrenceOf = (alert: StoredAlert) => alert.occurrenceKey ?? alert.deliveryKey;
/** One entry per incident holds all its alerts (first/last seen, count), updated in place. */
export const alertEntryId = (incidentId: string) => timelineEvent(incidentId, 'alert_received', 'folded-alerts', { at: new Date(0), actor: SYSTEM }).id;

/** An alert with the batch it is processed in. */
interface Item {
  readonly batchId: string;
  readonly alert: StoredAlert;
}

interface Lane {
  readonly source: AlertSource;
  readonly fingerprint: string;
  readonly items: Item[];
  generation: number;
  /** The status of the generation's incident, if it was declared (open or over). */
  status?: Status;
}

/** Alerts going to one incident. */
interface Target {
  readonly incidentId: string;
  readonly status: Status;
  readonly source: AlertSource;
  readonly fingerprint: string;
  readonly items: Item[];
}

const keyOf = (lane: Pick<Lane, 'source' | 'fingerprint'>, generation: number) => `alert:${lane.source}:${lane.fingerprint}:${generation}`;

/**
 * How long a batch is one process's to process. A tick renews it for the batches it takes and is
 * done in well under a second; a process that stops for longer than this (or dies) leaves its
 * batches to the next sweep, anywhere.
 */
export const BATCH_LEASE_MS = 30_000;

export class AlertProcessor {
  constructor(
    private readonly deps: AlertIntakeDeps,
    /** This process, as a lease holder. */
    private readonly owner: string,
  ) {}

  /** Processes those of the batches it can lease; returns the ids of those finished (the others stay pending, for the sweep). */
  async process(offered: readonly AlertBatch[]): Promise<string[]> {
    const { alerts, tenantId, clock } = this.deps;
    const now = clock.now();
    // Only batches still pending and not another process's (a sweep elsewhere may have taken them, or finished them).
    const held = await alerts.claimBatches(offered.map((b) => b.id), { owner: this.owner, until: new Date(now.getTime() + BATCH_LEASE_MS) }, now);
    const batches = offered.filter((b) => held.has(b.id));
    if (batches.length === 0) return [];
    const lanes = this.lanesOf(batches, await alerts.recordAlerts(batches));
    const generations = await alerts.alertGenerations(tenantId, lanes);
    for (const lane of lanes) lane.generation = generations.get(laneKey(lane)) ?? 0;
    const statuses = await alerts.incidentStatuses(lanes.map((lane) => incidentIdFor(tenantId, keyOf(lane, lane.generation))));
    for (const lane of lanes) lane.status = statuses.get(incidentIdFor(tenantId, keyOf(lane, lane.generation)));
    const owners = await this.owners(lanes);

    const settled = await Promise.allSettled(lanes.map((lane) => this.targets(lane, owners)));
    const failed = new Set<string>();
    const targets: Target[] = [];
    settled.forEach((result, n) => {
      if (result.status === 'fulfilled') return void targets.push(...result.value);
      for (const { batchId } of lanes[n]!.items) failed.add(batchId);
      this.deps.log.error({ fingerprint: lanes[n]!.fingerprint, err: (result.reason as Error).message }, 'processing alerts failed; the sweep retries them');
    });
    await alerts.foldAlerts(targets.flatMap((target) => this.folds(target)));
    const reported = await Promise.allSettled(targets.map((target) => this.reportResolved(target)));
    reported.forEach((result, n) => {
      if (result.status === 'fulfilled') return;
      for (const { batchId } of targets[n]!.items) failed.add(batchId);
      this.deps.log.error({ fingerprint: targets[n]!.fingerprint, err: (result.reason as Error).message }, 'reporting a resolved alert failed; the sweep retries it');
    });
    const finished = batches.map((b) => b.id).filter((id) => !failed.has(id));
    await alerts.finishBatches(finished, this.owner, [...new Set(targets.map((t) => t.incidentId))]);
    return finished;
  }

  /** Each alert once, in the batch that recorded it, grouped by fingerprint in arrival order. */
  private lanesOf(batches: readonly AlertBatch[], recorded: ReadonlyMap<string, string>): Lane[] {
    const lanes = new Map<string, Lane>();
    const seen = new Set<string>();
    for (const batch of batches) {
      for (const alert of batch.alerts) {
        if (recorded.get(alert.id) !== batch.id || seen.has(alert.id)) continue;
        seen.add(alert.id);
        const key = laneKey(alert);
        const lane = lanes.get(key) ?? { source: alert.source, fingerprint: alert.fingerprint, items: [], generation: 0 };
        lane.items.push({ batchId: batch.id, alert });
        lanes.set(key, lane);
      }
    }
    return [...lanes.values()];
  }

  /**
   * Where each alert's occurrence belongs: a firing claims it for its lane's incident (the first
   * claim stands for ever, so a repeat or a replay stays with the incident it first joined, even
   * one that is over); a resolved alert only asks where its firing went.
   */
  private async owners(lanes: readonly Lane[]): Promise<Map<string, string>> {
    const { alerts, tenantId } = this.deps;
    const claims = new Map<string, string>();
    const asked: string[] = [];
    for (const lane of lanes) {
      const target = incidentIdFor(tenantId, keyOf(lane, this.nextGeneration(lane)));
      for (const { alert } of lane.items) {
        if (alert.status !== 'firing') asked.push(occurrenceOf(alert));
        else if (!claims.has(occurrenceOf(alert))) claims.set(occurrenceOf(alert), target);
      }
    }
    return new Map([...(claims.size > 0 ? await alerts.claimOccurrences(tenantId, claims) : []), ...(await alerts.occurrenceIncidents(tenantId, asked))]);
  }

  /** Once the generation's incident is over, new firings go to the next generation's. */
  private nextGeneration(lane: Lane): number {
    return lane.status && !isOpen(lane.status) ? lane.generation + 1 : lane.generation;
  }

  /** The incidents a lane's alerts go to: replays to the incident they first joined, the rest to the lane's open incident (declared if need be). */
  private async targets(lane: Lane, owners: ReadonlyMap<string, string>): Promise<Target[]> {
    const { tenantId, store, log } = this.deps;
    const laneTarget = incidentIdFor(tenantId, keyOf(lane, this.nextGeneration(lane)));
    const groups = new Map<string, Item[]>();
    for (const item of lane.items) {
      const owner = owners.get(occurrenceOf(item.alert)) ?? laneTarget;
      const group = groups.get(owner);
      if (group) group.push(item);
      else groups.set(owner, [item]);
    }
    const laneItems = groups.get(laneTarget) ?? [];
    groups.delete(laneTarget);
    const targets: Target[] = [];
    const { source, fingerprint } = lane;
    for (const [owner, replayed] of groups) {
      const incident = await store.findById(owner);
      // An owner that was never declared (a crash between claiming and declaring): the lane's case.
      if (!incident) laneItems.push(...replayed);
      else {
        log.info({ incident: incidentLabel(incident), fingerprint, source, alerts: replayed.length }, 'alerts already seen arrived again; they stay with their incident and open none');
        targets.push({ incidentId: owner, status: incident.status, source, fingerprint, items: replayed });
      }
    }
    if (laneItems.length === 0) return targets;
    const current = incidentIdFor(tenantId, keyOf(lane, lane.generation));
    if (lane.status && isOpen(lane.status)) return [...targets, { incidentId: current, status: lane.status, source, fingerprint, items: laneItems }];
    const firing = laneItems.find((item) => item.alert.status === 'firing')?.alert;
    // A late "resolved" for an incident already over is recorded there; with no incident at all, it is only kept.
    if (!firing) return lane.status ? [...targets, { incidentId: current, status: lane.status, source, fingerprint, items: laneItems }] : targets;
    const declared = await this.declare(lane, firing);
    return [...targets, { incidentId: declared.id, status: declared.status, source, fingerprint, items: laneItems }];
  }

  /** A new incident for the lane's next generation; the id comes from (fingerprint, generation), so two replicas racing on one storm declare the same one. */
  private async declare(lane: Lane, firing: StoredAlert): Promise<{ id: string; status: Status }> {
    const { source, fingerprint } = lane;
    // Conditional: two processes that both saw the incident end move the generation on once.
    if (lane.status) await this.deps.alerts.advanceAlertGeneration(this.deps.tenantId, source, fingerprint, lane.generation);
    const { incident, created } = await declareIncident(
      { store: this.deps.store, clock: this.deps.clock, lease: () => this.deps.warRooms.leaseForNew() },
      {
        tenantId: this.deps.tenantId,
        reporter: { id: `monitor:${source}`, name: MONITOR_NAMES[source] },
        source: { kind: 'webhook', key: keyOf(lane, this.nextGeneration(lane)), fingerprint },
        input: {
          title: firing.title,
          severity: alertSeverity(firing.severityLabel, this.deps.severityWords, this.deps.defaultSeverity),
          component: firing.component,
          description: [firing.description, firing.url ? `Source: ${firing.url}` : undefined].filter(Boolean).join('\n\n') || undefined,
        },
      },
    );
    if (created) this.deps.log.info({ incident: incidentLabel(incident), fingerprint, source }, 'a monitor declared an incident');
    this.deps.warRooms.start(incident.id, created ? incident : undefined);
    return incident;
  }

  /** Firing alerts (and resolved ones while others in their group fire) are counted on the incident's entry, per batch. */
  private folds(target: Target): AlertFold[] {
    const entry = { id: alertEntryId(target.incidentId), incidentId: target.incidentId, actor: monitor(target.source), fingerprint: target.fingerprint };
    const byBatch = new Map<string, StoredAlert[]>();
    for (const { batchId, alert } of target.items) {
      if (alert.status !== 'firing' && !alert.partial) continue;
      const alerts = byBatch.get(batchId);
      if (alerts) alerts.push(alert);
      else byBatch.set(batchId, [alert]);
    }
    return [...byBatch].map(([batchId, alerts]) => ({ entry, batchId, alerts }));
  }

  /** A resolved alert is recorded and suggested on the card; it resolves the incident only when configured. */
  private async reportResolved(target: Target): Promise<void> {
    const actor = monitor(target.source);
    let status = target.status;
    for (const { alert } of target.items.filter(({ alert }) => alert.status === 'resolved' && !alert.partial)) {
      const by = { id: actor.id, name: actor.name };
      const result = await this.deps.actions.run('recordMonitorResolved', { incidentId: target.incidentId, key: `alert:${alert.id}`, actor: by, via: 'app' }, { at: alert.receivedAt, title: alert.title, source: target.source });
      status = result.incident?.status ?? status;
      if (this.deps.autoResolve && isOpen(status)) {
        status = (await this.deps.actions.run('resolve', { incidentId: target.incidentId, key: `alert-resolve:${alert.id}`, actor: by, via: 'app' }, {})).incident?.status ?? status;
      }
    }
  }
}
