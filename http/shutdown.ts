import type { Logger } from '../models/ports/logger.js';

/**
 * What to stop at shutdown, in the reverse of the order it was started: the last thing started
 * (accepting requests) stops first, the database last. A failure is logged and the rest still run.
 */
export class ShutdownList {
  private readonly steps: { readonly what: string; readonly stop: () => Promise<unknown> }[] = [];

  constructor(private readonly log: Logger) {}

  add(what: string, stop: () => Promise<unknown> | void): void {
    this.steps.push({ what, stop: async () => stop() });
  }

  async closeAll(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      await step.stop().catch((error: unknown) => this.log.warn({ err: (error as Error).message, step: step.what }, 'error while shutting down'));
    }
  }
}
