import type { Incident, Provisioning } from '../incident/incident.js';
import type { Logger } from '../ports/logger.js';
import type { Provisioner } from './provisioning.js';

/**
 * Runs provisioning in the background, off the Teams request (Teams expects the bot to answer
 * within seconds), and knows what is in flight so shutdown can let it finish.
 */
export class ProvisioningRunner {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private stopped = false;

  constructor(private readonly provisioner: Provisioner, private readonly log: Logger) {}

  /** The lease to store a new incident with: this process then starts its war room without claiming it first. */
  leaseForNew(): Pick<Provisioning, 'lease' | 'claims'> {
    return this.stopped ? {} : this.provisioner.leaseForNew();
  }

  /**
   * Starts provisioning unless this process is already on it (the lease guards other processes).
   * `declared`: the record this process just stored with leaseForNew(), so no claim is needed.
   */
  start(incidentId: string, declared?: Incident): void {
    const before = this.inFlight.get(incidentId);
    if ((before && !declared) || this.stopped) return;
    // A retry of the same declare may have got here first and found the lease taken (ours): this run follows it.
    const provision = () => this.provisioner.provision(incidentId, declared);
    const run: Promise<unknown> = (before ? before.then(provision) : provision())
      .catch((error: unknown) => this.log.error({ incidentId, err: error }, 'provisioning stopped with an error; it resumes on restart'))
      .finally(() => this.inFlight.get(incidentId) === run && this.inFlight.delete(incidentId));
    this.inFlight.set(incidentId, run);
  }

  /** Shutdown: the provisioner stops after the calls in flight and releases its leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.provisioner.stop();
    await this.drain();
  }

  /** Resolves when nothing is being provisioned by this process. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }
}
