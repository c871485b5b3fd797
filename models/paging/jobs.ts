/**
 * Durable timers: a job is a row in MongoDB with a due time. Any replica may run it; a claim is
 * an atomic update that sets a lease, so one replica runs each job at a time, and a job whose
 * runner died becomes claimable again when its lease expires. Handlers are idempotent (their
 * writes carry the job id as the action key), so a job run twice after a crash has one effect.
 * Time comes from the Clock port: tests move it forward and call runDue().
 */
import { TransientError } from '../support/errors.js';
import { deterministicId } from '../support/ids.js';
import { NO_TELEMETRY, type Telemetry } from '../ports/telemetry.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';

export const JOB_KINDS = ['page', 'escalate', 'update_reminder', 'matrix_reminder', 'postmortem_reminder', 'tracker_sync', 'nudge'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface Job {
  /** Deterministic from (kind, incident, occurrence): scheduling twice stores one job. */
  readonly id: string;
  readonly kind: JobKind;
  readonly incidentId: string;
  readonly dueAt: Date;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly attempts: number;
}

export interface JobStore {
  /** Stores the job unless one with its id exists (whatever its state). */
  scheduleJob(job: Omit<Job, 'attempts'>): Promise<void>;
  /** Claims one due job whose lease is free or expired; undefined when none is due. */
  claimJob(now: Date, owner: string, leaseUntil: Date): Promise<Job | undefined>;
  completeJob(id: string, owner: string): Promise<void>;
  /** Gives a job back, due again at `dueAt`; a failure counts as an attempt, waiting for something does not. */
  retryJob(id: string, owner: string, dueAt: Date, error: string, countAttempt?: boolean): Promise<void>;
  /** Cancels pending jobs of these kinds for an incident (the state change made them moot). */
  cancelJobs(incidentId: string, kinds: readonly JobKind[]): Promise<number>;
  pendingJobs(incidentId: string): Promise<Job[]>;
}

export function jobId(kind: JobKind, incidentId: string, occurrence: string): string {
  return deterministicId('job', kind, incidentId, occurrence);
}

export type JobHandler = (job: Job) => Promise<void>;

/** Thrown by a handler that must wait for something else (e.g. the channel being created): not a failure. */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(message: string, readonly afterMs = 5_000) {
    super(message);
  }
}

export interface JobRunnerDeps {
  readonly store: JobStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly owner: string;
  readonly leaseMs: number;
  readonly handlers: Readonly<Record<JobKind, JobHandler>>;
  /** A job that keeps failing is retried with growing delays, up to this many attempts. */
  readonly maxAttempts?: number;
  readonly telemetry?: Telemetry;
}

const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 5 * 60_000;

export class JobRunner {
  private running: Promise<number> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Set at shutdown: the job in hand finishes, no new one is claimed. */
  private stopping = false;

  constructor(private readonly deps: JobRunnerDeps) {}

  /**
   * Runs every job due now, one claim at a time, until none is left. Runs queue behind each
   * other, so a poll and an explicit call (a test after moving the clock) never overlap and the
   * later one always sees the later time.
   */
  runDue(): Promise<number> {
    const next = (this.running ?? Promise.resolve(0)).catch(() => 0).then(() => this.drainDue());
    this.running = next;
    void next.catch(() => undefined).finally(() => this.running === next && (this.running = undefined));
    return next;
  }

  /** Polls every `intervalMs` of real time; each poll reads the injected clock. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.runDue().catch((error: unknown) => this.deps.log.error({ err: (error as Error).message }, 'job poll failed')), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async drainDue(): Promise<number> {
    const { store, clock, owner, leaseMs } = this.deps;
    let ran = 0;
    while (!this.stopping) {
      const now = clock.now();
      const job = await store.claimJob(now, owner, new Date(now.getTime() + leaseMs));
      if (!job) return ran;
      ran++;
      await this.runOne(job);
    }
    return ran;
  }

  private async runOne(job: Job): Promise<void> {
    const { store, clock, log, owner } = this.deps;
    const telemetry = this.deps.telemetry ?? NO_TELEMETRY;
    const lagMs = Math.max(0, clock.now().getTime() - job.dueAt.getTime());
    try {
      await this.deps.handlers[job.kind](job);
      await store.completeJob(job.id, owner);
      telemetry.timerRan(job.kind, lagMs, 'done');
    } catch (error) {
      telemetry.timerRan(job.kind, lagMs, 'failed');
      const message = (error as Error).message;
      if (error instanceof RetryLater) {
        await store.retryJob(job.id, owner, new Date(clock.now().getTime() + error.afterMs), message, false);
        return;
      }
      const attempts = job.attempts + 1;
      if (attempts >= (this.deps.maxAttempts ?? 10)) {
        log.error({ jobId: job.id, kind: job.kind, incidentId: job.incidentId, attempts, err: message }, 'a timer failed too often and was given up');
        await store.completeJob(job.id, owner);
        return;
      }
      // The service said when to come back (Retry-After): then, not sooner.
      const delay = error instanceof TransientError && error.retryAfterMs !== undefined ? error.retryAfterMs : Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
      log.warn({ jobId: job.id, kind: job.kind, incidentId: job.incidentId, attempts, err: message }, 'a timer failed; retrying later');
      await store.retryJob(job.id, owner, new Date(clock.now().getTime() + delay), message);
    }
  }
}
