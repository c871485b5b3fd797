import type { Incident } from '../incident/incident.js';
import type { EffectState } from '../delivery/effects.js';

/**
 * The outbox of effects kept on each incident (written with the change, see ChangeStore): one
 * worker at a time delivers an incident's effects, under a lease that expires if it dies.
 */
export interface EffectStore {
  /**
   * Takes (or renews) the lease on this incident's effects for `owner` until `until`, when it has
   * effects and the lease is free, expired or already the owner's. Returns the record, and
   * whether the lease was taken over from another owner (whose sends may have landed), or
   * undefined when there is nothing to do or someone else holds the lease.
   */
  claimEffects(incidentId: string, owner: string, until: Date, now: Date): Promise<{ readonly incident: Incident; readonly inherited: boolean } | undefined>;
  /** Lets go of the lease (only the owner's). */
  releaseEffects(incidentId: string, owner: string): Promise<void>;
  /** The effect is delivered (or given up): removed with its state. */
  settleEffect(incidentId: string, effectId: string): Promise<void>;
  /** Every remaining effect of one change is delivered: all removed in one write, with their state. */
  settleChange(incidentId: string, eventId: string, effectIds: readonly string[]): Promise<void>;
  /** Records where delivering the effect stands (before a send, after a failure). */
  markEffect(incidentId: string, effectId: string, state: EffectState): Promise<void>;
  /** Incidents whose effects nobody is delivering (no lease, or an expired one). */
  listWithEffects(now: Date, limit: number): Promise<string[]>;
}
