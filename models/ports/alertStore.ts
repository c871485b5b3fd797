import type { Alert } from '../alerts/alerts.js';
import type { Actor } from '../incident/timeline.js';
import type { Status } from '../incident/lifecycle.js';

/** An alert as received: stored before anything else happens, processed afterwards. */
export interface StoredAlert extends Alert {
  /** Deterministic from the tenant and the delivery key: the same delivery twice is one row. */
  readonly id: string;
  readonly tenantId: string;
  readonly receivedAt: Date;
}

/**
 * Alerts accepted together (one group commit of the webhook): stored as one record, so accepting
 * is one insert whatever the storm, and processed as a unit. The batch is also what makes counting
 * exact: an alert is counted by the batch that recorded it first, and each batch is counted once
 * per incident (see AlertStore.foldAlerts).
 */
export interface AlertBatch {
  readonly id: string;
  readonly receivedAt: Date;
  readonly alerts: readonly StoredAlert[];
}

/** The one timeline entry an incident's alerts fold into (its id is deterministic per incident). */
export interface AlertEntry {
  readonly id: string;
  readonly incidentId: string;
  readonly actor: Actor;
  readonly fingerprint: string;
}

/** One batch's alerts for one incident: counted once however often it is folded. */
export interface AlertFold {
  readonly entry: AlertEntry;
  readonly batchId: string;
  readonly alerts: readonly StoredAlert[];
}

/** Which fingerprint (of which monitor) an alert belongs to. */
export interface AlertLane {
  readonly source: string;
  readonly fingerprint: string;
}

/** Who may process a batch, until when: one process at a time (it is renewed each tick). */
export interface BatchLease {
  readonly owner: string;
  readonly until: Date;
}

export interface AlertStore {
  /**
   * Stores the batches durably (one write); once it resolves, a crash loses none of them. With a
   * lease, they are the storing process's to process first.
   */
  storeBatches(batches: readonly AlertBatch[], lease?: BatchLease): Promise<void>;
  /** Batches received before `receivedBefore`, not finished and not leased at `now` (a crash or a failure left them), oldest first. */
  pendingBatches(receivedBefore: Date, now: Date, limit: number): Promise<AlertBatch[]>;
  /** Takes (or renews) the lease on those of the batches still pending and not leased by another at `now`; returns the ids now held. */
  claimBatches(batchIds: readonly string[], lease: BatchLease, now: Date): Promise<Set<string>>;
  /**
   * Writes the batches' alerts into the permanent alert collection. Returns, for each alert that
   * one of these batches recorded first (now, or in an earlier attempt at the same batch), which
   * batch: it is that batch's to process and count. An alert another batch recorded first (a
   * retried or replayed delivery) is absent — it is that batch's.
   */
  recordAlerts(batches: readonly AlertBatch[]): Promise<Map<string, string>>;
  /**
   * The batches (held by `owner`) are done: taken out of the pending ones, and after that, never
   * before, their counting marks on these incidents dropped — a finished batch can be claimed by
   * no one, so it is never folded again.
   */
  finishBatches(batchIds: readonly string[], owner: string, incidentIds: readonly string[]): Promise<void>;
  /** Each fingerprint's current generation (0 if never moved): it moves on when its incident is over, so the next firing opens a new one. */
  alertGenerations(tenantId: string, lanes: readonly AlertLane[]): Promise<Map<string, number>>;
  /** Moves the generation from `from` to the next; a no-op if another process moved it already. */
  advanceAlertGeneration(tenantId: string, source: string, fingerprint: string, from: number): Promise<void>;
  /** The status of each incident that exists, read in one go. */
  incidentStatuses(incidentIds: readonly string[]): Promise<Map<string, Status>>;
  /**
   * Records that each occurrence belongs to its incident, unless it already belongs to one:
   * first writer wins, for ever. Returns the incident each one belongs to now.
   */
  claimOccurrences(tenantId: string, claims: ReadonlyMap<string, string>): Promise<Map<string, string>>;
  /** The incident each occurrence belongs to; occurrences never claimed are absent. */
  occurrenceIncidents(tenantId: string, keys: readonly string[]): Promise<Map<string, string>>;
  /**
   * Counts each fold's alerts on its incident (once per batch and incident, whatever is retried,
   * crashed or run concurrently) and writes the incident's one timeline entry in place: the
   * count, first and last seen, the latest title and status.
   */
  foldAlerts(folds: readonly AlertFold[]): Promise<void>;
}

/** The key alertGenerations answers under. */
export const laneKey = (lane: AlertLane) => `${lane.source}|${lane.fingerprint}`;
