import type { Incident, ProvisioningStep, StepState } from '../incident/incident.js';
import type { StepFields } from '../ports/provisioningStore.js';

/** A step's result as soon as it is known, before (or without) it being on the record. */
export interface KnownStep {
  readonly step: ProvisioningStep;
  readonly state: StepState;
  readonly fields?: StepFields;
}

/** The record with these steps' results on it, as it will be once they are saved. */
export function withResults(base: Incident, known: readonly KnownStep[]): Incident {
  const steps = { ...base.provisioning.steps };
  let fields: StepFields = {};
  for (const result of known) {
    steps[result.step] = result.state;
    fields = { ...fields, ...result.fields };
  }
  return { ...base, ...fields, provisioning: { ...base.provisioning, steps } };
}

/**
 * The record as one provisioning run knows it: the newest version its own writes returned, with
 * the results it knows and may not have written yet (a result waits to be written until what it
 * was made from is), and which versions were its own writes. A card drawn from what the run knew can then tell
 * whether the record has since moved on in a way that card does not show (someone acted on the
 * incident meanwhile, or a step it did not show failed), and be drawn again. Every write to an
 * incident bumps its version by one, so versions that are not the run's own are someone else's.
 */
export class RoomRecord {
  private newest: Incident;
  private readonly known = new Map<ProvisioningStep, KnownStep>();
  private readonly writes: { readonly version: number; readonly step: ProvisioningStep; readonly failed: boolean }[] = [];

  constructor(claimed: Incident) {
    this.newest = claimed;
  }

  /** The newest version of the record any write of this run returned, with every result known. */
  get latest(): Incident {
    return withResults(this.newest, [...this.known.values()]);
  }

  /** A step's result, known before it is written. */
  learn(result: KnownStep): void {
    this.known.set(result.step, result);
  }

  /** Notes a write of this run; the record as it returned it, with every result known. */
  saved(step: ProvisioningStep, incident: Incident): Incident {
    this.writes.push({ version: incident.version, step, failed: incident.provisioning.steps[step]?.status === 'failed' });
    if (incident.version > this.newest.version) this.newest = incident;
    return withResults(incident, [...this.known.values()]);
  }

  /** Whether `now` holds more than a card drawn from version `drawn`, with `shown` steps as they ended, shows. */
  movedOn(drawn: number, shown: readonly ProvisioningStep[], now: Incident): boolean {
    const ours = this.writes.filter((w) => w.version > drawn && w.version <= now.version);
    return now.version - drawn > ours.length || ours.some((w) => w.failed && !shown.includes(w.step));
  }
}
