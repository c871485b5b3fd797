import type { Alert } from '../alerts/alerts.js';
import type { TimelineEvent } from '../incident/timeline.js';

/** An alert as received: stored before anything else happens, processed afterwards. */
export interface StoredAlert extends Alert {
  /** Deterministic from the tenant and the delivery key: the same delivery twice is one row. */
  readonly id: string;
  readonly tenantId: string;
  readonly receivedAt: Date;
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
  /** Timeline events in one write; ones already stored are skipped. */
  appendEvents(events: readonly TimelineEvent[]): Promise<void>;
}
