/**
 * Monitors declare incidents. Alerts are stored before anything else happens — the webhook is
 * answered once they are durable — then processed: a firing alert opens an incident for its
 * fingerprint, or attaches to the one already open (an alert storm makes one incident); a
 * resolved alert is recorded and suggested on the card, and resolves the incident only when
 * configured. A firing seen before (the same occurrence: see Alert.occurrenceKey) stays with the
 * incident it first joined, so a repeat or a replay after that incident is over opens nothing.
 *
 * Storms are what this is built for: requests arriving while a write is in flight are stored
 * together in the next one (group commit: one insert however many requests), and processing takes
 * every batch that arrived since its last tick, all fingerprints at once (models/alerts/
 * alertProcessing.ts), so the database sees a handful of writes per tick rather than several per
 * alert. Processing is idempotent, so a retry, a crash or a second replica never doubles an
 * effect; whatever is left pending is picked up by the sweep.
 */
import { randomUUID } from 'node:crypto';
import type { Alert } from './alerts.js';
import { AlertProcessor, BATCH_LEASE_MS } from './alertProcessing.js';
import { deterministicId } from '../support/ids.js';
import type { IncidentActions } from '../actions/incidentActions.js';
import type { AlertBatch, AlertStore, StoredAlert } from '../ports/alertStore.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import type { Logger } from '../ports/logger.js';
import type { Severity } from '../incident/severity.js';
import type { ProvisioningRunner } from '../warRoom/provisioningRunner.js';

export { alertEntryId } from './alertProcessing.js';

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
  /** Starts the war room (and, through it, paging) for a new incident, stored holding this process's provisioning lease. */
  readonly warRooms: Pick<ProvisioningRunner, 'start' | 'leaseForNew'>;
}

/** The sweep leaves batches younger than this to the process that received them (also those stored without a lease). */
const SWEEP_GRACE_MS = 30_000;
const SWEEP_BATCHES = 200;
/**
 * A tick starts at least this long after the first alert (a burst arrives together) or after the
 * last tick started, and waits at least IDLE_PER_BUSY times as long as the last tick took
 * (at most MAX_TICK_DELAY_MS). So while a storm lasts, processing — whose cost per tick hardly
 * depends on how many alerts it takes — has about a quarter of the process and intake the rest,
 * and ticks grow larger, not more frequent, as each costs more.
 */
const TICK_MS = 100;
const IDLE_PER_BUSY = 3;
const MAX_TICK_DELAY_MS = 1_000;
/** A stored batch holds at most this many alerts (about 0.5 MB); one write may store several. */
const MAX_BATCH_ALERTS = 1_000;
/** A tick takes at most about this many alerts, so no single write holds the process (the embedded database runs in it) for long. */
const MAX_TICK_ALERTS = 5_000;

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class AlertIntake {
  private readonly processor: AlertProcessor;
  /** Group commit: alerts arriving while a write is in flight go together in the next one. */
  private writeQueue: { alerts: StoredAlert[]; waiters: Waiter[] } | undefined;
  private writing: Promise<void> | undefined;
  /** Stored batches not processed yet, in arrival order, and the ids of those queued or in a tick. */
  private readonly pending: AlertBatch[] = [];
  private readonly queued = new Set<string>();
  private ticking: Promise<void> | undefined;

  /** This process, as the holder of the batches it stores and processes. */
  private readonly owner = randomUUID();

  constructor(private readonly deps: AlertIntakeDeps) {
    this.processor = new AlertProcessor(deps, this.owner);
  }

  /**
   * Stores the notification's alerts durably; resolves once they are safe (answer the webhook
   * then). Processing continues in the background.
   */
  async receive(alerts: readonly Alert[]): Promise<{ accepted: number }> {
    const receivedAt = this.deps.clock.now();
    const stored = alerts.map((alert): StoredAlert => ({ ...alert, id: deterministicId('alert', this.deps.tenantId, alert.deliveryKey), tenantId: this.deps.tenantId, receivedAt }));
    await this.write(stored);
    return { accepted: stored.length };
  }

  /** Processes batches a crashed or failing process left pending; returns how many alerts they held. */
  async sweep(): Promise<number> {
    const now = this.deps.clock.now();
    const pending = await this.deps.alerts.pendingBatches(new Date(now.getTime() - SWEEP_GRACE_MS), now, SWEEP_BATCHES);
    this.enqueue(pending);
    await this.drain();
    return pending.reduce((sum, batch) => sum + batch.alerts.length, 0);
  }

  /** Resolves when every received alert has been processed (for shutdown, tests and the bench). */
  async drain(): Promise<void> {
    while (this.writing || this.ticking) await Promise.allSettled([this.writing, this.ticking]);
  }

  private write(alerts: StoredAlert[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.writeQueue ??= { alerts: [], waiters: [] };
      this.writeQueue.alerts.push(...alerts);
      this.writeQueue.waiters.push({ resolve, reject });
      this.writing ??= this.flushWrites();
    });
  }

  private async flushWrites(): Promise<void> {
    while (this.writeQueue) {
      const { alerts, waiters } = this.writeQueue;
      this.writeQueue = undefined;
      const batches: AlertBatch[] = [];
      for (let from = 0; from < alerts.length; from += MAX_BATCH_ALERTS) {
        const some = alerts.slice(from, from + MAX_BATCH_ALERTS);
        // A new id each time a batch is made: a retried request is another batch (and counted by whichever records it first).
        batches.push({ id: deterministicId('alert-batch', this.deps.tenantId, randomUUID()), receivedAt: some[0]!.receivedAt, alerts: some });
      }
      try {
        await this.deps.alerts.storeBatches(batches, { owner: this.owner, until: new Date(this.deps.clock.now().getTime() + BATCH_LEASE_MS) });
      } catch (error) {
        for (const w of waiters) w.reject(error);
        continue;
      }
      this.enqueue(batches);
      for (const w of waiters) w.resolve();
    }
    this.writing = undefined;
  }

  private enqueue(batches: readonly AlertBatch[]): void {
    for (const batch of batches) {
      if (this.queued.has(batch.id)) continue;
      this.queued.add(batch.id);
      this.pending.push(batch);
    }
    if (this.pending.length === 0 || this.ticking) return;
    this.ticking = this.tick().finally(() => {
      this.ticking = undefined;
      // Batches that arrived as the last tick ended.
      this.enqueue([]);
    });
  }

  /** Takes what is pending, a tick at a time, until nothing is. */
  private async tick(): Promise<void> {
    let delay = TICK_MS;
    while (this.pending.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      const started = Date.now();
      const batches = this.take();
      try {
        await this.processor.process(batches);
      } catch (error) {
        // Left pending in the database: the sweep retries them.
        this.deps.log.error({ batches: batches.length, err: (error as Error).message }, 'processing alerts failed; the sweep retries them');
      }
      for (const batch of batches) this.queued.delete(batch.id);
      const took = Date.now() - started;
      delay = Math.min(MAX_TICK_DELAY_MS, Math.max(TICK_MS - took, IDLE_PER_BUSY * took));
    }
  }

  private take(): AlertBatch[] {
    let alerts = 0;
    let count = 0;
    while (count < this.pending.length && (count === 0 || alerts + this.pending[count]!.alerts.length <= MAX_TICK_ALERTS)) alerts += this.pending[count++]!.alerts.length;
    return this.pending.splice(0, count);
  }
}
