/**
 * What operators chart and alert on, reported by the use cases as it happens (Prometheus in the
 * app; nothing in unit tests that do not care).
 */
export interface Telemetry {
  /** A provisioning step ended: done (or skipped), failed for good, or will be retried. */
  provisioningStep(step: string, outcome: 'done' | 'failed' | 'retried'): void;
  /** A durable timer ran `lagMs` after it was due. */
  timerRan(kind: string, lagMs: number, outcome: 'done' | 'failed'): void;
}

export const NO_TELEMETRY: Telemetry = { provisioningStep: () => undefined, timerRan: () => undefined };
