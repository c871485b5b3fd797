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

  /** Starts provisioning unless this process is already on it (the lease guards other processes). */
  start(incidentId: string): void {
    if (this.inFlight.has(incidentId) || this.stopped) return;
    const run: Promise<unknown> = this.provisioner
      .provision(incidentId)
      .catch((error: unknown) => this.log.error({ incidentId, err: error }, 'provisioning stopped with an error; it resumes on restart'))
      .finally(() => this.inFlight.delete(incidentId));
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
