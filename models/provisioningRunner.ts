import type { Logger } from './ports.js';
import type { Provisioner } from './provisioning.js';

/**
 * Runs provisioning in the background, off the Teams request (Teams expects the bot to answer
 * within seconds), and knows what is in flight so shutdown can let it finish.
 */
export class ProvisioningRunner {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly provisioner: Provisioner, private readonly log: Logger) {}

  start(incidentId: string): void {
    const run: Promise<unknown> = this.provisioner
      .provision(incidentId)
      .catch((error: unknown) => this.log.error({ incidentId, err: error }, 'provisioning stopped with an error; it resumes on restart'))
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Resolves when nothing is being provisioned by this process. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
