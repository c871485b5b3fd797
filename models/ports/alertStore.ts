import type { Alert } from '../alerts/alerts.js';
import type { Actor } from '../incident/timeline.js';

/** An alert as received: stored before anything else happens, processed afterwards. */
export interface StoredAlert extends Alert {
  /** Deterministic from the tenant and the delivery key: the same delivery twice is one row. */
  readonly id: string;
  readonly tenantId: string;
  readonly receivedAt: Date;
}

/** The one timeline entry an incident's alerts fold into (its id is deterministic per incident). */
export interface AlertEntry {
  readonly id: string;
  readonly incidentId: string;
  readonly actor: Actor;
  readonly fingerprint: string;
}

export interface AlertStore {
  /** Stores alerts not seen before; returns how many were new. */
  storeAlerts(alerts: readonly StoredAlert[]): Promise<number>;
  /** Alerts received before `before` and not processed yet (a crash or a failure left them). */
  pendingAlerts(before: Date, limit: number): Promise<StoredAlert[]>;
  markAlertsProcessed(ids: readonly string[]): Promise<void>;
  /** The fingerprint's current generation: it moves on when its incident is over, so the next firing opens a new one. */
  alertGeneration(tenantId: string, source: string, fingerprint: string): Promise<number>;
  advanceAlertGeneration(tenantId: string, source: string, fingerprint: string, from: number): Promise<void>;
  /**
   * Records that these occurrences belong to `incidentId`, unless they already belong to an
   * incident: first writer wins, for ever. Returns the incident each one belongs to now.
   */
  claimOccurrences(tenantId: string, keys: readonly string[], incidentId: string): Promise<Map<string, string>>;
  /** The incident each occurrence belongs to; occurrences never claimed are absent. */
  occurrenceIncidents(tenantId: string, keys: readonly string[]): Promise<Map<string, string>>;
  /**
   * Adds the alerts to their incident's set and folds them into its one counted timeline entry
   * (count of distinct alerts, first and last seen, the latest title and status), in place.
   * Idempotent: an alert added twice counts once, whatever crashed or ran concurrently before.
   */
  foldAlerts(entry: AlertEntry, alerts: readonly StoredAlert[]): Promise<void>;
}
